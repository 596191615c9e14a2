import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleConsumer, packageOf, type BundleReport } from '../../bench/bundle-size.js';
import { esmModulesBuild } from '../../tsup.config.js';

/**
 * What a consumer's bundler keeps of bookingkit (docs/decisions/0008-bundle-boundaries.md): the
 * ESM build (as tsup.config.ts makes it, without declarations) goes to a scratch package, and
 * two-line consumers of it are bundled with esbuild. The checks are structural: which packages
 * and modules are in the bundle, never how many bytes.
 */
const root = process.cwd();
let scratch = '';

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'bookingkit-bundle-'));
  await build({ ...esmModulesBuild(join(scratch, 'dist'), false), config: false, silent: true });
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    sideEffects: string[];
    exports: Record<string, string | { import?: { default: string } }>;
  };
  const exports = Object.fromEntries(
    Object.entries(manifest.exports).map(([path, target]) => [
      path,
      typeof target === 'string' ? target : target.import?.default,
    ]),
  );
  writeFileSync(
    join(scratch, 'package.json'),
    JSON.stringify({ name: manifest.name, type: 'module', sideEffects: manifest.sideEffects, exports }),
  );
}, 120_000);

afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

async function bundle(name: string, specifier = 'bookingkit'): Promise<BundleReport> {
  return bundleConsumer(
    { label: name, source: `import { ${name} } from '${specifier}';\nconsole.log(${name});\n` },
    { resolveDir: scratch, nodePaths: [join(root, 'node_modules')] },
  );
}

const packagesOf = (report: BundleReport): string[] => [...new Set(report.modules.map(packageOf))].sort();
const zodCheckIn = (report: BundleReport): boolean =>
  report.modules.some((path) => path.endsWith('dist/util/zod-version-check.js'));

describe('a consumer bundle of one block', () => {
  it.each([
    ['circuitBreaker', 'bookingkit'],
    ['retry', 'bookingkit'],
    ['timeout', 'bookingkit'],
    ['bulkhead', 'bookingkit'],
    ['fallback', 'bookingkit'],
    ['wrap', 'bookingkit'],
    ['idempotent', 'bookingkit'],
    ['verifyCalcomSignature', 'bookingkit/calcom'],
    ['verifyRetellSignature', 'bookingkit/retell'],
  ])('of %s from %s holds neither zod nor libphonenumber-js', async (name, specifier) => {
    const report = await bundle(name, specifier);
    expect(report.modules.length).toBeGreaterThan(1);
    expect(packagesOf(report)).not.toContain('zod');
    expect(packagesOf(report)).not.toContain('libphonenumber-js');
    expect(zodCheckIn(report)).toBe(false);
  });

  it('of circuitBreaker holds no booking, saga or event module either', async () => {
    const report = await bundle('circuitBreaker');
    const own = report.modules.filter((path) => packageOf(path) === 'bookingkit');
    expect(own.some((path) => path.includes('dist/resilience/breaker/circuit-breaker.js'))).toBe(true);
    expect(own.filter((path) => /dist\/(booking|saga|events|domain|kit)\//.test(path))).toStrictEqual([]);
  });

  it('of a schema holds zod and runs the zod version check, but holds no phone metadata', async () => {
    const report = await bundle('Customer');
    expect(packagesOf(report)).toContain('zod');
    expect(zodCheckIn(report)).toBe(true);
    expect(packagesOf(report)).not.toContain('libphonenumber-js');
  });

  it('of normalizePhoneNumber holds libphonenumber-js', async () => {
    const report = await bundle('normalizePhoneNumber');
    expect(packagesOf(report)).toContain('libphonenumber-js');
  });

  it('of the booking service holds libphonenumber-js: it normalises callers’ numbers', async () => {
    const report = await bundle('createBookingService');
    expect(packagesOf(report)).toEqual(expect.arrayContaining(['zod', 'libphonenumber-js']));
  });
});
