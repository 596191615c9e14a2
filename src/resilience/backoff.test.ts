import { describe, expect, it } from 'vitest';
import { constantBackoff, exponentialBackoff } from './backoff.js';

describe('backoff', () => {
  it('grows exponentially up to the maximum delay', () => {
    const backoff = exponentialBackoff({ initialDelayMs: 100, factor: 3, maxDelayMs: 2_000, jitter: 0 });
    expect([1, 2, 3, 4, 5, 50].map((n) => backoff.delay(n))).toEqual([100, 300, 900, 2_000, 2_000, 2_000]);
  });

  it('randomises the jitter share of each delay downwards', () => {
    const low = exponentialBackoff({ initialDelayMs: 1_000, jitter: 0.5, random: () => 0.999_999 });
    const high = exponentialBackoff({ initialDelayMs: 1_000, jitter: 0.5, random: () => 0 });
    const full = exponentialBackoff({ initialDelayMs: 1_000, jitter: 1, random: () => 0.75 });
    expect([low.delay(1), high.delay(1), full.delay(2)]).toEqual([500, 1_000, 500]);
  });

  it('keeps the default delays between half and all of 1 s, 2 s, 4 s ... capped at 30 s', () => {
    const backoff = exponentialBackoff();
    for (const [n, base] of [
      [1, 1_000],
      [2, 2_000],
      [3, 4_000],
      [10, 30_000],
    ] as const) {
      const delay = backoff.delay(n);
      expect(delay).toBeGreaterThanOrEqual(base / 2);
      expect(delay).toBeLessThanOrEqual(base);
    }
  });

  it('waits the same every time with a constant backoff', () => {
    expect([1, 7].map((n) => constantBackoff(250).delay(n))).toEqual([250, 250]);
  });

  it('rejects bad options, naming them', () => {
    expect(() => exponentialBackoff({ jitter: 2 })).toThrow(/"jitter"/);
    expect(() => exponentialBackoff({ initialDelayMs: 500, maxDelayMs: 100 })).toThrow(/"maxDelayMs"/);
    expect(() => exponentialBackoff({ factor: 0.5 })).toThrow(/"factor"/);
    expect(() => constantBackoff(-1)).toThrow(/"delayMs"/);
  });
});
