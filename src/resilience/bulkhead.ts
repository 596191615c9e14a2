import { abortReason, onAbort } from '../util/abort.js';
import { numberOption } from '../util/options.js';
import { BulkheadRejectedError } from './errors.js';
import { contextFor, type ExecuteOptions, type Policy, type PolicyContext } from './policy.js';

/** Options of {@link bulkhead}. */
export interface BulkheadOptions {
  /** Calls allowed to run at once. @default 10 */
  readonly maxConcurrent?: number;
  /** Calls allowed to wait for a free slot (first in, first out); more are rejected. @default 0 */
  readonly maxQueue?: number;
  /**
   * The `retryAfterMs` hint of a {@link BulkheadRejectedError}: about how long a call takes to
   * free its slot, so that a refused caller does not come back before one is likely to be free.
   * @default 1_000
   */
  readonly retryAfterMs?: number;
}

/** A {@link bulkhead} policy, with its current load. */
export interface Bulkhead extends Policy {
  /** Calls running now. */
  readonly running: number;
  /** Calls waiting for a slot. */
  readonly queued: number;
  /**
   * Throws the {@link BulkheadRejectedError} that a call made now would get (every slot taken and
   * the line full), and otherwise does nothing: it takes no slot and no place in line. Lets a
   * caller with work of its own before the call (reading a request, a lookup) refuse at once,
   * before that work, while the bulkhead is full; the call itself may still be refused if the
   * bulkhead fills up meanwhile.
   *
   * @example
   * ```ts
   * declare const limit: Bulkhead;
   * declare function readRequest(): Promise<string>;
   * declare function handle(body: string): Promise<void>;
   * // ---cut---
   * limit.throwIfFull(); // before reading anything
   * const body = await readRequest();
   * await limit.execute(() => handle(body));
   * ```
   */
  throwIfFull(): void;
}

interface Waiter {
  readonly start: () => void;
  readonly cancel: () => void;
}

/**
 * A concurrency limit: at most `maxConcurrent` calls run at once, up to `maxQueue` more wait in
 * line, and any call beyond that is rejected at once with a {@link BulkheadRejectedError}. Keeps
 * a slow dependency from tying up every request of a service. A waiting call whose signal aborts
 * leaves the line and rejects with the signal's reason.
 *
 * @throws {@link InvalidOptionError} for an option out of range.
 * @example
 * ```ts
 * declare const calcom: { createBooking(input: unknown, options: { signal: AbortSignal }): Promise<unknown> };
 * declare const input: unknown;
 * // ---cut---
 * const calcomLimit = bulkhead({ maxConcurrent: 4, maxQueue: 20 });
 * await calcomLimit.execute(({ signal }) => calcom.createBooking(input, { signal }));
 * ```
 */
export function bulkhead(options: BulkheadOptions = {}): Bulkhead {
  const details = { factory: 'bulkhead' };
  const maxConcurrent = numberOption(
    'maxConcurrent',
    options.maxConcurrent,
    10,
    { integer: true, min: 1, max: 1_000_000 },
    details,
  );
  const maxQueue = numberOption('maxQueue', options.maxQueue, 0, { integer: true, max: 1_000_000 }, details);
  const retryAfterMs = numberOption(
    'retryAfterMs',
    options.retryAfterMs,
    1_000,
    { integer: true, max: 3_600_000 },
    details,
  );
  const queue: Waiter[] = [];
  let running = 0;

  const release = (): void => {
    const next = queue.shift();
    if (next) next.start();
    else running -= 1;
  };

  const throwIfFull = (): void => {
    if (running >= maxConcurrent && queue.length >= maxQueue) {
      throw new BulkheadRejectedError({ maxConcurrent, maxQueue, retryAfterMs });
    }
  };

  const acquire = (signal: AbortSignal | undefined): Promise<void> | undefined => {
    if (running < maxConcurrent) {
      running += 1;
      return undefined;
    }
    throwIfFull();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          unlink();
          resolve(); // the slot passes from the releasing call to this one; `running` is unchanged
        },
        cancel: () => reject(abortReason(signal as AbortSignal)),
      };
      const unlink = onAbort(signal, () => {
        const index = queue.indexOf(waiter);
        if (index >= 0) queue.splice(index, 1);
        waiter.cancel();
      });
      queue.push(waiter);
    });
  };

  return {
    get running() {
      return running;
    },
    get queued() {
      return queue.length;
    },
    throwIfFull,
    async execute<T>(
      fn: (context: PolicyContext) => PromiseLike<T> | T,
      executeOptions: ExecuteOptions = {},
    ): Promise<T> {
      const { signal } = executeOptions;
      if (signal?.aborted) throw abortReason(signal);
      const waiting = acquire(signal);
      if (waiting) await waiting;
      try {
        return await fn(contextFor(signal));
      } finally {
        release();
      }
    },
  };
}
