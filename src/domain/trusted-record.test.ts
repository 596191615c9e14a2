import { describe, expect, it } from 'vitest';
import { isTrustedRecord, trustedRecord } from './trusted-record.js';

describe('trusted records', () => {
  it('marks the object itself, not its copies', () => {
    const record = trustedRecord({ id: 'a', version: 1 });
    expect(isTrustedRecord(record)).toBe(true);
    expect(isTrustedRecord({ ...record })).toBe(false);
    expect(isTrustedRecord(structuredClone(record))).toBe(false);
  });

  it('trusts nothing unmarked', () => {
    expect(isTrustedRecord({ id: 'a', version: 1 })).toBe(false);
    expect(isTrustedRecord(null)).toBe(false);
    expect(isTrustedRecord('a')).toBe(false);
  });
});
