import { describe, expect, it } from 'vitest';
import { checkExamples, examplesOf } from '../../scripts/check-examples.js';
import { hidePreamble } from '../../scripts/typedoc-hide-preamble.mjs';

const FIXTURE = 'test/docs/fixtures/examples-fixture.ts';

describe('TSDoc examples', () => {
  it('every @example in src compiles', { timeout: 180_000 }, () => {
    const { examples, failures } = checkExamples();
    expect(examples.length).toBeGreaterThan(200);
    expect(failures).toEqual([]);
  });
});

describe('the example checker', () => {
  it('reports each broken example with its file, line and declaration', { timeout: 120_000 }, () => {
    const { examples, failures, autoImported } = checkExamples({ files: [FIXTURE] });
    expect(examples.map((e) => e.name)).toEqual([
      'add',
      'usesAnUndefinedName',
      'passesAString',
      'declaresItsAssumptions',
      'silencesTheChecker',
    ]);
    expect(failures).toEqual([
      `${FIXTURE}:20 (@example of usesAnUndefinedName): TS2304: Cannot find name 'missingNumber'.`,
      `${FIXTURE}:31 (@example of passesAString): TS2345: Argument of type 'string' is not assignable to parameter of type 'number'.`,
      `${FIXTURE}:62 (@example of silencesTheChecker): an example may not silence the checker with @ts-expect-error`,
    ]);
    expect(autoImported.get(`${FIXTURE}:8`)).toEqual(['add']);
    expect(autoImported.get(`${FIXTURE}:41`)).toEqual(['isBookingKitError']);
  });

  it('reads the code of blocks under @example only, comment markers stripped', () => {
    const source = [
      'export class Box {',
      '  /**',
      '   * Opens the box.',
      '   *',
      '   * @example',
      '   * ```ts',
      '   * box.open();',
      '   *',
      '   * box.close();',
      '   * ```',
      '   * @returns nothing',
      '   */',
      '  open(): void {}',
      '}',
    ].join('\n');
    expect(examplesOf('src/box.ts', source)).toEqual([
      { file: 'src/box.ts', line: 7, name: 'Box.open', code: 'box.open();\n\nbox.close();' },
    ]);
  });
});

describe('the TypeDoc plugin', () => {
  it('drops the preamble and the cut line from a code block', () => {
    const block =
      '```ts\ndeclare const error: unknown;\n// ---cut---\nif (isBookingKitError(error)) log(error);\n```';
    expect(hidePreamble(block)).toBe('```ts\nif (isBookingKitError(error)) log(error);\n```');
  });

  it('leaves a block without a cut line as it is', () => {
    const block = '```ts\nconst bus = createEventBus({ catalog: bookingEvents });\n```';
    expect(hidePreamble(block)).toBe(block);
  });
});
