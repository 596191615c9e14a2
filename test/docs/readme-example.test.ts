import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import * as bookingkit from '../../src/index.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** The first code block of `language` in the README (test/modules/run.mjs reads the quickstart the same way). */
function firstBlock(language: 'js' | 'ts'): string {
  const code = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(readme)?.[1];
  if (code === undefined) throw new Error(`README.md has no \`\`\`${language} block`);
  return code;
}

/** Runs a README example against the source: its `bookingkit` import is mapped to src/index.ts. */
async function runAgainstSource(code: string): Promise<unknown[][]> {
  const body = code
    .replace(/^import \{([^}]*)\} from 'bookingkit';$/m, 'const {$1} = bookingkit;')
    .replace(/^import .*$/gm, '');
  expect(body).toContain('= bookingkit;');
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
      ...args: string[]
    ) => (kit: typeof bookingkit) => Promise<void>;
    await new AsyncFunction('bookingkit', body)(bookingkit);
    return log.mock.calls;
  } finally {
    log.mockRestore();
  }
}

/** Runs the README's examples against the source, so the README stays true. */
describe('README', () => {
  it('quickstart books, hears the events and cancels with createBookingKit', async () => {
    const code = firstBlock('js');
    expect(code).toContain("import { createBookingKit } from 'bookingkit';");
    const calls = await runAgainstSource(code);
    expect(calls).toEqual([
      ['booked', expect.stringMatching(/^\d{4}-\d\d-\d\dT/)],
      ['cancelled', expect.any(String)],
    ]);
  });

  it('event bus example delivers to both listeners', async () => {
    const calls = await runAgainstSource(firstBlock('ts'));
    expect(calls).toEqual([
      ['call failed:', 'no answer'],
      ['alert staff about', 'call_1'],
    ]);
  });
});
