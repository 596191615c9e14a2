import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import * as bookingkit from '../../src/index.js';

/** Runs the README's first TypeScript example against the source, so the README stays true. */
describe('README example', () => {
  it('runs and delivers to both listeners', async () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    const body = code!
      .replace(/^import \{([^}]*)\} from 'bookingkit';$/m, 'const {$1} = bookingkit;')
      .replace(/^import .*$/gm, '');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
        ...args: string[]
      ) => (kit: typeof bookingkit) => Promise<void>;
      await new AsyncFunction('bookingkit', body)(bookingkit);
      expect(log.mock.calls).toEqual([
        ['call failed:', 'no answer'],
        ['alert staff about', 'call_1'],
      ]);
    } finally {
      log.mockRestore();
    }
  });
});
