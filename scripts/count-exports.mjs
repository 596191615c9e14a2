// Counts the names each public entry point exports, from the TypeScript program itself (so it needs
// no build): runtime names (values: functions, classes, consts) and type-only names (interfaces,
// type aliases). A zod schema and its same-named type count once, as a runtime name.
//
// Also reports what a curated surface must not have: a name reachable through two entries, and a
// name whose declaration is tagged `@internal`.
//
//   node scripts/count-exports.mjs            table of counts, then duplicates and @internal names
//   node scripts/count-exports.mjs --list     also every name per entry
//   node scripts/count-exports.mjs --json     machine-readable
//   node scripts/count-exports.mjs --check    exit 1 when a duplicate or an @internal name is exported
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Entry name (as a consumer imports it) to its source file; mirrors tsup.config.ts. */
const entries = {
  bookingkit: 'src/index.ts',
  'bookingkit/calcom': 'src/calcom/index.ts',
  'bookingkit/retell': 'src/retell/index.ts',
  'bookingkit/postgres': 'src/adapters/postgres/index.ts',
  'bookingkit/redis': 'src/adapters/redis/index.ts',
  'bookingkit/http': 'src/http/index.ts',
  'bookingkit/testing': 'src/testing/index.ts',
};

const configPath = join(root, 'tsconfig.build.json');
const config = ts.getParsedCommandLineOfConfigFile(
  configPath,
  {},
  { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} },
);
if (!config) throw new Error(`cannot read ${configPath}`);
const program = ts.createProgram(
  Object.values(entries).map((file) => join(root, file)),
  config.options,
);
const checker = program.getTypeChecker();

function resolve(symbol) {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

function isInternal(symbol) {
  return (symbol.declarations ?? []).some((declaration) =>
    ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'internal'),
  );
}

function declaredIn(symbol) {
  const declaration = symbol.declarations?.[0];
  return declaration ? relative(root, declaration.getSourceFile().fileName) : '?';
}

const report = {};
/** Resolved symbol to the entries (and names) through which it is reachable. */
const routes = new Map();
for (const [entry, file] of Object.entries(entries)) {
  const source = program.getSourceFile(join(root, file));
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${file} is not a module`);
  const runtime = [];
  const types = [];
  const internal = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const target = resolve(exported);
    const name = exported.getName();
    (target.flags & ts.SymbolFlags.Value ? runtime : types).push(name);
    if (isInternal(target)) internal.push(`${name} (${declaredIn(target)})`);
    const seen = routes.get(target) ?? [];
    seen.push({ entry, name });
    routes.set(target, seen);
  }
  report[entry] = { runtime: runtime.sort(), types: types.sort(), internal };
}

const duplicates = [...routes.entries()]
  .filter(([, seen]) => new Set(seen.map((route) => route.entry)).size > 1)
  .map(([symbol, seen]) => ({
    name: symbol.getName(),
    declaredIn: declaredIn(symbol),
    entries: seen.map((route) => route.entry),
  }));

const args = new Set(process.argv.slice(2));
if (args.has('--json')) {
  console.log(JSON.stringify({ entries: report, duplicates }, null, 2));
} else {
  const rows = Object.entries(report).map(([entry, { runtime, types }]) => [
    entry,
    runtime.length,
    types.length,
    runtime.length + types.length,
  ]);
  const total = rows.reduce(
    (sum, row) => [0, 1, 2, 3].map((i) => (i === 0 ? 'total' : sum[i] + row[i])),
    ['total', 0, 0, 0],
  );
  console.log(['entry'.padEnd(22), 'runtime', '  types', '  total'].join(' '));
  for (const row of [...rows, total])
    console.log([String(row[0]).padEnd(22), ...row.slice(1).map((n) => String(n).padStart(7))].join(' '));
  if (args.has('--list')) {
    for (const [entry, { runtime, types }] of Object.entries(report)) {
      console.log(`\n${entry}\n  runtime: ${runtime.join(', ')}\n  types: ${types.join(', ')}`);
    }
  }
  console.log(`\nnames reachable through more than one entry: ${duplicates.length}`);
  for (const duplicate of duplicates)
    console.log(`  ${duplicate.name} (${duplicate.declaredIn}): ${duplicate.entries.join(', ')}`);
  const internal = Object.entries(report).flatMap(([entry, { internal: names }]) =>
    names.map((name) => `${entry}: ${name}`),
  );
  console.log(`@internal names exported: ${internal.length}`);
  for (const line of internal) console.log(`  ${line}`);
}

if (args.has('--check')) {
  const internalCount = Object.values(report).reduce((sum, entry) => sum + entry.internal.length, 0);
  if (duplicates.length > 0 || internalCount > 0) process.exit(1);
}
