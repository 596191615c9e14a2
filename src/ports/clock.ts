import { abortReason } from '../util/abort.js';

/** A pending timer created through a {@link Clock}; `clear()` cancels it. */
export interface TimerHandle {
  /** Cancels the timer. Harmless after it fired. */
  clear(): void;
}

/**
 * Time, as a port. Every block reads time and schedules timers only through a `Clock`, so tests
 * drive time with a fake clock (`createFakeClock` in `bookingkit/testing`) instead of sleeping.
 *
 * @example
 * ```ts
 * const breaker = circuitBreaker({ clock: systemClock });
 * ```
 */
export interface Clock {
  /** Current time as Unix epoch milliseconds. */
  now(): number;
  /**
   * Runs `callback` once after `delayMs`. Timers never keep the process alive (the system clock
   * `unref`s them).
   */
  setTimer(callback: () => void, delayMs: number): TimerHandle;
}

/**
 * The real clock: `Date.now()` and `unref`'d `setTimeout`s.
 *
 * @example
 * ```ts
 * const started = systemClock.now();
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    timer.unref?.();
    return { clear: () => clearTimeout(timer) };
  },
});

/**
 * Waits `delayMs` on `clock`, rejecting with `signal.reason` if the signal aborts first.
 *
 * @example
 * ```ts
 * await sleep(systemClock, 1_000, { signal });
 * ```
 */
export function sleep(
  clock: Clock,
  delayMs: number,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<void> {
  const { signal } = options;
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      timer.clear();
      if (signal) reject(abortReason(signal));
    };
    const timer = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
