import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { publicEntries } from '../../scripts/check-examples.js';
import { snippetsOf } from '../../scripts/check-guide-snippets.js';

const root = resolve(import.meta.dirname, '..', '..');

/**
 * Imports the ```ts snippet of `guide` (a file of docs/guides/) whose first line is the comment
 * `// NAME`, exactly as the guide shows it, so a test runs the code a reader copies. Its
 * `bookingkit` imports are pointed at the source entries; it is written under .tmp/ (ignored by
 * git) only while it is imported.
 */
export async function importGuideSnippet<T>(guide: string, name: string): Promise<T> {
  const file = `docs/guides/${guide}`;
  const snippet = snippetsOf(file, readFileSync(join(root, file), 'utf8')).find(
    (s) => s.code.split('\n')[0]?.trim() === `// ${name}`,
  );
  if (!snippet) throw new Error(`${file} has no \`\`\`ts snippet that starts with "// ${name}"`);
  let code = snippet.code;
  // Longest specifiers first, so `bookingkit/http` is not taken for `bookingkit`.
  for (const entry of publicEntries(root).reverse()) {
    const target = resolve(root, entry.file).replace(/\.ts$/, '.js');
    code = code.replaceAll(`from '${entry.specifier}'`, `from '${target}'`);
  }
  const dir = join(root, '.tmp', 'guide-snippets');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${process.pid}-${name.replace(/[^\w.-]/g, '_')}`);
  writeFileSync(path, code);
  try {
    return (await import(path)) as T;
  } finally {
    rmSync(path, { force: true });
  }
}
