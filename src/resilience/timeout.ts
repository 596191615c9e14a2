import { systemClock, type Clock } from '../ports/clock.js';
import { abortReason, onAbort } from '../util/abort.js';
import { checkClockOption, checkNumberOption } from '../util/options.js';
import { TimeoutError } from './errors.js';
import type { ExecuteOptions, Policy, PolicyContext } from './policy.js';

/** Options of {@link timeout}. */
export interface TimeoutOptions {
  /** Time source for the deadline. @default systemClock */
  readonly clock?: Clock;
}

/**
 * A cooperative time limit: after `timeoutMs` the context signal aborts with a
 * {@link TimeoutError}, and the function is expected to stop (`fetch`, ky and most drivers do
 * when given the signal). The policy then rejects with that `TimeoutError`, the function's own
 * error kept as its `cause`. A function that ignores the signal and still resolves keeps its
 * result: nothing is killed. The caller's own abort is passed through unchanged.
 *
 * @throws {@link InvalidOptionError} for a `timeoutMs` that is not a positive number.
 * @example
 * ```ts
 * declare const url: string;
 * // ---cut---
 * const policy = timeout(5_000);
 * const response = await policy.execute(({ signal }) => fetch(url, { signal }));
 * ```
 */
export function timeout(timeoutMs: number, options: TimeoutOptions = {}): Policy {
  const details = { factory: 'timeout' };
  const limit = checkNumberOption('timeoutMs', timeoutMs, { min: 1, max: 2_147_483_647 }, details);
  checkClockOption(options.clock, details);
  const clock = options.clock ?? systemClock;

  return {
    async execute<T>(
      fn: (context: PolicyContext) => PromiseLike<T> | T,
      executeOptions: ExecuteOptions = {},
    ): Promise<T> {
      const parent = executeOptions.signal;
      if (parent?.aborted) throw abortReason(parent);
      const controller = new AbortController();
      const unlink = onAbort(parent, () => controller.abort(abortReason(parent as AbortSignal)));
      let timedOut: TimeoutError | undefined;
      const timer = clock.setTimer(() => {
        timedOut = new TimeoutError({ timeoutMs: limit });
        controller.abort(timedOut);
      }, limit);
      try {
        return await fn({ signal: controller.signal });
      } catch (error) {
        if (timedOut === undefined || error === timedOut) throw error;
        throw new TimeoutError({ timeoutMs: limit }, { cause: error });
      } finally {
        timer.clear();
        unlink();
      }
    },
  };
}
