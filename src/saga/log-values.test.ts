import { describe, expect, it } from 'vitest';
import { BookingKitError } from '../errors/booking-kit-error.js';
import { canonicalJson, serializeError, toLogged } from './log-values.js';
import { NonRetryableError } from './step-errors.js';

describe('log values', () => {
  it('gives a value in the form the log returns it', () => {
    expect(toLogged({ at: new Date(0), gone: undefined, list: [undefined] }, 'x')).toEqual({
      at: '1970-01-01T00:00:00.000Z',
      list: [null],
    });
    expect(toLogged(undefined, 'x')).toBeNull();
  });

  it('names the subject of a value that is not JSON', () => {
    expect(() => toLogged({ n: 1n }, 'output of step "a"')).toThrow(
      /output of step "a": must be JSON-serialisable/,
    );
  });

  it('compares JSON whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe(
      canonicalJson({ a: [{ c: null, d: 2 }], b: 1 }),
    );
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });

  it('logs the name, message and code of an error, unwrapping NonRetryableError', () => {
    expect(serializeError(new BookingKitError('SLOT_TAKEN', 'taken', {}))).toEqual({
      name: 'BookingKitError',
      message: 'taken',
      code: 'SLOT_TAKEN',
    });
    expect(serializeError(new NonRetryableError(new TypeError('bad')))).toEqual({
      name: 'TypeError',
      message: 'bad',
      code: null,
    });
    expect(serializeError('plain')).toEqual({ name: 'Error', message: 'plain', code: null });
    expect(serializeError({ weird: true })).toEqual({ name: 'Error', message: '{"weird":true}', code: null });
  });
});
