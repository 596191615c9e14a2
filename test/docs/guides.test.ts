import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkGuideSnippets, guideFiles, snippetsOf } from '../../scripts/check-guide-snippets.js';

const root = resolve(import.meta.dirname, '..', '..');

const FIXTURE = 'test/docs/fixtures/guide-fixture.md';

describe('guide snippets', () => {
  it('every ```ts snippet of docs/guides compiles against the source', { timeout: 180_000 }, () => {
    const { snippets, failures } = checkGuideSnippets();
    expect(snippets.length).toBeGreaterThan(25);
    expect(failures).toEqual([]);
  });
});

describe('guide links', () => {
  it('every relative link of docs/guides and the README points at a file that exists', () => {
    const broken: string[] = [];
    for (const file of [...guideFiles(root), 'README.md']) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!) || target!.startsWith('#')) continue;
        const path = resolve(dirname(join(root, file)), target!.split('#')[0]!);
        if (!existsSync(path)) broken.push(`${file}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('the guide snippet checker', () => {
  it('reports each broken snippet with its file and line', { timeout: 120_000 }, () => {
    const { snippets, failures } = checkGuideSnippets({ files: [FIXTURE] });
    expect(snippets.map((s) => s.line)).toEqual([6, 15, 24, 30, 42]);
    expect(failures).toEqual([
      `${FIXTURE}:17: TS2322: Type 'string' is not assignable to type 'number'.`,
      `${FIXTURE}:24: TS2304: Cannot find name 'createBookingKit'.`,
      `${FIXTURE}:30: a snippet may not silence the checker with @ts-expect-error`,
    ]);
  });

  it('skips a ```ts block only under the marker with a reason, and never other languages', () => {
    const text = [
      '<!-- snippet: not compiled, shell session -->',
      '```ts',
      '$ npm test',
      '```',
      '<!-- snippet: not compiled -->',
      '```ts',
      'const a = 1;',
      '```',
      '```sh',
      'npm test',
      '```',
    ].join('\n');
    expect(snippetsOf('x.md', text)).toEqual([
      { file: 'x.md', line: 3, code: '$ npm test', skipped: 'shell session' },
      { file: 'x.md', line: 7, code: 'const a = 1;' },
    ]);
  });
});
