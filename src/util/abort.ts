/**
 * The `AbortSignal` convention: every port method and every long operation accepts
 * `{ signal?: AbortSignal }` as its last argument and stops as soon as the signal aborts,
 * rejecting with `signal.reason`.
 *
 * @example
 * ```ts
 * declare const locks: LockService;
 * // ---cut---
 * await locks.acquire('reconcile:acme', { ttlMs: 60_000, signal: AbortSignal.timeout(5_000) });
 * ```
 */
export interface OperationOptions {
  /** Aborts the operation; it then rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Throws `signal.reason` when the signal has already aborted.
 *
 * @internal
 */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

/**
 * The error to reject with for an aborted signal (its reason, or a DOMException when none).
 *
 * @internal
 */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Runs `fn` when `signal` aborts and returns a function that stops listening. A no-op without a
 * signal.
 *
 * @internal
 */
export function onAbort(signal: AbortSignal | undefined, fn: () => void): () => void {
  if (!signal) return noop;
  if (signal.aborted) {
    fn();
    return noop;
  }
  signal.addEventListener('abort', fn, { once: true });
  return () => signal.removeEventListener('abort', fn);
}

function noop(): void {}
