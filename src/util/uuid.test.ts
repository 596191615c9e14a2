import { describe, expect, it } from 'vitest';
import { createUuidV7Generator, UUID_PATTERN, uuidv7 } from './uuid.js';

describe('uuidv7', () => {
  it('is a version 7 RFC 9562 UUID carrying the timestamp', () => {
    // A generator of its own: the process-wide one may have seen later times in other tests.
    const id = createUuidV7Generator()(Date.parse('2026-01-05T09:00:00.000Z'));
    expect(id).toMatch(UUID_PATTERN);
    expect(id[14]).toBe('7');
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(
      Date.parse('2026-01-05T09:00:00.000Z'),
    );
  });

  it('increases strictly, even within one millisecond and when time goes back', () => {
    const next = createUuidV7Generator();
    const ids = Array.from({ length: 10_000 }, (_, i) => next(1_700_000_000_000 - (i % 3)));
    const sorted = [...ids].sort();
    expect(ids).toEqual(sorted);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is strictly increasing across the whole process', () => {
    const ids = Array.from({ length: 1_000 }, () => uuidv7());
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });
});
