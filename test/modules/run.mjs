// Packs bookingkit as npm would publish it, installs the tarball into a scratch consumer inside
// the repo (so its dependencies resolve from the repo's node_modules, without network), then:
// runs a real ESM consumer and a real CJS consumer that import every entry point; type-checks an
// ESM and a CJS consumer against the packed declarations (skipLibCheck false, module node16) and
// refuses declarations that import a third-party package; runs the README quickstart as a file;
// and checks that a zod 3 is refused at load with a clear message.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const consumer = join(here, '.consumer');
rmSync(consumer, { recursive: true, force: true });
const target = join(consumer, 'node_modules', 'bookingkit');
mkdirSync(target, { recursive: true });
// A package of its own: inside the repo's package scope, `bookingkit` would resolve to the repo
// itself (self-reference) rather than to the installed tarball.
writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));

const packed = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', consumer], { cwd: root, encoding: 'utf8' }),
);
execFileSync('tar', ['-xzf', join(consumer, packed[0].filename), '-C', target, '--strip-components=1']);
for (const file of [
  'esm-consumer.mjs',
  'cjs-consumer.cjs',
  'expectations.json',
  'types-esm-consumer.mts',
  'types-cjs-consumer.cts',
  'tsconfig.consumer.json',
]) {
  cpSync(join(here, file.startsWith('types-') ? join('fixtures', file) : file), join(consumer, file));
}

for (const file of ['esm-consumer.mjs', 'cjs-consumer.cjs']) {
  execFileSync(process.execPath, [file], { cwd: consumer, stdio: 'inherit' });
}

// Declarations: no import of a third-party package but zod (the peer dependency whose schemas
// are part of the API). Such an import breaks consumers that do not have that package's types,
// or, under node16 CommonJS, have them only as ESM (TS1479).
const allowedTypeImports = new Set(['zod']);
const dist = join(target, 'dist');
const leaks = [];
for (const file of readdirSync(dist).filter((name) => /\.d\.c?ts$/.test(name))) {
  // Without comments: TSDoc examples import other packages, and that is no leak.
  const text = readFileSync(join(dist, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
    const name = specifier.startsWith('@')
      ? specifier.split('/').slice(0, 2).join('/')
      : specifier.split('/')[0];
    if (!specifier.startsWith('.') && !specifier.startsWith('node:') && !allowedTypeImports.has(name))
      leaks.push(`${file} imports ${specifier}`);
  }
}
assert.deepEqual(leaks, [], `declarations import third-party packages:\n${leaks.join('\n')}`);

// The same, as the compiler sees it: an ESM and a CJS consumer with skipLibCheck false.
const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.consumer.json'], { cwd: consumer, stdio: 'inherit' });
console.log('type consumers: ESM and CJS declarations compile with skipLibCheck false (node16)');

// The README quickstart, as a user would run it: saved as a file in an ESM app.
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const quickstart = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
assert.ok(quickstart, 'README.md has no ```js quickstart block');
writeFileSync(join(consumer, 'readme-quickstart.mjs'), quickstart);
const run = spawnSync(process.execPath, ['readme-quickstart.mjs'], {
  cwd: consumer,
  encoding: 'utf8',
  timeout: 60_000,
});
process.stdout.write(run.stdout);
process.stderr.write(run.stderr);
assert.equal(run.status, 0, `README quickstart exited with ${run.status ?? run.signal}`);
assert.notEqual(run.stdout.trim(), '', 'README quickstart printed nothing');
console.log('README quickstart: runs as a file in an ESM consumer');

// A zod 3 (which pnpm, yarn and npm --legacy-peer-deps install with only a warning) is refused
// at load, naming the installed version and the fix. zod 4 ships zod 3 as `zod/v3`: a stand-in
// package named zod at version 3 re-exports it.
const zod3 = join(consumer, 'zod3');
cpSync(target, join(zod3, 'node_modules', 'bookingkit'), { recursive: true });
const zodShim = join(zod3, 'node_modules', 'zod');
mkdirSync(zodShim, { recursive: true });
const realZodV3 = createRequire(join(root, 'package.json')).resolve('zod/v3');
writeFileSync(
  join(zodShim, 'package.json'),
  JSON.stringify({
    name: 'zod',
    version: '3.25.76',
    exports: { '.': { import: './index.mjs', require: './index.cjs' }, './package.json': './package.json' },
  }),
);
writeFileSync(join(zodShim, 'index.cjs'), `module.exports = require(${JSON.stringify(realZodV3)});\n`);
writeFileSync(join(zodShim, 'index.mjs'), `export * from ${JSON.stringify(realZodV3)};\n`);
for (const [kind, code] of [
  [
    'ESM',
    "import('bookingkit').then(() => process.exit(0), (e) => { console.error(e.code, e.message); process.exit(1); })",
  ],
  ['CJS', "try { require('bookingkit') } catch (e) { console.error(e.code, e.message); process.exit(1) }"],
]) {
  const loaded = spawnSync(process.execPath, ['-e', code], { cwd: zod3, encoding: 'utf8' });
  assert.equal(loaded.status, 1, `${kind}: bookingkit loaded with zod 3`);
  assert.match(
    loaded.stderr,
    /^ZOD_VERSION bookingkit needs zod 4 .*installed zod is 3\.25\.76.*npm install zod@\^4/,
  );
}
console.log('zod 3: refused at load (ESM and CJS), naming the version and the fix');

rmSync(consumer, { recursive: true, force: true });
console.log('module smoke tests passed (ESM and CJS)');
