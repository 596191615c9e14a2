import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { layerRules } from '../../eslint.layers.js';

/** Lints `code` as if it were the file at `filePath`, with the layering rule alone. */
async function importProblems(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: process.cwd(),
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...layerRules()],
  });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('the layering lint rule', () => {
  it('refuses a port that imports the booking block above it', async () => {
    const problems = await importProblems(
      'src/ports/example.ts',
      "import type { BookingService } from '../booking/service/booking-service.js';\n",
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('src/ports/ sits below src/booking/');
  });

  it('refuses a block that imports an adapter, at any depth', async () => {
    const problems = await importProblems(
      'src/resilience/breaker/example.ts',
      "import { x } from '../../adapters/memory/x.js';\n",
    );
    expect(problems).toHaveLength(1);
  });

  it('refuses an import between two blocks of the same layer', async () => {
    const problems = await importProblems(
      'src/tenancy/example.ts',
      "import { x } from '../idempotency/x.js';\n",
    );
    expect(problems).toHaveLength(1);
  });

  it('lets a layer import the layers below it and its own files', async () => {
    const code = [
      "import { a } from '../../domain/appointment.js';",
      "import { b } from '../../ports/clock.js';",
      "import { c } from '../../saga/define-saga.js';",
      "import { d } from './book-saga.js';",
      '',
    ].join('\n');
    expect(await importProblems('src/booking/service/example.ts', code)).toEqual([]);
  });

  it('lets tests beside the code use the memory adapters and testing helpers', async () => {
    const code = [
      "import { a } from '../adapters/memory/memory-stores.js';",
      "import { b } from '../testing/fake-clock.js';",
      '',
    ].join('\n');
    expect(await importProblems('src/saga/example.test.ts', code)).toEqual([]);
  });
});
