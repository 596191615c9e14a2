/**
 * Runs every benchmark (`bench/*.bench.ts`, or those named on the command line), prints one table
 * per group with each case's ops/s and its ratio to the group's baseline, and writes
 * `bench/results.json`. Ratios from one run on one machine are what to compare; absolute numbers
 * vary from machine to machine.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchCase, BenchModule } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(here))
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)))
  .sort();

const results: { group: string; name: string; opsPerSec: number; ratio: number; baseline: string }[] = [];
for (const file of files) {
  const module = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
  const cases: BenchCase[] = await module.run();
  const groups = new Map<string, BenchCase[]>();
  for (const c of cases) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  for (const [group, members] of groups) {
    const base = members.find((c) => c.name === c.baseline)?.opsPerSec ?? Number.NaN;
    console.log(`\n${group}`);
    console.table(
      members.map((c) => {
        const ratio = c.opsPerSec / base;
        results.push({
          group,
          name: c.name,
          opsPerSec: Math.round(c.opsPerSec),
          ratio: Number(ratio.toFixed(3)),
          baseline: c.baseline,
        });
        return {
          case: c.name,
          'ops/s': Math.round(c.opsPerSec).toLocaleString('en-US'),
          [`ratio to ${c.baseline}`]: ratio.toFixed(3),
        };
      }),
    );
  }
}
await writeFile(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote bench/results.json (${results.length} cases)`);
