import { abortReason } from '../util/abort.js';

/** A pending timer created through a {@link Clock}; `clear()` cancels it. */
export interface TimerHandle {
  /** Cancels the timer. Harmless after it fired. */
  clear(): void;
}

/** How a timer relates to the life of the process. */
export interface TimerOptions {
  /**
   * `true` for a timer that nobody awaits (outbox polling, lease renewal, schedules): it does not
   * keep the process alive, so a process with nothing else to do can exit while it is pending.
   * A timer that an awaited call waits on (a retry backoff, a timeout, a poll for a twin) must
   * leave this `false`, or a script whose only work is that call would exit before it settles.
   * @default false
   */
  readonly background?: boolean | undefined;
}

/**
 * Time, as a port. Every block reads time and schedules timers only through a `Clock`, so tests
 * drive time with a fake clock (`createFakeClock` in `bookingkit/testing`) instead of sleeping.
 *
 * A timer keeps the process alive unless it is created with `{ background: true }`, like Node's
 * own `setTimeout`: a clock of your own that ignores the option stays correct for every awaited
 * wait, and at worst holds the process open for a background poll.
 *
 * @example
 * ```ts
 * declare const relay: OutboxRelay;
 * // ---cut---
 * const breaker = circuitBreaker({ clock: systemClock });
 * const poll = systemClock.setTimer(() => void relay.runOnce(), 1_000, { background: true });
 * ```
 */
export interface Clock {
  /** Current time as Unix epoch milliseconds. */
  now(): number;
  /**
   * Runs `callback` once after `delayMs`. The timer keeps the process alive until it fires or is
   * cleared, unless `options.background` is `true`.
   */
  setTimer(callback: () => void, delayMs: number, options?: TimerOptions): TimerHandle;
}

/**
 * The real clock: `Date.now()` and `setTimeout`, `unref`'d for background timers only.
 *
 * @example
 * ```ts
 * const started = systemClock.now();
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimer(callback: () => void, delayMs: number, options?: TimerOptions): TimerHandle {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    if (options?.background === true) timer.unref?.();
    return { clear: () => clearTimeout(timer) };
  },
});

/** Options of {@link sleep}. @internal */
export interface SleepOptions extends TimerOptions {
  /** Ends the wait early, rejecting with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Waits `delayMs` on `clock`, rejecting with `signal.reason` if the signal aborts first. The wait
 * keeps the process alive (its caller awaits it) unless `background` is `true`. Not public: users
 * wait through `retry`, `timeout` and `idempotent`; an adapter waits on its own `Clock`.
 *
 * @example
 * ```ts
 * declare const signal: AbortSignal;
 * // ---cut---
 * await sleep(systemClock, 1_000, { signal });
 * ```
 *
 * @internal
 */
export function sleep(clock: Clock, delayMs: number, options: SleepOptions = {}): Promise<void> {
  const { signal, background } = options;
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      timer.clear();
      if (signal) reject(abortReason(signal));
    };
    const timer = clock.setTimer(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      delayMs,
      { background: background === true },
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
