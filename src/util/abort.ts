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

/** The watchers of each signal that `onAbort` listens to, called by its one listener there. */
const watchers = new WeakMap<AbortSignal, Set<{ readonly fn: () => void }>>();

/**
 * Runs `fn` when `signal` aborts and returns a function that stops listening. A no-op without a
 * signal.
 *
 * A signal gets one listener however many operations watch it: one signal is often shared by
 * every concurrent call (a caller's shutdown signal, a policy's signal that never aborts), and a
 * listener each would be slow to add and remove and make Node warn of a leak past ten. Each call
 * is its own registration, the same `fn` given twice included.
 *
 * @internal
 */
export function onAbort(signal: AbortSignal | undefined, fn: () => void): () => void {
  if (!signal) return noop;
  if (signal.aborted) {
    fn();
    return noop;
  }
  let watching = watchers.get(signal);
  if (!watching) {
    const created = new Set<{ readonly fn: () => void }>();
    watching = created;
    watchers.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        watchers.delete(signal);
        for (const watcher of created) {
          try {
            watcher.fn();
          } catch (error) {
            // As an event listener's would be: reported, without keeping the others from running.
            queueMicrotask(() => {
              throw error;
            });
          }
        }
        created.clear();
      },
      { once: true },
    );
  }
  const watcher = { fn };
  const set = watching;
  set.add(watcher);
  return () => void set.delete(watcher);
}

function noop(): void {}

/**
 * `promise`, or a rejection with the signal's reason as soon as `signal` aborts, whichever comes
 * first: for a caller waiting on work it shares with others, which goes on for them.
 *
 * @internal
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const stop = onAbort(signal, () => reject(abortReason(signal)));
    promise.then(
      (value) => {
        stop();
        resolve(value);
      },
      (error: unknown) => {
        stop();
        reject(error);
      },
    );
  });
}
