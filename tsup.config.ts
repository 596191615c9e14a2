import { cpSync } from 'node:fs';
import { defineConfig } from 'tsup';

/** One build for every public entry point; names match the `exports` map in package.json. */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    calcom: 'src/calcom/index.ts',
    retell: 'src/retell/index.ts',
    postgres: 'src/adapters/postgres/index.ts',
    redis: 'src/adapters/redis/index.ts',
    http: 'src/http/index.ts',
    testing: 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  // Maps without the sources embedded: stack traces (`node --enable-source-maps`) and debuggers
  // still point at src/ file and line, at a third of the size (docs/decisions/0004-source-maps.md).
  sourcemap: true,
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  // Runs first in every built file: a zod other than 4 is reported clearly before any schema is built.
  inject: ['src/util/zod-version-check.ts'],
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: true,
  treeshake: true,
  outDir: 'dist',
  // Keep class and function names: esbuild otherwise renames classes it bundles (`_SlotConflictError`),
  // and `util.inspect`, `console.log` and error trackers print the constructor's name.
  keepNames: true,
  // import.meta.url in the CJS build, used to find the SQL migrations next to the bundle.
  shims: true,
  onSuccess: async () => {
    cpSync('src/adapters/postgres/migrations', 'dist/migrations', { recursive: true });
  },
});
