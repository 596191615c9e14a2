/** What every policy passes to the function it runs. */
export interface PolicyContext {
  /**
   * Aborts when the caller's signal aborts or the policy gives up on the call (a timeout); pass it
   * on to `fetch`, ky or a driver. Never `undefined`, so it can be passed on as it is.
   */
  readonly signal: AbortSignal;
}

/** The context of a function run by {@link retry}: the signal and which attempt this is. */
export interface RetryContext extends PolicyContext {
  /** 1 for the first call, 2 for the first retry, ... */
  readonly attempt: number;
}

/** Per-call options of {@link Policy.execute}. */
export interface ExecuteOptions {
  /** Aborts the call: waits stop, and the function's context signal aborts. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A resilience policy: runs a function under some protection (a breaker, retries, a timeout, a
 * concurrency limit). Policies compose with {@link wrap}.
 *
 * `Context` is what the function receives; `Extra` is what the policy may resolve with besides the
 * function's own result (a fallback value).
 *
 * @example
 * ```ts
 * declare const url: string;
 * // ---cut---
 * const policy: Policy = timeout(5_000);
 * const response = await policy.execute(({ signal }) => fetch(url, { signal }));
 * ```
 */
export interface Policy<Context extends PolicyContext = PolicyContext, Extra = never> {
  /**
   * Runs `fn` under the policy.
   *
   * @throws whatever `fn` throws, or the policy's own error (`BrokenCircuitError`,
   * `TimeoutError`, `BulkheadRejectedError`), or `signal.reason` when the caller aborts.
   */
  execute<T>(fn: (context: Context) => PromiseLike<T> | T, options?: ExecuteOptions): Promise<T | Extra>;
}

/** A signal that never aborts, handed to functions whose caller gave none. */
const neverAborted: AbortSignal = new AbortController().signal;

/** The context for a call without a signal: one shared, frozen object (no allocation per call). */
const defaultContext: PolicyContext = Object.freeze({ signal: neverAborted });

/**
 * The context to pass for `signal`: the shared default when there is none.
 *
 * @internal
 */
export function contextFor(signal: AbortSignal | undefined): PolicyContext {
  return signal === undefined ? defaultContext : { signal };
}

/**
 * The caller's signal, or one that never aborts.
 *
 * @internal
 */
export function signalOrNever(signal: AbortSignal | undefined): AbortSignal {
  return signal ?? neverAborted;
}
