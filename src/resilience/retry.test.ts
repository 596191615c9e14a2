import { describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../errors/invalid-option-error.js';
import { createFakeClock, type FakeClock } from '../testing/fake-clock.js';
import { exponentialBackoff } from './backoff.js';
import { rateLimitResetHeader, retryAfterHeader } from './retry-after.js';
import { retry, type RetryEvent, type RetryOptions } from './retry.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');

function httpError(status: number, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`HTTP ${status}`), { response: { status, headers: new Headers(headers) } });
}

/** Runs `fn` through a retry policy on a fake clock; returns the outcome and when each attempt started. */
async function runRetry(
  clock: FakeClock,
  options: RetryOptions,
  failures: readonly unknown[],
  signal?: AbortSignal,
): Promise<{ result?: unknown; error?: unknown; attempts: number[] }> {
  const attempts: number[] = [];
  const policy = retry({
    clock,
    backoff: exponentialBackoff({ initialDelayMs: 100, jitter: 0 }),
    ...options,
  });
  const running = policy
    .execute(
      ({ attempt }) => {
        attempts.push(clock.now() - T0);
        const failure = failures[attempt - 1];
        // Some tests fail with a value that is not an Error, on purpose.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        return failure === undefined ? `done on attempt ${attempt}` : Promise.reject(failure);
      },
      { signal },
    )
    .then(
      (result) => ({ result, attempts }),
      (error: unknown) => ({ error, attempts }),
    );
  await clock.runAll();
  return running;
}

describe('retry', () => {
  it('retries transient errors with exponential backoff until one attempt succeeds', async () => {
    const clock = createFakeClock(T0);
    const outcome = await runRetry(clock, { maxAttempts: 4 }, [
      httpError(503),
      httpError(502),
      new TypeError('fetch failed'),
    ]);
    expect(outcome).toEqual({ result: 'done on attempt 4', attempts: [0, 100, 300, 700] });
  });

  it('gives up after maxAttempts with the last error', async () => {
    const clock = createFakeClock(T0);
    const last = httpError(504);
    const outcome = await runRetry(clock, { maxAttempts: 3 }, [httpError(503), httpError(503), last]);
    expect(outcome.error).toBe(last);
    expect(outcome.attempts).toEqual([0, 100, 300]);
  });

  it('waits exactly the seconds of Retry-After', async () => {
    const clock = createFakeClock(T0);
    const outcome = await runRetry(clock, {}, [httpError(503, { 'Retry-After': '7' })]);
    expect(outcome.attempts).toEqual([0, 7_000]);
  });

  it('waits until the HTTP date of Retry-After', async () => {
    const clock = createFakeClock(T0);
    const outcome = await runRetry(clock, {}, [
      httpError(429, { 'retry-after': 'Mon, 05 Jan 2026 09:00:30 GMT' }),
    ]);
    expect(outcome.attempts).toEqual([0, 30_000]);
  });

  it("waits for Cal.com's rate-limit reset on a 429 without Retry-After", async () => {
    const clock = createFakeClock(T0);
    const outcome = await runRetry(clock, {}, [
      httpError(429, { 'X-RateLimit-Reset-Default': '12', 'X-RateLimit-Remaining-Default': '0' }),
    ]);
    expect(outcome.attempts).toEqual([0, 12_000]);
  });

  it('reads an epoch-seconds reset header with a pluggable extractor', async () => {
    const clock = createFakeClock(T0);
    const retryAfter = [
      retryAfterHeader(),
      rateLimitResetHeader({ headers: ['x-ratelimit-reset'], unit: 'epoch-seconds' }),
    ];
    const outcome = await runRetry(clock, { retryAfter }, [
      httpError(429, { 'x-ratelimit-reset': String(T0 / 1_000 + 45) }),
    ]);
    expect(outcome.attempts).toEqual([0, 45_000]);
  });

  it('prefers Retry-After to the reset header, and ignores reset headers on other statuses', async () => {
    const clock = createFakeClock(T0);
    const both = await runRetry(clock, {}, [
      httpError(429, { 'retry-after': '2', 'x-ratelimit-reset-default': '50' }),
    ]);
    expect(both.attempts).toEqual([0, 2_000]);
    const onServerError = await runRetry(createFakeClock(T0), {}, [
      httpError(503, { 'x-ratelimit-reset-default': '50' }),
    ]);
    expect(onServerError.attempts).toEqual([0, 100]);
  });

  it('throws at once when the server asks for a longer wait than maxRetryAfterMs', async () => {
    const clock = createFakeClock(T0);
    const tooLong = httpError(503, { 'retry-after': '3600' });
    const outcome = await runRetry(clock, { maxRetryAfterMs: 60_000 }, [tooLong]);
    expect(outcome).toEqual({ error: tooLong, attempts: [0] });
  });

  it('never retries an error that is not transient', async () => {
    for (const error of [httpError(400), httpError(404), new Error('bug'), new RangeError('bad input')]) {
      const outcome = await runRetry(createFakeClock(T0), { maxAttempts: 5 }, [error]);
      expect(outcome).toEqual({ error, attempts: [0] });
    }
  });

  it('retries what a custom isTransient says, and passes a thrown non-error through untouched', async () => {
    const custom = await runRetry(
      createFakeClock(T0),
      { isTransient: (e) => (e as Error).message === 'flaky' },
      [new Error('flaky')],
    );
    expect(custom.attempts).toEqual([0, 100]);
    const odd = { not: 'an error' };
    const thrown = await runRetry(createFakeClock(T0), {}, [odd]);
    expect(thrown).toEqual({ error: odd, attempts: [0] });
  });

  it('tells onRetry about every wait before it starts', async () => {
    const events: Omit<RetryEvent, 'error'>[] = [];
    await runRetry(createFakeClock(T0), { onRetry: ({ error: _e, ...rest }) => events.push(rest) }, [
      httpError(503),
      httpError(429, { 'retry-after': '1' }),
    ]);
    expect(events).toEqual([
      { attempt: 1, delayMs: 100, source: 'backoff' },
      { attempt: 2, delayMs: 1_000, source: 'server' },
    ]);
  });

  it('stops waiting and rejects with the reason when the signal aborts', async () => {
    const clock = createFakeClock(T0);
    const controller = new AbortController();
    const attempts: number[] = [];
    const running = retry({ clock })
      .execute(
        () => {
          attempts.push(clock.now());
          return Promise.reject(httpError(503, { 'retry-after': '30' }));
        },
        { signal: controller.signal },
      )
      .catch((error: unknown) => error);
    await clock.advance(10_000);
    controller.abort(new Error('shutting down'));
    expect(await running).toEqual(new Error('shutting down'));
    await clock.runAll();
    expect(attempts).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not start when the signal is already aborted', async () => {
    let ran = false;
    await expect(
      retry().execute(() => (ran = true), { signal: AbortSignal.abort(new Error('stop')) }),
    ).rejects.toThrow('stop');
    expect(ran).toBe(false);
  });

  it('rejects bad options eagerly, naming them', () => {
    const option = (options: RetryOptions): string | undefined => {
      try {
        retry(options);
      } catch (error) {
        return isInvalidOptionError(error) ? error.context.option : 'other';
      }
      return undefined;
    };
    expect(option({ maxAttempts: 0 })).toBe('maxAttempts');
    expect(option({ backoff: {} as never })).toBe('backoff');
    expect(option({ retryAfter: ['x'] as never })).toBe('retryAfter');
    expect(option({ maxRetryAfterMs: -1 })).toBe('maxRetryAfterMs');
  });
});
