import { describe, expect, expectTypeOf, it } from 'vitest';
import { createFakeClock } from '../testing/fake-clock.js';
import { exponentialBackoff } from './backoff.js';
import { bulkhead } from './bulkhead.js';
import { circuitBreaker } from './breaker/circuit-breaker.js';
import { isBrokenCircuitError, isTimeoutError } from './errors.js';
import { fallback } from './fallback.js';
import type { RetryContext } from './policy.js';
import { retry } from './retry.js';
import { timeout } from './timeout.js';
import { wrap } from './wrap.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');
const unavailable = (): Error =>
  Object.assign(new Error('HTTP 503'), { response: { status: 503, headers: {} } });

describe('wrap', () => {
  it('runs each attempt of a retry through the breaker, and merges the contexts', async () => {
    const clock = createFakeClock(T0);
    const breaker = circuitBreaker({ clock });
    const policy = wrap(
      timeout(10_000, { clock }),
      retry({ clock, maxAttempts: 3, backoff: exponentialBackoff({ initialDelayMs: 10, jitter: 0 }) }),
      breaker,
    );
    const seen: { attempt: number; aborted: boolean }[] = [];
    const running = policy.execute(({ attempt, signal }) => {
      seen.push({ attempt, aborted: signal.aborted });
      return attempt < 3 ? Promise.reject(unavailable()) : 'booked';
    });
    await clock.runAll();
    await expect(running).resolves.toBe('booked');
    expect(seen).toEqual([
      { attempt: 1, aborted: false },
      { attempt: 2, aborted: false },
      { attempt: 3, aborted: false },
    ]);
  });

  it('stops retrying once the breaker opens, because an open circuit is not transient', async () => {
    const clock = createFakeClock(T0);
    const breaker = circuitBreaker({ clock });
    const policy = wrap(
      retry({ clock, maxAttempts: 10, backoff: exponentialBackoff({ initialDelayMs: 1, jitter: 0 }) }),
      breaker,
    );
    let calls = 0;
    const running = policy
      .execute(() => {
        calls += 1;
        return Promise.reject(unavailable());
      })
      .catch((error: unknown) => error);
    await clock.runAll();
    expect(isBrokenCircuitError(await running)).toBe(true);
    expect(calls).toBe(5);
  });

  it('bounds the whole composition with the outer timeout, aborting the inner signal', async () => {
    const clock = createFakeClock(T0);
    const policy = wrap(timeout(1_000, { clock }), bulkhead({ maxConcurrent: 1 }));
    const running = policy
      .execute(
        ({ signal }) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))),
      )
      .catch((error: unknown) => error);
    await clock.advance(1_000);
    expect(isTimeoutError(await running)).toBe(true);
  });

  it('is typed end to end: merged context and fallback results', async () => {
    const policy = wrap(
      fallback(() => null),
      retry(),
      timeout(1_000),
    );
    expectTypeOf(policy.execute).parameter(0).parameter(0).toExtend<RetryContext>();
    const result = await policy.execute(({ attempt }) => attempt);
    expectTypeOf(result).toEqualTypeOf<number | null>();
    expect(result).toBe(1);
    const plain = wrap(timeout(1_000));
    expectTypeOf(await plain.execute(() => 'x')).toEqualTypeOf<string>();
  });

  it('with no policies just runs the function', async () => {
    await expect(wrap().execute(() => 42)).resolves.toBe(42);
  });
});
