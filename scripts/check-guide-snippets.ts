// Type-checks every ```ts block of the guides (docs/guides/*.md), so the guides cannot drift from
// the code. Run with `npx tsx scripts/check-guide-snippets.ts`; test/docs/guides.test.ts runs the
// same check under `npm test`.
//
// Each block becomes a module of its own, checked in one TypeScript program with the project's
// compiler options, `bookingkit` and `bookingkit/<entry>` mapped to the source entries (as
// examples/tsconfig.json does). Unlike TSDoc examples, a guide's snippet imports every name it
// uses: a reader copies it whole. A snippet declares what it assumes (`declare const sql:
// SqlClient;`), in view.
//
// Opting out: a block that is not TypeScript to compile (shell output, a SQL listing, a fragment
// of a type for reading) uses another fence language (```sh, ```text, ```sql). A ```ts block may
// be skipped only when the line right above its fence is the marker
// `<!-- snippet: not compiled, REASON -->`, with the reason written out; the checker lists the
// skipped blocks, so a skip stays visible.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { publicEntries } from './check-examples.js';

/** The marker that skips the ```ts block right below it; a reason must follow the comma. */
export const SKIP_MARKER = /^<!--\s*snippet:\s*not compiled,\s*(\S[^>]*?)\s*-->\s*$/;

/** One ```ts block of a guide. */
export interface Snippet {
  /** Path of the guide, relative to the root, with forward slashes. */
  readonly file: string;
  /** 1-based line in the guide of the block's first code line. */
  readonly line: number;
  readonly code: string;
  /** The reason given by a skip marker; the block is not compiled. */
  readonly skipped?: string;
}

/** What the check found. */
export interface SnippetCheckResult {
  readonly snippets: readonly Snippet[];
  /** One line per failure: `docs/guides/x.md:LINE: TSxxxx: message`. */
  readonly failures: readonly string[];
}

/** What to check; the defaults read the repository. */
export interface SnippetCheckOptions {
  /** Repository root; default: the folder above scripts/. */
  readonly root?: string;
  /** Markdown files to read, relative to the root; default: every `.md` file of docs/guides/. */
  readonly files?: readonly string[];
}

const here = dirname(fileURLToPath(import.meta.url));

/** Every `.md` file of docs/guides/, relative to `root`, sorted. */
export function guideFiles(root: string): string[] {
  return readdirSync(join(root, 'docs', 'guides'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/guides/${name}`);
}

/** The ```ts blocks of one markdown text, with their skip markers. */
export function snippetsOf(file: string, text: string): Snippet[] {
  const lines = text.split('\n');
  const snippets: Snippet[] = [];
  let fence: { line: number; lines: string[]; ts: boolean; skipped?: string; marks: string } | undefined;
  for (const [index, raw] of lines.entries()) {
    if (fence) {
      if (raw.trimEnd() === fence.marks) {
        if (fence.ts) {
          const code = fence.lines.join('\n');
          snippets.push(
            fence.skipped === undefined
              ? { file, line: fence.line, code }
              : { file, line: fence.line, code, skipped: fence.skipped },
          );
        }
        fence = undefined;
      } else {
        fence.lines.push(raw);
      }
      continue;
    }
    const open = /^(```+)\s*([\w-]*)/.exec(raw);
    if (!open) continue;
    const isTs = ['ts', 'typescript', 'tsx'].includes(open[2]!);
    const above = lines[index - 1]?.trim() ?? '';
    const skipped = SKIP_MARKER.exec(above)?.[1];
    fence = { line: index + 2, lines: [], ts: isTs, marks: open[1]!, ...(skipped ? { skipped } : {}) };
  }
  return snippets;
}

/** The project's compiler options, with the public specifiers mapped to the source entries. */
function compilerOptions(root: string): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath);
  const paths: Record<string, string[]> = {};
  for (const entry of publicEntries(root)) paths[entry.specifier] = [resolve(root, entry.file)];
  const { incremental: _incremental, tsBuildInfoFile: _buildInfo, ...options } = parsed.options;
  return { ...options, noEmit: true, paths };
}

/** Extracts and type-checks every snippet; never throws for a broken snippet, only reports it. */
export function checkGuideSnippets(options: SnippetCheckOptions = {}): SnippetCheckResult {
  const root = resolve(options.root ?? join(here, '..'));
  const files = options.files ?? guideFiles(root);
  const snippets = files.flatMap((file) => snippetsOf(file, readFileSync(join(root, file), 'utf8')));
  const compiled = snippets.filter((s) => s.skipped === undefined);
  // Beside the guides' folder name, under the root, so that `node_modules` resolves as for src/.
  const virtual = new Map(
    compiled.map((s) => [join(root, '.guide-snippets', `${s.file.replace(/[/.]/g, '_')}_L${s.line}.ts`), s]),
  );
  const texts = new Map([...virtual].map(([path, s]) => [path, `${s.code}\nexport {};\n`]));
  const opts = compilerOptions(root);
  const host = ts.createCompilerHost(opts, true);
  const getSourceFile = host.getSourceFile.bind(host);
  const virtualDir = join(root, '.guide-snippets');
  host.fileExists = (path) => texts.has(path) || ts.sys.fileExists(path);
  host.readFile = (path) => texts.get(path) ?? ts.sys.readFile(path);
  host.directoryExists = (path) => path === virtualDir || ts.sys.directoryExists(path);
  host.getSourceFile = (path, languageVersion, onError, shouldCreate) => {
    const text = texts.get(path);
    if (text !== undefined) return ts.createSourceFile(path, text, languageVersion, true);
    return getSourceFile(path, languageVersion, onError, shouldCreate);
  };
  const program = ts.createProgram({ rootNames: [...texts.keys()], options: opts, host });

  const failures: string[] = [];
  for (const [path, snippet] of virtual) {
    const where = `${snippet.file}:${snippet.line}`;
    const suppressed = /@ts-(nocheck|ignore|expect-error)\b/.exec(snippet.code);
    if (suppressed)
      failures.push(`${where}: a snippet may not silence the checker with @ts-${suppressed[1]}`);
    const sf = program.getSourceFile(path)!;
    const syntactic = program.getSyntacticDiagnostics(sf);
    const found = syntactic.length > 0 ? syntactic : program.getSemanticDiagnostics(sf);
    const codeLines = snippet.code.split('\n').length;
    for (const diagnostic of found) {
      const at =
        diagnostic.file && diagnostic.start !== undefined
          ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
          : 0;
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
      failures.push(
        `${snippet.file}:${snippet.line + Math.min(at, codeLines - 1)}: TS${diagnostic.code}: ${message}`,
      );
    }
  }
  return { snippets, failures };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const started = performance.now();
  const { snippets, failures } = checkGuideSnippets();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  for (const failure of failures) console.error(failure);
  for (const s of snippets.filter((s) => s.skipped !== undefined))
    console.log(`${s.file}:${s.line}: not compiled (${s.skipped})`);
  const checked = snippets.filter((s) => s.skipped === undefined).length;
  console.log(
    failures.length === 0
      ? `${checked} guide snippets compile (${seconds}s)`
      : `${failures.length} errors in the ${checked} guide snippets (${seconds}s)`,
  );
  process.exitCode = failures.length === 0 ? 0 : 1;
}
