import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { fingerprint } from './fingerprint.js';
import { isValidationError } from '../errors/validation-error.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [3, { z: true, y: null }], c: { e: 'x', d: 'y' } })).toBe(
      '{"a":[3,{"y":null,"z":true}],"b":1,"c":{"d":"y","e":"x"}}',
    );
  });

  it('sorts integer-like keys as strings, unlike JavaScript property order', () => {
    expect(canonicalJson({ b: 1, 10: 'ten', 2: 'two' })).toBe('{"10":"ten","2":"two","b":1}');
  });

  it('follows JSON.stringify for undefined, functions, non-finite numbers and toJSON', () => {
    const value = {
      skip: undefined,
      fn: () => 1,
      list: [undefined, Number.NaN, Infinity],
      at: new Date('2026-01-05T09:00:00Z'),
    };
    expect(canonicalJson(value)).toBe('{"at":"2026-01-05T09:00:00.000Z","list":[null,null,null]}');
    expect(canonicalJson('a "quoted" ✓')).toBe(JSON.stringify('a "quoted" ✓'));
  });

  it('keeps a value that appears twice without being a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
  });

  it('refuses cycles, BigInts and values with no JSON form, naming where', () => {
    const cyclic: Record<string, unknown> = { a: { b: {} } };
    (cyclic.a as { b: Record<string, unknown> }).b.back = cyclic;
    const cycle = thrown(() => canonicalJson(cyclic));
    expect(isValidationError(cycle)).toBe(true);
    expect(cycle).toMatchObject({ context: { issues: [{ path: 'a.b.back' }] } });
    expect(thrown(() => canonicalJson({ n: [1n] }))).toMatchObject({
      context: { issues: [{ path: 'n.0' }] },
    });
    expect(isValidationError(thrown(() => canonicalJson(undefined)))).toBe(true);
  });
});

describe('fingerprint', () => {
  it('is the same for the same content in any key order', () => {
    expect(fingerprint({ a: 1, b: { c: [1, 2] } })).toBe(fingerprint({ b: { c: [1, 2] }, a: 1 }));
  });

  it('differs when the content differs', () => {
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 2 }));
    expect(fingerprint([1, 2])).not.toBe(fingerprint([2, 1]));
  });

  it('is the SHA-256 hex of the canonical JSON', () => {
    // sha256('{"a":1}')
    expect(fingerprint({ a: 1 })).toBe('015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });
});
