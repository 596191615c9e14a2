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

  it('draws fresh random bits for every id, past the end of each batch of system randomness', () => {
    const next = createUuidV7Generator();
    // 3,000 ids in one millisecond: the timestamp and counter repeat their high bits, the random
    // 62 bits must not (a repeat among 3,000 has a chance of about 1e-12).
    const randomParts = Array.from({ length: 3_000 }, () => next(1_700_000_000_000).slice(19));
    expect(new Set(randomParts).size).toBe(randomParts.length);
    for (const part of randomParts) expect(part).toMatch(/^[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
