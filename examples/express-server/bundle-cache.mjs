// The example's start-up bundle, built once and reused while its sources are unchanged.
//
// One file holds the example and bookingkit (from src/, through the `paths` of
// examples/tsconfig.json, the mapping the typecheck uses), so a start loads one module instead of
// hundreds of dist/ files and needs no library build. Third-party packages stay external and are
// found in node_modules at run time.
import { createHash } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const exampleDir = dirname(fileURLToPath(import.meta.url));
const root = join(exampleDir, '..', '..');

/** Where bundles (and the PGlite template, see src/pglite-template.ts) are cached. */
export const CACHE_DIR = join(root, 'node_modules', '.cache', 'bookingkit-example');

/** Imports bundled rather than loaded from node_modules: bookingkit and pure JavaScript packages. */
const BUNDLED = /^(bookingkit|zod|@opentelemetry\/[\w-]+|libphonenumber-js|lru-cache|p-retry)(\/|$)/;

/** Bumped when the build options below change, so an older bundle is not reused. */
const FORMAT = 2;

/** The SQL migrations, copied beside the bundle: `migrate()` reads them next to the module that runs it. */
const MIGRATIONS = join(root, 'src', 'adapters', 'postgres', 'migrations');

/** sha256 of a file's bytes, or null when it cannot be read (deleted, renamed). */
function fileHash(path) {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return null;
  }
}

/** The files of a folder (name order) with their hashes: the migrations are inputs too. */
function folderHashes(dir) {
  const hashes = {};
  for (const name of readdirSync(dir).sort()) hashes[join(dir, name)] = fileHash(join(dir, name));
  return hashes;
}

/** One key for a set of inputs (path and content of each). */
function keyOf(inputs) {
  const hash = createHash('sha256').update(`format ${FORMAT}\n`);
  for (const path of Object.keys(inputs).sort()) hash.update(`${path}\n${inputs[path]}\n`);
  return hash.digest('hex').slice(0, 16);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * The cached bundle of `entryPoint` when every input it was built from still has the content it
 * had, else null. The manifest lists the inputs esbuild reported, each with its sha256.
 */
function cachedBundle(manifestPath) {
  const manifest = readJson(manifestPath);
  if (!manifest || manifest.format !== FORMAT) return null;
  for (const [path, hash] of Object.entries(manifest.inputs)) if (fileHash(path) !== hash) return null;
  // Also a migration added since: the folder is listed, not only the files that were there.
  if (keyOf({ ...manifest.inputs, ...folderHashes(MIGRATIONS) }) !== manifest.key) return null;
  try {
    statSync(manifest.file);
  } catch {
    return null;
  }
  return manifest.file;
}

/**
 * Removes this entry's bundles other than `keep` that are older than an hour (a process started
 * from one a moment ago may still read its migrations, a launcher may still be building one).
 */
function prune(cacheDir, name, keep) {
  const bundles = join(cacheDir, 'bundles');
  for (const dir of readdirSync(bundles)) {
    // Its bundles (`main-<key>`) and builds a launcher left unfinished (`main.<pid>.<time>.tmp`).
    if (!(dir.startsWith(`${name}-`) || dir.startsWith(`${name}.`)) || join(bundles, dir) === keep) continue;
    try {
      if (Date.now() - statSync(join(bundles, dir)).mtimeMs > 3_600_000)
        rmSync(join(bundles, dir), { recursive: true, force: true });
    } catch {
      // Removed by another launcher meanwhile.
    }
  }
}

/**
 * Resolves to the bundle of `entryPoint` (a .ts file of the example) and whether it was reused:
 * the cached one when its inputs (every source file esbuild read, and the migrations) are
 * unchanged by content, else a new build, written to a folder of its own and renamed into place,
 * so that launchers started at once never read a half-written bundle.
 *
 * @example
 * ```js
 * const { file, reused } = await exampleBundle(join(exampleDir, 'src', 'main.ts'));
 * await import(pathToFileURL(file).href);
 * ```
 */
export async function exampleBundle(
  entryPoint,
  { cacheDir = CACHE_DIR, tsconfig: tsconfigPath = join(exampleDir, '..', 'tsconfig.json') } = {},
) {
  const name = entryPoint.replace(/^.*[\\/]/, '').replace(/\.ts$/, '');
  const manifestPath = join(
    cacheDir,
    `${name}-${createHash('sha256').update(resolve(entryPoint)).digest('hex').slice(0, 8)}.json`,
  );
  const cached = cachedBundle(manifestPath);
  if (cached) return { file: cached, reused: true };

  const { build } = await import('esbuild');
  const building = join(cacheDir, 'bundles', `${name}.${process.pid}.${Date.now()}.tmp`);
  mkdirSync(building, { recursive: true });
  /** Every file the bundle was built from: absolute path to sha256. */
  const inputs = {};
  for (const config of [tsconfigPath, join(root, 'tsconfig.json')])
    inputs[resolve(config)] = fileHash(config);
  try {
    await build({
      entryPoints: [entryPoint],
      outdir: building,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: true,
      sourcesContent: false,
      // Class and function names stay as written (logs and errors print constructor names).
      keepNames: true,
      // The bundled CommonJS packages (OpenTelemetry) require Node's built-in modules.
      banner: {
        js: "import { createRequire as __exampleCreateRequire } from 'node:module'; const require = __exampleCreateRequire(import.meta.url);",
      },
      logLevel: 'warning',
      tsconfig: tsconfigPath,
      define: { __EXAMPLE_DIR__: JSON.stringify(exampleDir) },
      plugins: [
        {
          name: 'packages-external',
          setup(b) {
            // bookingkit is mapped to src/ by the tsconfig's `paths`; the pure JavaScript
            // packages below are bundled too (zod and OpenTelemetry alone are hundreds of
            // modules). Every other package (PGlite's WebAssembly, pino's worker, express, the
            // drivers) is loaded from node_modules at run time.
            b.onResolve({ filter: /^[^./]/ }, (arg) =>
              BUNDLED.test(arg.path) || /^[a-zA-Z]:[\\/]/.test(arg.path)
                ? undefined
                : { path: arg.path, external: true },
            );
            // Each source is hashed as read for the bundle: an edit made during the build makes
            // the manifest disagree with the file, so the next start builds again.
            b.onLoad({ filter: /\.(ts|mts|js|mjs|json)$/ }, (arg) => {
              const contents = readFileSync(arg.path);
              inputs[resolve(arg.path)] = createHash('sha256').update(contents).digest('hex');
              const ext = arg.path.replace(/^.*\./, '');
              return { contents, loader: ext === 'json' ? 'json' : ext.endsWith('ts') ? 'ts' : 'js' };
            });
          },
        },
      ],
    });
    cpSync(MIGRATIONS, join(building, 'migrations'), { recursive: true });
    const key = keyOf({ ...inputs, ...folderHashes(MIGRATIONS) });
    const final = join(cacheDir, 'bundles', `${name}-${key}`);
    try {
      renameSync(building, final);
    } catch {
      // Another launcher built the same sources first: its bundle is as good.
      rmSync(building, { recursive: true, force: true });
    }
    const file = join(final, `${name}.js`);
    const manifestTmp = `${manifestPath}.${process.pid}.tmp`;
    writeFileSync(manifestTmp, JSON.stringify({ format: FORMAT, key, file, inputs }, null, 1));
    renameSync(manifestTmp, manifestPath);
    prune(cacheDir, name, final);
    return { file, reused: false };
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    throw error;
  }
}
