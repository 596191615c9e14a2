import { cpSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** bookingkit's public entry points, as package.json's `exports` name them, to their sources. */
const ENTRIES: Readonly<Record<string, string>> = {
  bookingkit: 'src/index.ts',
  'bookingkit/calcom': 'src/calcom/index.ts',
  'bookingkit/retell': 'src/retell/index.ts',
  'bookingkit/postgres': 'src/adapters/postgres/index.ts',
  'bookingkit/redis': 'src/adapters/redis/index.ts',
  'bookingkit/http': 'src/http/index.ts',
  'bookingkit/testing': 'src/testing/index.ts',
};

const bundles = new Map<string, Promise<string>>();

/**
 * Bundles `entry` (a path from the repository root) with bookingkit taken from src/ (not dist/,
 * which other work may be rebuilding) into a folder private to this test process, once per
 * process, and resolves to the bundle's path. Every other package stays external and is loaded
 * from node_modules at run time, so the bundle starts in a fraction of a second.
 */
export function bundle(entry: string, define: Readonly<Record<string, string>> = {}): Promise<string> {
  const key = `${entry}\n${JSON.stringify(define)}`;
  let built = bundles.get(key);
  if (!built) {
    built = (async () => {
      const outdir = join(
        ROOT,
        'node_modules',
        '.cache',
        'bookingkit-processes',
        `${process.pid}-${bundles.size}`,
      );
      mkdirSync(outdir, { recursive: true });
      await build({
        entryPoints: [join(ROOT, entry)],
        outdir,
        outExtension: { '.js': '.mjs' },
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        sourcemap: true,
        logLevel: 'error',
        define,
        plugins: [
          {
            name: 'bookingkit-from-src',
            setup(b) {
              b.onResolve({ filter: /^bookingkit(\/.*)?$/ }, (arg) => {
                const source = ENTRIES[arg.path];
                if (!source) throw new Error(`bundle: ${arg.path} is not an entry point of bookingkit`);
                return { path: join(ROOT, source) };
              });
              // Every other package stays external, found in node_modules at run time.
              b.onResolve({ filter: /^[^./]/ }, (arg) =>
                arg.path.startsWith('/') ? undefined : { path: arg.path, external: true },
              );
            },
          },
        ],
      });
      // migrate() reads its SQL files beside the module that runs it, as dist/ has them.
      cpSync(join(ROOT, 'src', 'adapters', 'postgres', 'migrations'), join(outdir, 'migrations'), {
        recursive: true,
      });
      return join(outdir, basename(entry).replace(/\.ts$/, '.mjs'));
    })();
    bundles.set(key, built);
  }
  return built;
}
