import type { Clock } from '../../ports/clock.js';
import { abortReason, onAbort, throwIfAborted } from '../../util/abort.js';

/** How long a waiter waits before giving up. @internal */
export interface WaitLimit {
  readonly clock: Clock;
  readonly ms: number;
  /** The error to reject with when the wait runs out. */
  readonly error: () => Error;
}

/**
 * A FIFO mutex for async code: one holder at a time, waiters served in arrival order. A waiter
 * whose signal aborts, or whose wait limit runs out, leaves the queue and rejects.
 *
 * @internal
 */
export interface WriteLock {
  /** Resolves with a release function once the caller holds the lock. */
  acquire(signal?: AbortSignal, limit?: WaitLimit): Promise<() => void>;
  /** Whether someone holds the lock now. */
  readonly held: boolean;
}

/** @internal */
export function createWriteLock(): WriteLock {
  let held = false;
  const waiters: (() => void)[] = [];

  const releaser = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = waiters.shift();
      if (next) next();
      else held = false;
    };
  };

  return {
    get held() {
      return held;
    },
    acquire(signal?: AbortSignal, limit?: WaitLimit): Promise<() => void> {
      throwIfAborted(signal);
      if (!held) {
        held = true;
        return Promise.resolve(releaser());
      }
      return new Promise<() => void>((resolve, reject) => {
        const leave = (error: unknown): void => {
          const index = waiters.indexOf(grant);
          if (index >= 0) waiters.splice(index, 1);
          stopListening();
          timer?.clear();
          reject(error);
        };
        const grant = (): void => {
          stopListening();
          timer?.clear();
          resolve(releaser());
        };
        const stopListening = onAbort(signal, () => leave(abortReason(signal!)));
        const timer = limit?.clock.setTimer(() => leave(limit.error()), limit.ms);
        waiters.push(grant);
      });
    },
  };
}
