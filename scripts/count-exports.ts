// Measures the public surface: the names each entry point exports, read from the TypeScript program
// (no build needed). A runtime name has a value (function, class, const, zod schema); a type name
// is only a type (interface, type alias). A zod schema and its same-named type are one name.
//
// It also finds what a curated surface must not have: a name reachable through two entries, a name
// whose declaration is tagged `@internal`, and a zod schema named against the rule of
// docs/decisions/0005-schema-naming.md (no `Schema` suffix; its type has the schema's name).
//
//   npx tsx scripts/count-exports.ts           counts per entry, then any problems
//   npx tsx scripts/count-exports.ts --list    also every name per entry
//   npx tsx scripts/count-exports.ts --json    machine-readable
//   npx tsx scripts/count-exports.ts --check   exits 1 when there is a problem
//
// test/lint/public-surface.test.ts runs the same checks under `npm test`.
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** Entry name (as a consumer imports it) to its source file; mirrors tsup.config.ts. */
export const entries: Readonly<Record<string, string>> = {
  bookingkit: 'src/index.ts',
  'bookingkit/calcom': 'src/calcom/index.ts',
  'bookingkit/retell': 'src/retell/index.ts',
  'bookingkit/postgres': 'src/adapters/postgres/index.ts',
  'bookingkit/redis': 'src/adapters/redis/index.ts',
  'bookingkit/http': 'src/http/index.ts',
  'bookingkit/testing': 'src/testing/index.ts',
};

/** What one entry exports. */
export interface EntrySurface {
  /** Names with a runtime value, sorted. */
  readonly runtime: readonly string[];
  /** Type-only names, sorted. */
  readonly types: readonly string[];
  /** Exported names whose declaration is tagged `@internal`, with the declaring file. */
  readonly internal: readonly string[];
  /** Exported zod schemas that break the naming rule, with the reason. */
  readonly misnamedSchemas: readonly string[];
}

/** A declaration exported by more than one entry. */
export interface DuplicateRoute {
  readonly name: string;
  readonly declaredIn: string;
  readonly entries: readonly string[];
}

/** The whole public surface. */
export interface Surface {
  readonly entries: Readonly<Record<string, EntrySurface>>;
  readonly duplicates: readonly DuplicateRoute[];
}

const defaultRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Reads the surface of every entry from the TypeScript program of `tsconfig.build.json`. */
export function measureSurface(root: string = defaultRoot): Surface {
  const configPath = join(root, 'tsconfig.build.json');
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!config) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram(
    Object.values(entries).map((file) => join(root, file)),
    config.options,
  );
  const checker = program.getTypeChecker();
  const resolve = (symbol: ts.Symbol): ts.Symbol =>
    symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const declaredIn = (symbol: ts.Symbol): string => {
    const declaration = symbol.declarations?.[0];
    return declaration ? relative(root, declaration.getSourceFile().fileName) : '?';
  };
  const isInternal = (symbol: ts.Symbol): boolean =>
    (symbol.declarations ?? []).some((declaration) =>
      ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'internal'),
    );
  const isZodSchema = (symbol: ts.Symbol): boolean =>
    Boolean(symbol.flags & ts.SymbolFlags.Variable) &&
    checker.getTypeOfSymbol(symbol).getProperty('_zod') !== undefined;

  const surfaces: Record<string, EntrySurface> = {};
  const routes = new Map<ts.Symbol, { entry: string; name: string }[]>();
  for (const [entry, file] of Object.entries(entries)) {
    const source = program.getSourceFile(join(root, file));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`${file} is not a module`);
    const runtime: string[] = [];
    const types: string[] = [];
    const internal: string[] = [];
    const misnamedSchemas: string[] = [];
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const target = resolve(exported);
      const name = exported.getName();
      (target.flags & ts.SymbolFlags.Value ? runtime : types).push(name);
      if (isInternal(target)) internal.push(`${name} (${declaredIn(target)})`);
      if (isZodSchema(target)) {
        if (name.endsWith('Schema')) misnamedSchemas.push(`${name}: a schema takes its type's name`);
        else if (!(target.flags & ts.SymbolFlags.Type))
          misnamedSchemas.push(`${name}: no type of the same name beside the schema`);
      }
      const seen = routes.get(target) ?? [];
      seen.push({ entry, name });
      routes.set(target, seen);
    }
    surfaces[entry] = { runtime: runtime.sort(), types: types.sort(), internal, misnamedSchemas };
  }
  const duplicates = [...routes.entries()]
    .filter(([, seen]) => new Set(seen.map((route) => route.entry)).size > 1)
    .map(([symbol, seen]) => ({
      name: symbol.getName(),
      declaredIn: declaredIn(symbol),
      entries: seen.map((route) => route.entry),
    }));
  return { entries: surfaces, duplicates };
}

/** One line per problem; empty when the surface is curated. */
export function surfaceProblems(surface: Surface): string[] {
  return [
    ...surface.duplicates.map(
      (duplicate) =>
        `${duplicate.name} (${duplicate.declaredIn}) is exported by ${duplicate.entries.join(' and ')}`,
    ),
    ...Object.entries(surface.entries).flatMap(([entry, { internal, misnamedSchemas }]) => [
      ...internal.map((name) => `${entry} exports the @internal ${name}`),
      ...misnamedSchemas.map((problem) => `${entry}: ${problem}`),
    ]),
  ];
}

function main(args: ReadonlySet<string>): void {
  const surface = measureSurface();
  const problems = surfaceProblems(surface);
  if (args.has('--json')) {
    console.log(JSON.stringify({ ...surface, problems }, null, 2));
  } else {
    const rows = Object.entries(surface.entries).map(
      ([entry, { runtime, types }]) => [entry, runtime.length, types.length] as const,
    );
    const total = rows.reduce(
      (sum, [, runtime, types]) => ['total', sum[1] + runtime, sum[2] + types] as const,
      ['total', 0, 0] as const,
    );
    console.log(`${'entry'.padEnd(22)} runtime   types   total`);
    for (const [entry, runtime, types] of [...rows, total]) {
      const cells = [runtime, types, runtime + types].map((n) => String(n).padStart(7));
      console.log(`${entry.padEnd(22)} ${cells.join(' ')}`);
    }
    if (args.has('--list')) {
      for (const [entry, { runtime, types }] of Object.entries(surface.entries))
        console.log(`\n${entry}\n  runtime: ${runtime.join(', ')}\n  types: ${types.join(', ')}`);
    }
    console.log(`\nproblems: ${problems.length}`);
    for (const problem of problems) console.log(`  ${problem}`);
  }
  if (args.has('--check') && problems.length > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(new Set(process.argv.slice(2)));
}
