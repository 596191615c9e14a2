import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderErrorReference } from '../../scripts/generate-error-reference.js';
import { errorReference, type ErrorReferenceEntry } from './error-reference.js';
import { problemStatuses } from './problem.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const srcDir = join(root, 'src');

/** Every `.ts` file under `dir`, tests and type tests excluded. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(entry.name) ? [path] : [];
  });
}

/**
 * Every error class the source defines, found as `class X extends BookingKitError<'CODE'`, with the
 * code on the same line or the next one.
 */
const definedErrors = sourceFiles(srcDir).flatMap((file) =>
  [
    ...readFileSync(file, 'utf8').matchAll(/class\s+(\w+)\s+extends\s+BookingKitError<\s*'([A-Z0-9_]+)'/g),
  ].map(([, name, code]) => ({ name: name!, code: code!, file: relative(root, file) })),
);

describe('errorReference', () => {
  it('finds the error classes of the source, single- and multi-line declarations alike', () => {
    const codes = definedErrors.map((error) => error.code);
    expect(codes).toEqual(expect.arrayContaining(['SLOT_CONFLICT', 'VALIDATION', 'CALENDAR_UNAVAILABLE']));
    expect(codes).toEqual(expect.arrayContaining(['IDEMPOTENCY_MISMATCH', 'SAGA_DEFINITION_CHANGED']));
  });

  it('has a row for every error code the source defines', () => {
    const missing = definedErrors.filter((error) => !Object.hasOwn(errorReference, error.code));
    expect(missing, 'add these codes to src/http/error-reference.ts').toEqual([]);
  });

  it('has no row for a code that no longer exists', () => {
    const defined = new Set(definedErrors.map((error) => error.code));
    expect(Object.keys(errorReference).filter((code) => !defined.has(code))).toEqual([]);
  });

  it('names the class that carries each code', () => {
    const byCode: Readonly<Record<string, ErrorReferenceEntry | undefined>> = errorReference;
    for (const { name, code } of definedErrors) expect(byCode[code]?.name, code).toBe(name);
  });

  it.each(Object.entries(errorReference))(
    '%s has an HTTP error status, a meaning and an action',
    (_code, entry) => {
      expect(Number.isInteger(entry.status) && entry.status >= 400 && entry.status <= 599).toBe(true);
      expect(entry.meaning).toMatch(/^[A-Z].*\.$/s);
      expect(entry.action).toMatch(/^[A-Z].*\.$/s);
    },
  );

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(errorReference)).toBe(true);
    for (const entry of Object.values(errorReference)) expect(Object.isFrozen(entry)).toBe(true);
  });

  it('is what problemStatuses holds, code for code', () => {
    expect(problemStatuses).toEqual(
      Object.fromEntries(Object.entries(errorReference).map(([code, { status }]) => [code, status])),
    );
    expect(Object.isFrozen(problemStatuses)).toBe(true);
  });
});

describe('docs/errors.md', () => {
  it('is generated from the table (run `npm run docs:errors` after changing it)', () => {
    expect(readFileSync(join(root, 'docs/errors.md'), 'utf8')).toBe(renderErrorReference(errorReference));
  });
});

describe('renderErrorReference', () => {
  const page = renderErrorReference({
    SLOT_CONFLICT: {
      name: 'SlotConflictError',
      status: 409,
      meaning: 'Taken | gone.',
      action: 'Pick another.',
    },
    BROKEN_CIRCUIT: { name: 'BrokenCircuitError', status: 503, meaning: 'Down.', action: 'Wait.' },
  });

  it('lists each code with its class, status and standard phrase, meaning and action', () => {
    expect(page).toContain(
      '| `SLOT_CONFLICT` | `SlotConflictError` | 409 Conflict | Taken \\| gone. | Pick another. |',
    );
    expect(page).toContain(
      '| `BROKEN_CIRCUIT` | `BrokenCircuitError` | 503 Service Unavailable | Down. | Wait. |',
    );
  });

  it('keeps the table’s order', () => {
    expect(page.indexOf('SLOT_CONFLICT')).toBeLessThan(page.indexOf('BROKEN_CIRCUIT'));
  });
});
