import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/** Every module of the library (no tests): the ESM build keeps one output file per module. */
const modules = readdirSync('src', { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && !/\.(test|test-d|d)\.ts$/.test(file))
  .map((file) => join('src', file));

const ZOD_CHECK = 'src/util/zod-version-check.ts';
/** A value import from zod (`import type` is erased and needs no check). */
const ZOD_VALUE_IMPORT = /^import\s+(?!type\s)[^;]*?from\s+['"]zod['"]/m;

/**
 * ESM: every module that imports zod imports the zod version check first (on the same line, so
 * that source maps stay aligned), so a zod other than 4 is reported before any schema is built,
 * and only by modules that use zod: a consumer that bundles a block without zod (the circuit
 * breaker) bundles neither zod nor the check (docs/decisions/0008-bundle-boundaries.md).
 */
const zodCheckPerModule: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'zod-version-check-per-module',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const path = relative(process.cwd(), args.path);
      if (path === ZOD_CHECK || path === 'src/util/zod-version.ts' || !ZOD_VALUE_IMPORT.test(source))
        return { contents: source, loader: 'ts' };
      let check = relative(dirname(path), ZOD_CHECK).replace(/\\/g, '/').replace(/\.ts$/, '.js');
      if (!check.startsWith('.')) check = `./${check}`;
      return { contents: `import '${check}';${source}`, loader: 'ts' };
    });
  },
};

const shared = {
  target: 'node20',
  platform: 'node',
  // Maps without the sources embedded: stack traces (`node --enable-source-maps`) and debuggers
  // still point at src/ file and line, at a third of the size (docs/decisions/0004-source-maps.md).
  sourcemap: true,
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  outDir: 'dist',
  // Both builds write to dist/; it is emptied once, below, before either starts.
  clean: false,
} satisfies Options;

const migrations = 'src/adapters/postgres/migrations';

/**
 * CommonJS, one bundle per public entry point (shared code in chunks), as `require` consumers load
 * it. The entry names match the `exports` map in package.json (scripts/check-examples.ts reads
 * them from this `entry` map).
 */
const commonJsBuild = {
  ...shared,
  entry: {
    index: 'src/index.ts',
    calcom: 'src/calcom/index.ts',
    retell: 'src/retell/index.ts',
    postgres: 'src/adapters/postgres/index.ts',
    redis: 'src/adapters/redis/index.ts',
    http: 'src/http/index.ts',
    testing: 'src/testing/index.ts',
  },
  format: ['cjs'],
  dts: true,
  // Runs first in every built file: a zod other than 4 is reported clearly before any schema is built.
  inject: [ZOD_CHECK],
  splitting: true,
  treeshake: true,
  // Keep class and function names: esbuild otherwise renames classes it bundles (`_SlotConflictError`),
  // and `util.inspect`, `console.log` and error trackers print the constructor's name.
  keepNames: true,
  // import.meta.url in the CJS build, used to find the SQL migrations next to the bundle.
  shims: true,
  onSuccess: async () => {
    cpSync(migrations, 'dist/migrations', { recursive: true });
  },
} satisfies Options;

/** The public entry points: name (dist/NAME.js, dist/NAME.d.ts) to source. */
const entries = commonJsBuild.entry;

/**
 * ESM, one file per source module (`outDir` mirrors src/), so that a consumer's bundler keeps only
 * the modules it reaches: importing `circuitBreaker` does not bring the booking service, zod or
 * libphonenumber-js along. Nothing is bundled, so nothing is renamed and `keepNames` has nothing to
 * keep (its `__name(...)` calls would also keep every function alive). test/lint/bundle-boundaries
 * builds this into a scratch folder, without declarations.
 */
export function esmModulesBuild(outDir: string, declarations = true): Options {
  return {
    ...shared,
    outDir,
    entry: modules,
    format: ['esm'],
    bundle: false,
    splitting: false,
    treeshake: false,
    dts: declarations ? { entry: entries } : false,
    esbuildPlugins: [zodCheckPerModule],
    onSuccess: async () => {
      // migrate.ts finds them next to itself (adapters/postgres/), as in src/.
      cpSync(migrations, join(outDir, 'adapters/postgres/migrations'), { recursive: true });
      // <entry>.js, the file the `exports` map names, re-exports the entry's module.
      for (const [name, source] of Object.entries(entries)) {
        if (name === 'index') continue;
        const target = `./${relative('src', source).replace(/\.ts$/, '.js')}`;
        writeFileSync(join(outDir, `${name}.js`), `export * from '${target}';\n`);
      }
    },
  };
}

export default defineConfig(() => {
  rmSync('dist', { recursive: true, force: true });
  return [esmModulesBuild('dist'), commonJsBuild];
});
