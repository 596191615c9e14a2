import { contextFor, type ExecuteOptions, type Policy, type PolicyContext } from './policy.js';

/** Any policy, whatever its context and fallback type. */
export type AnyPolicy = Policy<PolicyContext, unknown>;

/** The context type a policy hands to its function. */
export type PolicyContextOf<P> = P extends Policy<infer C, unknown> ? C : never;

/** What a policy may resolve with besides the function's result (a fallback's value). */
export type PolicyExtraOf<P> = P extends Policy<PolicyContext, infer E> ? E : never;

/** Turns a union `A | B` into the intersection `A & B`. */
export type IntersectionOf<U> = (U extends unknown ? (value: U) => void : never) extends (
  value: infer I,
) => void
  ? I
  : never;

/** The context a function run by `wrap(...policies)` receives: every policy's context merged. */
export type WrappedContext<P extends readonly AnyPolicy[]> = PolicyContext &
  IntersectionOf<PolicyContextOf<P[number]>>;

/**
 * Composes policies into one, outermost first: `wrap(timeout(10_000), retry(), breaker,
 * timeout(3_000))` runs each attempt through the breaker with three seconds of its own, retries
 * transient failures, and bounds the whole by ten seconds. Put a timeout whose expiry the breaker
 * should count inside the breaker: a timeout outside it aborts the breaker's call, which the
 * breaker takes for its caller giving up and does not count. The function receives every policy's context merged (the innermost signal, retry's
 * `attempt`), and the result type includes every fallback's type.
 *
 * @example
 * ```ts
 * declare const breaker: CircuitBreaker;
 * declare const uid: string;
 * declare const calcom: { getBooking(uid: string, options: { signal: AbortSignal }): Promise<unknown> };
 * // ---cut---
 * const calcomPolicy = wrap(timeout(10_000), retry({ maxAttempts: 3 }), breaker, timeout(3_000));
 * const booking = await calcomPolicy.execute(({ signal, attempt }) => calcom.getBooking(uid, { signal }));
 * ```
 */
export function wrap<const P extends readonly AnyPolicy[]>(
  ...policies: P
): Policy<WrappedContext<P>, PolicyExtraOf<P[number]>> {
  const run = (index: number, context: PolicyContext, fn: (context: PolicyContext) => unknown): unknown => {
    const policy = policies[index];
    if (policy === undefined) return fn(context);
    return policy.execute((inner) => run(index + 1, { ...context, ...inner }, fn), {
      signal: context.signal,
    });
  };
  return {
    async execute<T>(
      fn: (context: WrappedContext<P>) => PromiseLike<T> | T,
      options: ExecuteOptions = {},
    ): Promise<T | PolicyExtraOf<P[number]>> {
      return (await run(0, contextFor(options.signal), fn as (context: PolicyContext) => unknown)) as
        T | PolicyExtraOf<P[number]>;
    },
  };
}
