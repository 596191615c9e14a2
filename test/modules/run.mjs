// Packs bookingkit as npm would publish it, installs the tarball into a scratch consumer inside
// the repo (so its dependencies resolve from the repo's node_modules), then runs a real ESM
// consumer and a real CJS consumer that import every entry point.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const consumer = join(here, '.consumer');
rmSync(consumer, { recursive: true, force: true });
const target = join(consumer, 'node_modules', 'bookingkit');
mkdirSync(target, { recursive: true });

const packed = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', consumer], { cwd: root, encoding: 'utf8' }),
);
execFileSync('tar', ['-xzf', join(consumer, packed[0].filename), '-C', target, '--strip-components=1']);
cpSync(join(here, 'esm-consumer.mjs'), join(consumer, 'esm-consumer.mjs'));
cpSync(join(here, 'cjs-consumer.cjs'), join(consumer, 'cjs-consumer.cjs'));
cpSync(join(here, 'expectations.json'), join(consumer, 'expectations.json'));

for (const file of ['esm-consumer.mjs', 'cjs-consumer.cjs']) {
  execFileSync(process.execPath, [file], { cwd: consumer, stdio: 'inherit' });
}
rmSync(consumer, { recursive: true, force: true });
console.log('module smoke tests passed (ESM and CJS)');
