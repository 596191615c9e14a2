// Type-checks every ```ts block under an `@example` tag in the TSDoc of src/ (test files aside), so
// the docs cannot drift from the code. Run with `npx tsx scripts/check-examples.ts`; the test
// test/docs/examples.test.ts runs the same check under `npm test`.
//
// Each block becomes a virtual module; all of them are checked in one TypeScript program with the
// project's compiler options, `bookingkit` and `bookingkit/<entry>` mapped to the source entries.
// A name a block uses without importing or declaring it is imported from the public entry that
// exports it; any other undefined name fails. Lines of a block before `// ---cut---` are its
// preamble: compiled here, hidden from the rendered docs (scripts/typedoc-hide-preamble.mjs).
// See docs/decisions/0006-compiled-examples.md.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** The line that ends a block's hidden preamble. */
export const CUT_LINE = '// ---cut---';

/** One ```ts block under an `@example` tag. */
export interface Example {
  /** Path of the source file, relative to the root, with forward slashes. */
  readonly file: string;
  /** 1-based line in the source file of the block's first code line. */
  readonly line: number;
  /** The documented declaration (`createBookingService`, `BookingService.book`, `module`). */
  readonly name: string;
  /** The block's code, comment markers stripped. */
  readonly code: string;
}

/** A public entry point: the specifier a user imports and the source file behind it. */
export interface Entry {
  readonly specifier: string;
  readonly file: string;
}

/** What the check found. */
export interface CheckResult {
  readonly examples: readonly Example[];
  /** One line per failure: `src/file.ts:LINE (@example of NAME): TSxxxx: message`. */
  readonly failures: readonly string[];
  /** How many examples have at least one failure. */
  readonly broken: number;
  /** Names imported into examples from the entries, by example (`file:line`), for the curious. */
  readonly autoImported: ReadonlyMap<string, readonly string[]>;
}

/** What to check; the defaults read the repository. */
export interface CheckOptions {
  /** Repository root; default: the folder above scripts/. */
  readonly root?: string;
  /** Source files to read, relative to the root; default: every non-test `.ts` file under src/. */
  readonly files?: readonly string[];
}

// Cannot find name / namespace; no value for a shorthand property.
const MISSING_NAME_CODES = new Set([2304, 2503, 2552, 2582, 2583, 18004]);

const here = dirname(fileURLToPath(import.meta.url));

/** Every non-test `.ts` file under `dir`, relative to `root`, sorted. */
export function sourceFiles(root: string, dir = 'src'): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(root, rel));
    else if (/\.ts$/.test(entry.name) && !/\.(test|test-d|d)\.ts$/.test(entry.name)) out.push(rel);
  }
  return out.sort();
}

/**
 * The public entries: each key of package.json `exports` whose types point at `dist/NAME.d.ts`,
 * paired with tsup's entry NAME (tsup.config.ts), root entry first.
 */
export function publicEntries(root: string): Entry[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, unknown>;
  };
  const tsup = readFileSync(join(root, 'tsup.config.ts'), 'utf8');
  const entryMap = /entry:\s*\{([\s\S]*?)\}/.exec(tsup)?.[1] ?? '';
  const sources = new Map<string, string>();
  for (const [, key, file] of entryMap.matchAll(/['"]?([\w-]+)['"]?\s*:\s*['"]([^'"]+)['"]/g)) {
    sources.set(key!, file!);
  }
  const entries: Entry[] = [];
  for (const [key, target] of Object.entries(pkg.exports)) {
    const types = /dist\/([\w-]+)\.d\.ts/.exec(JSON.stringify(target))?.[1];
    const file = types === undefined ? undefined : sources.get(types);
    if (file === undefined) continue;
    entries.push({ specifier: key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`, file });
  }
  return entries.sort((a, b) => a.specifier.length - b.specifier.length);
}

/** The name of the declaration a comment documents, qualified by its enclosing declarations. */
function declarationName(node: ts.Node, comment: string): string {
  if (/@module\b/.test(comment)) return 'module';
  const parts: string[] = [];
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    let name: string | undefined;
    if (ts.isVariableStatement(current)) {
      name = current.declarationList.declarations[0]?.name.getText();
    } else if ('name' in current && current.name && ts.isIdentifier(current.name as ts.Node)) {
      name = (current.name as ts.Identifier).text;
    } else if (ts.isConstructorDeclaration(current)) {
      name = 'constructor';
    }
    if (name !== undefined && !ts.isVariableDeclaration(current)) parts.unshift(name);
  }
  return parts.join('.') || '(anonymous)';
}

/** The ```ts blocks under `@example` tags of one TSDoc comment. */
function blocksOfComment(comment: string, firstLine: number): { line: number; code: string }[] {
  const lines = comment.split('\n').map((raw, i) => ({
    line: firstLine + i,
    text: raw
      .replace(/^\s*\/\*\*\s?/, '')
      .replace(/\s*\*\/\s*$/, '')
      .replace(/^\s*\* ?/, ''),
  }));
  const blocks: { line: number; code: string }[] = [];
  let inExample = false;
  let fence: { line: number; lines: string[]; ts: boolean } | undefined;
  for (const { line, text } of lines) {
    if (fence) {
      if (/^\s*```\s*$/.test(text)) {
        if (fence.ts && inExample) blocks.push({ line: fence.line, code: fence.lines.join('\n') });
        fence = undefined;
      } else {
        fence.lines.push(text);
      }
      continue;
    }
    const open = /^\s*```\s*(\w*)/.exec(text);
    if (open) {
      fence = { line: line + 1, lines: [], ts: ['ts', 'typescript', 'tsx'].includes(open[1]!) };
      continue;
    }
    const tag = /^\s*(@\w+)/.exec(text)?.[1];
    if (tag) inExample = tag === '@example';
  }
  return blocks;
}

/** Every example of one source file. */
export function examplesOf(file: string, text: string): Example[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const seen = new Set<number>();
  const examples: Example[] = [];
  const visit = (node: ts.Node): void => {
    // The file's first comment belongs to its first statement, not to the file.
    const ranges = ts.isSourceFile(node) ? [] : (ts.getLeadingCommentRanges(text, node.pos) ?? []);
    for (const range of ranges) {
      if (seen.has(range.pos)) continue;
      seen.add(range.pos);
      const comment = text.slice(range.pos, range.end);
      if (!comment.startsWith('/**') || !/@example\b/.test(comment)) continue;
      const firstLine = sf.getLineAndCharacterOfPosition(range.pos).line + 1;
      const name = declarationName(node, comment);
      for (const block of blocksOfComment(comment, firstLine)) examples.push({ file, name, ...block });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return examples;
}

/** The project's compiler options, with the public specifiers mapped to the source entries. */
function compilerOptions(root: string, entries: readonly Entry[]): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath);
  const paths: Record<string, string[]> = {};
  for (const entry of entries) paths[entry.specifier] = [resolve(root, entry.file)];
  // Nothing is emitted or cached: the examples are checked, never built.
  const { incremental: _incremental, tsBuildInfoFile: _buildInfo, ...options } = parsed.options;
  return { ...options, noEmit: true, paths };
}

interface VirtualModule {
  readonly example: Example;
  readonly path: string;
  imports: string[];
}

function render(module: VirtualModule): string {
  // Imports are hoisted, so putting the added ones last keeps the example's line numbers.
  return [module.example.code, 'export {};', ...module.imports, ''].join('\n');
}

/** Compiles the virtual modules in one program; `previous` lets unchanged files be reused. */
function compile(
  root: string,
  options: ts.CompilerOptions,
  modules: readonly VirtualModule[],
  extraRoots: readonly string[],
  cache: Map<string, ts.SourceFile>,
  previous?: ts.Program,
): ts.Program {
  const virtual = new Map(modules.map((m) => [m.path, render(m)]));
  const virtualDir = join(root, '.examples');
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (path) => virtual.has(path) || ts.sys.fileExists(path);
  host.readFile = (path) => virtual.get(path) ?? ts.sys.readFile(path);
  host.directoryExists = (path) => path === virtualDir || ts.sys.directoryExists(path);
  host.getSourceFile = (path, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(path);
    if (text !== undefined) return ts.createSourceFile(path, text, languageVersion, true);
    let sf = cache.get(path);
    if (!sf) {
      sf = getSourceFile(path, languageVersion, onError, shouldCreate);
      if (sf) cache.set(path, sf);
    }
    return sf;
  };
  return ts.createProgram({
    rootNames: [...extraRoots, ...virtual.keys()],
    options,
    host,
    ...(previous ? { oldProgram: previous } : {}),
  });
}

/** Name → import line for each name the module `file` exports (as `specifier`). */
function exportsOf(program: ts.Program, file: string, specifier: string): Map<string, string> {
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(file);
  const moduleSymbol = sf && checker.getSymbolAtLocation(sf);
  const names = new Map<string, string>();
  if (!moduleSymbol) return names;
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const typeOnly = (target.flags & ts.SymbolFlags.Value) === 0;
    names.set(symbol.name, `import ${typeOnly ? 'type ' : ''}{ ${symbol.name} } from '${specifier}';`);
  }
  return names;
}

/** What the public entries export; the first entry that exports a name wins. */
function entryExports(program: ts.Program, root: string, entries: readonly Entry[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const entry of entries) {
    const exported = exportsOf(program, resolve(root, entry.file), entry.specifier);
    if (exported.size === 0) throw new Error(`cannot read the exports of ${entry.file}`);
    for (const [name, line] of exported) if (!names.has(name)) names.set(name, line);
  }
  return names;
}

function diagnosticsOf(program: ts.Program, path: string): readonly ts.Diagnostic[] {
  const sf = program.getSourceFile(path);
  if (!sf) throw new Error(`the program lost ${path}`);
  const syntactic = program.getSyntacticDiagnostics(sf);
  return syntactic.length > 0 ? syntactic : program.getSemanticDiagnostics(sf);
}

function missingName(diagnostic: ts.Diagnostic): string | undefined {
  if (!MISSING_NAME_CODES.has(diagnostic.code) || !diagnostic.file || diagnostic.start === undefined)
    return undefined;
  return diagnostic.file.text.slice(diagnostic.start, diagnostic.start + (diagnostic.length ?? 0));
}

/** Extracts and type-checks every example; never throws for a broken example, only reports it. */
export function checkExamples(options: CheckOptions = {}): CheckResult {
  const root = resolve(options.root ?? join(here, '..'));
  const files = options.files ?? sourceFiles(root);
  const examples = files.flatMap((file) => examplesOf(file, readFileSync(join(root, file), 'utf8')));
  const entries = publicEntries(root);
  const compilerOpts = compilerOptions(root, entries);
  const modules: VirtualModule[] = examples.map((example) => ({
    example,
    path: join(root, '.examples', `${example.file.replace(/[/.]/g, '_')}_L${example.line}.ts`),
    imports: [],
  }));
  // The entries, for their exports, and the documented files, for those that no entry reaches.
  const entryRoots = [...new Set([...entries.map((e) => e.file), ...files])].map((f) => resolve(root, f));
  const cache = new Map<string, ts.SourceFile>();

  const first = compile(root, compilerOpts, modules, entryRoots, cache);
  const exported = entryExports(first, root, entries);
  const ownExports = new Map<string, Map<string, string>>();
  const diagnostics = new Map(modules.map((m) => [m, diagnosticsOf(first, m.path)]));
  const changed: VirtualModule[] = [];
  for (const module of modules) {
    const names = new Set(
      diagnostics
        .get(module)!
        .map(missingName)
        .filter((n) => n !== undefined),
    );
    if (names.size === 0) continue;
    const { file } = module.example;
    let own = ownExports.get(file);
    if (!own) {
      own = exportsOf(first, resolve(root, file), `../${file.replace(/\.ts$/, '.js')}`);
      ownExports.set(file, own);
    }
    for (const name of names) {
      // A public entry first; else the file the example documents (internal helpers' own examples).
      const line = exported.get(name) ?? own.get(name);
      if (line) module.imports.push(line);
    }
    if (module.imports.length > 0) changed.push(module);
  }
  if (changed.length > 0) {
    const second = compile(root, compilerOpts, modules, entryRoots, cache, first);
    for (const module of changed) diagnostics.set(module, diagnosticsOf(second, module.path));
  }

  const failures: string[] = [];
  let broken = 0;
  const autoImported = new Map<string, readonly string[]>();
  for (const module of modules) {
    const { example } = module;
    if (module.imports.length > 0) {
      autoImported.set(
        `${example.file}:${example.line}`,
        module.imports.map((line) => /\{ (\w+) \}/.exec(line)![1]!),
      );
    }
    const codeLines = example.code.split('\n').length;
    const suppressed = /@ts-(nocheck|ignore|expect-error)\b/.exec(example.code);
    const found = diagnostics.get(module)!;
    if (suppressed) {
      failures.push(
        `${example.file}:${example.line} (@example of ${example.name}): an example may not silence the checker with @ts-${suppressed[1]}`,
      );
      if (found.length === 0) broken += 1;
    }
    if (found.length > 0) broken += 1;
    for (const diagnostic of found) {
      const at =
        diagnostic.file && diagnostic.start !== undefined
          ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
          : 0;
      const line = example.line + Math.min(at, codeLines - 1);
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
      failures.push(
        `${example.file}:${line} (@example of ${example.name}): TS${diagnostic.code}: ${message}`,
      );
    }
  }
  return { examples, failures, broken, autoImported };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const started = performance.now();
  const { examples, failures, broken } = checkExamples();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  for (const failure of failures) console.error(failure);
  console.log(
    failures.length === 0
      ? `${examples.length} examples compile (${seconds}s)`
      : `${failures.length} errors in ${broken} of ${examples.length} examples (${seconds}s)`,
  );
  process.exitCode = failures.length === 0 ? 0 : 1;
}
