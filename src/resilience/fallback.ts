import { abortReason } from '../util/abort.js';
import { checkFunctionOption, requireOption } from '../util/options.js';
import { contextFor, type ExecuteOptions, type Policy, type PolicyContext } from './policy.js';

/** Options of {@link fallback}. */
export interface FallbackOptions {
  /** Which errors the fallback answers; others are thrown. @default every error */
  readonly when?: (error: unknown) => boolean;
}

/**
 * A policy that answers a failed call with a fallback value instead of the error: a cached
 * answer, a default, or a "we'll confirm shortly" reply when the breaker is open. The policy's
 * result type is the function's result or the fallback's. A call the caller aborted is never
 * answered by the fallback.
 *
 * @throws {@link InvalidOptionError} naming `fallback` when `value` or `when` is not a function.
 * @example
 * ```ts
 * declare const slotCache: Map<string, TimeRange[]>;
 * declare const key: string;
 * declare const breaker: CircuitBreaker;
 * declare const query: unknown;
 * declare const calcom: { getSlots(query: unknown): Promise<TimeRange[]> };
 * // ---cut---
 * const cachedSlots = fallback((error) => slotCache.get(key) ?? [], { when: isBrokenCircuitError });
 * const slots = await wrap(cachedSlots, breaker).execute(() => calcom.getSlots(query));
 * ```
 */
export function fallback<R>(
  value: (error: unknown) => PromiseLike<R> | R,
  options: FallbackOptions = {},
): Policy<PolicyContext, R> {
  requireOption(
    'fallback',
    { value },
    'value',
    'a function that answers the error, e.g. () => cachedSlots',
    (given) => typeof given === 'function',
  );
  checkFunctionOption('when', options.when, false, { factory: 'fallback' });
  const when = options.when ?? (() => true);
  return {
    async execute<T>(
      fn: (context: PolicyContext) => PromiseLike<T> | T,
      executeOptions: ExecuteOptions = {},
    ): Promise<T | R> {
      const { signal } = executeOptions;
      try {
        return await fn(contextFor(signal));
      } catch (error) {
        if (signal?.aborted) throw abortReason(signal);
        if (!when(error)) throw error;
        return value(error);
      }
    },
  };
}
