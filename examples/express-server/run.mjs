// Starts the example from the built package: `node examples/express-server/run.mjs server|call [args]`.
//
// 1. Builds bookingkit's ESM modules into dist/ when dist/ is missing or older than src/ (seconds;
//    `npm run build` builds everything, declarations and CommonJS included).
// 2. Bundles the example's own few files with esbuild, leaving every package external; its
//    `bookingkit`, `bookingkit/postgres`, ... imports are resolved by the package name through
//    package.json's `exports`, i.e. to dist/.
// 3. Runs the bundle with node (no TypeScript loader at run time: it starts fast).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const exampleDir = dirname(fileURLToPath(import.meta.url));
const root = join(exampleDir, '..', '..');
const entries = { server: 'main.ts', call: 'call.ts' };

const [which = 'server', ...args] = process.argv.slice(2);
if (!(which in entries)) {
  console.error(`usage: node ${relative(process.cwd(), fileURLToPath(import.meta.url))} server|call [args]`);
  process.exit(2);
}

/** Newest modification time of the files under `dir` (0 when it does not exist). */
function newest(dir, filter = () => true) {
  let latest = 0;
  let names;
  try {
    names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!filter(name)) continue;
    const stat = statSync(join(dir, name));
    if (stat.isFile()) latest = Math.max(latest, stat.mtimeMs);
  }
  return latest;
}

function distIsStale() {
  let built;
  try {
    built = statSync(join(root, 'dist', 'index.js')).mtimeMs;
  } catch {
    return true;
  }
  const source = newest(join(root, 'src'), (name) => !/\.test(-d)?\.ts$/.test(name));
  return source > built;
}

const cache = join(root, 'node_modules', '.cache', 'bookingkit-example');
mkdirSync(cache, { recursive: true });

/**
 * Runs `fn` holding a lock directory, so that launchers started at once (tests, several
 * terminals) build dist/ one at a time; a lock older than two minutes is taken as abandoned.
 */
async function withBuildLock(fn) {
  const lock = join(cache, 'build.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // Released meanwhile.
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (distIsStale()) {
  await withBuildLock(() => {
    // Another launcher may have built it while this one waited.
    if (!distIsStale()) return;
    console.error('Building bookingkit into dist/ (missing or older than src/) ...');
    const built = spawnSync(
      'npx',
      ['tsup', '--config', 'examples/express-server/build-library.ts', '--silent'],
      {
        cwd: root,
        stdio: 'inherit',
        shell: process.platform === 'win32',
      },
    );
    if (built.status !== 0) process.exit(built.status ?? 1);
  });
}

const { build } = await import('esbuild');
// A folder per launcher: launchers started at once never read each other's half-written bundle.
const outdir = join(cache, `run-${process.pid}`);
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: [join(exampleDir, 'src', entries[which])],
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  define: { __EXAMPLE_DIR__: JSON.stringify(exampleDir) },
  plugins: [
    {
      name: 'packages-external',
      setup(b) {
        // bookingkit by its package name, through `exports`: the built dist/ files.
        b.onResolve({ filter: /^bookingkit(\/.*)?$/ }, (arg) => ({
          path: import.meta.resolve(arg.path),
          external: true,
        }));
        // Every other package stays external and is found in node_modules at run time.
        b.onResolve({ filter: /^[^./]/ }, (arg) => ({ path: arg.path, external: true }));
      },
    },
  ],
});

const bundle = join(outdir, entries[which].replace(/\.ts$/, '.js'));
const child = spawn(process.execPath, ['--enable-source-maps', bundle, ...args], { stdio: 'inherit' });
// The child gets Ctrl-C from the terminal itself; pass on signals sent to this process only.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  rmSync(outdir, { recursive: true, force: true });
  process.exit(code ?? (signal ? 128 : 1));
});
