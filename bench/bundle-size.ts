/**
 * What bookingkit costs a consumer's bundle: for every public entry (everything it exports) and for
 * single imports (`import { circuitBreaker } from 'bookingkit'`), bundles a two-line consumer of
 * the built package with esbuild (bundle, minify, platform node, ESM; only node builtins and the
 * optional peers pg, ioredis and @electric-sql/pglite external), and prints the minified and the
 * minified + gzip size and how many bytes of zod and of libphonenumber-js ended up in it (from
 * esbuild's metafile). Builds the package first unless dist/ is newer than every source file.
 *
 * Run: `npm run bundle-size` (`-- --json` for machine-readable output, `-- --no-build` to measure
 * dist/ as it is).
 * Sizes depend on the versions of zod and libphonenumber-js installed; compare runs on one checkout.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Packages a consumer installs anyway or may leave out: never bundled. */
export const EXTERNAL_PEERS = ['pg', 'ioredis', '@electric-sql/pglite'] as const;

/** One consumer to bundle: a label and the module's source. */
export interface Consumer {
  readonly label: string;
  readonly source: string;
}

/** What one consumer's bundle came to. */
export interface BundleReport {
  readonly label: string;
  /** Minified bundle, bytes. */
  readonly minBytes: number;
  /** Minified and gzipped (level 9), bytes. */
  readonly gzipBytes: number;
  /** Bytes in the output per npm package (`bookingkit` for this package's own files). */
  readonly bytesByPackage: Readonly<Record<string, number>>;
  /** Every module esbuild put into the output (paths relative to `resolveDir`'s working directory). */
  readonly modules: readonly string[];
}

/** The npm package a metafile input path belongs to (`bookingkit` for files outside node_modules). */
export function packageOf(path: string): string {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  return match?.[1] ?? 'bookingkit';
}

/** Where {@link bundleConsumer} resolves imports from. */
export interface ResolveOptions {
  /**
   * Folder the consumer sits in. From the repository, `bookingkit` resolves to the built package
   * through its own `exports` (dist/). @default the repository
   */
  readonly resolveDir?: string;
  /** Further folders to look for packages in (for a package built outside the repository). */
  readonly nodePaths?: readonly string[];
}

/** Bundles `consumer.source` as a consumer of the package would, and reports the sizes. */
export async function bundleConsumer(
  consumer: Consumer,
  { resolveDir = root, nodePaths = [] }: ResolveOptions = {},
): Promise<BundleReport> {
  const result = await build({
    stdin: { contents: consumer.source, resolveDir, loader: 'ts', sourcefile: 'consumer.ts' },
    nodePaths: [...nodePaths],
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: [...EXTERNAL_PEERS],
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const metafile: Metafile = result.metafile;
  const output = Object.values(metafile.outputs)[0];
  const bytesByPackage: Record<string, number> = {};
  const modules: string[] = [];
  for (const [path, input] of Object.entries(output?.inputs ?? {})) {
    if (input.bytesInOutput === 0) continue;
    modules.push(path);
    const name = path === 'consumer.ts' ? 'consumer' : packageOf(path);
    bytesByPackage[name] = (bytesByPackage[name] ?? 0) + input.bytesInOutput;
  }
  return {
    label: consumer.label,
    minBytes: code.byteLength,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    bytesByPackage,
    modules,
  };
}

/** A consumer that uses everything an entry exports. */
const wholeEntry = (specifier: string): Consumer => ({
  label: `${specifier} (all)`,
  source: `import * as entry from '${specifier}';\nconsole.log(entry);\n`,
});

/** A consumer that imports one name. */
const single = (name: string, specifier = 'bookingkit'): Consumer => ({
  label: `{ ${name} } from '${specifier}'`,
  source: `import { ${name} } from '${specifier}';\nconsole.log(${name});\n`,
});

/** The consumers measured, entries first. */
export const CONSUMERS: readonly Consumer[] = [
  ...['bookingkit', 'calcom', 'retell', 'postgres', 'redis', 'http', 'testing'].map((entry) =>
    wholeEntry(entry === 'bookingkit' ? entry : `bookingkit/${entry}`),
  ),
  single('circuitBreaker'),
  single('retry'),
  single('timeout'),
  single('bulkhead'),
  single('wrap'),
  single('BrokenCircuitError'),
  single('createEventBus'),
  single('idempotent'),
  single('createSagaCoordinator'),
  single('maskPhoneNumber'),
  single('normalizePhoneNumber'),
  single('Customer'),
  single('createBookingService'),
  single('createBookingKit'),
  single('verifyCalcomSignature', 'bookingkit/calcom'),
  single('verifyRetellSignature', 'bookingkit/retell'),
  single('createWebhookHandler', 'bookingkit/http'),
  single('createRedisBreakerStateStore', 'bookingkit/redis'),
  single('createPostgresIdempotencyStore', 'bookingkit/postgres'),
];

/** Newest modification time of any file under `dir`, in ms. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * Builds the package unless dist/ is newer than src/, tsup.config.ts and package.json, or
 * `--no-build` says to measure dist/ as it is.
 */
function ensureBuilt(): void {
  if (process.argv.includes('--no-build')) return;
  let built = 0;
  try {
    built = statSync(join(root, 'dist', 'index.js')).mtimeMs;
  } catch {
    built = 0;
  }
  const sources = Math.max(
    newest(join(root, 'src')),
    statSync(join(root, 'tsup.config.ts')).mtimeMs,
    statSync(join(root, 'package.json')).mtimeMs,
  );
  if (built > sources) return;
  console.log('building the package (dist/ is older than the sources)...');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

const kb = (bytes: number | undefined): string => (bytes ? `${(bytes / 1024).toFixed(1)} KB` : '-');

async function main(): Promise<void> {
  ensureBuilt();
  const reports: BundleReport[] = [];
  for (const consumer of CONSUMERS) reports.push(await bundleConsumer(consumer));
  if (process.argv.includes('--json')) {
    console.log(
      JSON.stringify(
        reports.map(({ modules: _modules, ...report }) => report),
        null,
        2,
      ),
    );
    return;
  }
  console.log('\nbundle size of a consumer (esbuild, minified, platform node, ESM)');
  console.table(
    reports.map((r) => ({
      consumer: r.label,
      min: kb(r.minBytes),
      'min+gzip': kb(r.gzipBytes),
      bookingkit: kb(r.bytesByPackage['bookingkit']),
      zod: kb(r.bytesByPackage['zod']),
      'libphonenumber-js': kb(r.bytesByPackage['libphonenumber-js']),
      other: kb(
        Object.entries(r.bytesByPackage)
          .filter(([name]) => !['bookingkit', 'zod', 'libphonenumber-js', 'consumer'].includes(name))
          .reduce((sum, [, bytes]) => sum + bytes, 0),
      ),
    })),
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
