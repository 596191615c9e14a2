import { sleep, systemClock, type Clock } from '../../ports/clock.js';
import { abortReason, throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { checkClockOption, checkNumberOption, numberOption } from '../../util/options.js';

/** What a {@link RateLimiter} answers to a request for a permit. */
export interface RateLimitDecision {
  /** Whether the request may go now (a permit was taken). */
  readonly allowed: boolean;
  /** When not allowed: how long until a permit frees, in ms; `0` when allowed. */
  readonly retryAfterMs: number;
}

/**
 * Keeps the requests made with one key (a Cal.com API key) under a limit per window, so that the
 * client waits its turn instead of collecting 429s. Cal.com counts per key, not per process:
 * several instances sharing a key share one limiter (`createRedisRateLimiter` in
 * `bookingkit/redis`); {@link createMemoryRateLimiter} serves one process.
 *
 * @example
 * ```ts
 * declare const limiter: RateLimiter;
 * // ---cut---
 * const { allowed, retryAfterMs } = await limiter.take('key-hash');
 * if (!allowed) console.log(`next permit in ${retryAfterMs} ms`);
 * ```
 */
export interface RateLimiter {
  /** Takes a permit for `key` if the window has room; otherwise says how long until one frees. */
  take(key: string, options?: OperationOptions): Promise<RateLimitDecision>;
  /**
   * Holds back every permit of `key` for `durationMs`: the server said the limit is spent (a 429
   * with its reset time), whatever this limiter counted.
   */
  pause(key: string, durationMs: number, options?: OperationOptions): Promise<void>;
}

/** Options of {@link createMemoryRateLimiter}. */
export interface MemoryRateLimiterOptions {
  /** Requests allowed per key within any window. @default 120 (Cal.com's limit per API key) */
  readonly limit?: number;
  /** The window, in ms. @default 60_000 */
  readonly windowMs?: number;
  /** Time source. @default systemClock */
  readonly clock?: Clock;
}

interface KeyState {
  /** Times of the permits taken within the last window, oldest first. */
  readonly taken: number[];
  pausedUntil: number;
}

/**
 * A {@link RateLimiter} for one process: a sliding window per key (at most `limit` permits in any
 * `windowMs`), which also keeps every fixed window of the server under the limit. Memory per key
 * is bounded by `limit`; keys whose window is empty are forgotten every 1,024 takes.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a bad option.
 * @example
 * ```ts
 * const limiter = createMemoryRateLimiter({ limit: 120, windowMs: 60_000 });
 * const calcom = createCalcomClient({ credentials: async () => ({ apiKey: 'cal_live_x', webhookSecret: 's' }), rateLimiter: limiter });
 * ```
 */
export function createMemoryRateLimiter(options: MemoryRateLimiterOptions = {}): RateLimiter {
  const details = { factory: 'createMemoryRateLimiter' };
  const limit = numberOption('limit', options.limit, 120, { min: 1, max: 1_000_000, integer: true }, details);
  const windowMs = numberOption('windowMs', options.windowMs, 60_000, { min: 1, integer: true }, details);
  checkClockOption(options.clock, details);
  const clock = options.clock ?? systemClock;
  const keys = new Map<string, KeyState>();

  const stateOf = (key: string, now: number): KeyState => {
    let state = keys.get(key);
    if (state === undefined) {
      state = { taken: [], pausedUntil: 0 };
      keys.set(key, state);
    }
    let expired = 0;
    while (expired < state.taken.length && state.taken[expired]! <= now - windowMs) expired += 1;
    if (expired > 0) state.taken.splice(0, expired);
    return state;
  };

  let takes = 0;
  /** Every 1,024 takes, drops the keys with nothing in their window, so idle keys do not pile up. */
  const sweep = (now: number): void => {
    takes += 1;
    if (takes % 1_024 !== 0) return;
    for (const [key, state] of keys) {
      const last = state.taken.at(-1) ?? Number.NEGATIVE_INFINITY;
      if (last <= now - windowMs && state.pausedUntil <= now) keys.delete(key);
    }
  };

  return {
    async take(key, opts = {}) {
      throwIfAborted(opts.signal);
      const now = clock.now();
      sweep(now);
      const state = stateOf(key, now);
      if (state.pausedUntil > now) return { allowed: false, retryAfterMs: state.pausedUntil - now };
      if (state.taken.length < limit) {
        state.taken.push(now);
        return { allowed: true, retryAfterMs: 0 };
      }
      return { allowed: false, retryAfterMs: state.taken[0]! + windowMs - now };
    },
    async pause(key, durationMs, opts = {}) {
      throwIfAborted(opts.signal);
      checkNumberOption('durationMs', durationMs, { min: 0 });
      const now = clock.now();
      const state = stateOf(key, now);
      state.pausedUntil = Math.max(state.pausedUntil, now + durationMs);
    },
  };
}

/** How {@link acquirePermit} waits. @internal */
export interface AcquireOptions extends OperationOptions {
  readonly clock: Clock;
  /** The longest the caller may wait in all; beyond it `onRefused` decides. */
  readonly maxWaitMs: number;
  /** Builds the error to throw when the wait would exceed `maxWaitMs`. */
  readonly onRefused: (retryAfterMs: number) => Error;
  /** Told when the limiter itself fails; the caller then goes ahead without a permit. */
  readonly onUnavailable: (error: unknown) => void;
}

/**
 * Waits for a permit of `key`: takes one at once when the window has room, otherwise sleeps until
 * one frees (on the clock, aborted by the signal) and asks again, as long as the total wait stays
 * within `maxWaitMs`; beyond that it throws `onRefused(retryAfterMs)`. A limiter that fails (not
 * the caller's abort) lets the caller go ahead, after telling `onUnavailable`.
 *
 * @internal
 */
export async function acquirePermit(
  limiter: RateLimiter,
  key: string,
  options: AcquireOptions,
): Promise<void> {
  const { clock, maxWaitMs, onRefused, onUnavailable, signal } = options;
  const started = clock.now();
  for (;;) {
    let decision: RateLimitDecision;
    try {
      decision = await limiter.take(key, { signal });
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      // The limiter cannot be asked (a shared store that is down): the request goes out uncounted
      // rather than failing, so that the limiter's outage does not become the API's. The server's
      // own limit (429, honoured by the caller) still holds.
      onUnavailable(error);
      return;
    }
    if (decision.allowed) return;
    const waitMs = Math.max(1, decision.retryAfterMs);
    if (clock.now() - started + waitMs > maxWaitMs) throw onRefused(waitMs);
    await sleep(clock, waitMs, { signal });
  }
}
