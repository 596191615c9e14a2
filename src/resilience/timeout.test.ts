import { describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../errors/invalid-option-error.js';
import { createFakeClock } from '../testing/fake-clock.js';
import { isTimeoutError, type TimeoutError } from './errors.js';
import { timeout } from './timeout.js';

describe('timeout', () => {
  it('aborts the signal with a TimeoutError after the limit, and rejects with it', async () => {
    const clock = createFakeClock();
    const running = timeout(5_000, { clock })
      .execute(
        ({ signal }) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))),
      )
      .catch((error: unknown) => error);
    await clock.advance(4_999);
    await clock.advance(1);
    const error = await running;
    expect(isTimeoutError(error)).toBe(true);
    expect((error as TimeoutError).context.timeoutMs).toBe(5_000);
  });

  it("reports a function's own error after the deadline as a TimeoutError with that cause", async () => {
    const clock = createFakeClock();
    const aborted = new DOMException('aborted', 'AbortError');
    const running = timeout(100, { clock })
      .execute(
        ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(aborted))),
      )
      .catch((error: unknown) => error);
    await clock.advance(100);
    const error = await running;
    expect(isTimeoutError(error) && error.cause).toBe(aborted);
  });

  it('resolves with the result of a call that finishes in time and clears its timer', async () => {
    const clock = createFakeClock();
    await expect(timeout(100, { clock }).execute(() => 'fast')).resolves.toBe('fast');
    expect(clock.pendingTimers).toBe(0);
  });

  it('is cooperative: a function that ignores the signal keeps its late result', async () => {
    const clock = createFakeClock();
    const running = timeout(100, { clock }).execute(async ({ signal }) => {
      await clock.advance(500);
      return signal.aborted ? 'late, but done' : 'on time';
    });
    await expect(running).resolves.toBe('late, but done');
  });

  it("passes the caller's abort through unchanged", async () => {
    const clock = createFakeClock();
    const controller = new AbortController();
    const running = timeout(1_000, { clock })
      .execute(
        ({ signal }) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))),
        { signal: controller.signal },
      )
      .catch((error: unknown) => error);
    controller.abort(new Error('user left'));
    expect(await running).toEqual(new Error('user left'));
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects a limit that is not a positive number', () => {
    expect(() => timeout(0)).toThrow(/timeoutMs/);
    expect(
      isInvalidOptionError(
        (() => {
          try {
            timeout(Number.NaN);
          } catch (e) {
            return e;
          }
        })(),
      ),
    ).toBe(true);
  });
});
