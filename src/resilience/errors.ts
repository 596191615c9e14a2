import { BookingKitError, errorGuard } from '../errors/booking-kit-error.js';
import type { CircuitState } from './breaker/breaker-state-store.js';

/** Context of a {@link BrokenCircuitError}. */
export interface BrokenCircuitContext {
  /** The breaker's name. */
  readonly breaker: string;
  /** Why the call was refused: the breaker is open, isolated, or half-open with every probe taken. */
  readonly state: Exclude<CircuitState, 'closed' | 'disabled'>;
  /** When the breaker lets a probe through (epoch ms), or `null` when that is not known. */
  readonly retryAt: number | null;
  /** Milliseconds from now until `retryAt`, or `null`. */
  readonly retryAfterMs: number | null;
  /** Why the breaker opened, e.g. `5 consecutive failures`. */
  readonly reason: string | null;
}

/**
 * A call was refused at once because the circuit breaker is open (or isolated, or half-open with
 * every probe permit taken). `context.retryAt` says when to try again.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare const res: { setHeader(name: string, value: number): void };
 * // ---cut---
 * if (isBrokenCircuitError(error)) res.setHeader('Retry-After', Math.ceil((error.context.retryAfterMs ?? 60_000) / 1000));
 * ```
 */
export class BrokenCircuitError extends BookingKitError<'BROKEN_CIRCUIT', BrokenCircuitContext> {
  override name = 'BrokenCircuitError';

  constructor(context: BrokenCircuitContext) {
    const when = context.retryAt === null ? '' : `; retry after ${new Date(context.retryAt).toISOString()}`;
    super('BROKEN_CIRCUIT', `Circuit breaker "${context.breaker}" is ${context.state}${when}`, context);
  }
}

/**
 * Tells whether `error` is a {@link BrokenCircuitError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare const command: BookCommand;
 * declare function queueForLater(command: BookCommand, retryAt: number | null): void;
 * // ---cut---
 * if (isBrokenCircuitError(error)) queueForLater(command, error.context.retryAt);
 * ```
 */
export const isBrokenCircuitError = errorGuard<BrokenCircuitError>('BrokenCircuitError', 'BROKEN_CIRCUIT');

/** Context of a {@link TimeoutError}. */
export interface TimeoutContext {
  /** The time limit that was exceeded. */
  readonly timeoutMs: number;
}

/**
 * A call ran longer than its {@link timeout}. It is also the `reason` of the aborted context
 * signal, so `fetch` and ky reject with it.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isTimeoutError(error)) console.warn(`gave up after ${error.context.timeoutMs} ms`);
 * ```
 */
export class TimeoutError extends BookingKitError<'TIMEOUT', TimeoutContext> {
  override name = 'TimeoutError';

  constructor(context: TimeoutContext, options: { cause?: unknown } = {}) {
    super('TIMEOUT', `Operation timed out after ${context.timeoutMs} ms`, context, options);
  }
}

/**
 * Tells whether `error` is a {@link TimeoutError} raised by {@link timeout}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare const metrics: { increment(name: string): void };
 * // ---cut---
 * if (isTimeoutError(error)) metrics.increment('calcom.timeout');
 * ```
 */
export const isTimeoutError = errorGuard<TimeoutError>('TimeoutError', 'TIMEOUT');

/** Context of a {@link BulkheadRejectedError}. */
export interface BulkheadRejectedContext {
  /** Calls the bulkhead lets run at once. */
  readonly maxConcurrent: number;
  /** Calls it lets wait for a slot; this one would have been one too many. */
  readonly maxQueue: number;
  /**
   * When to try again, in ms from now: a hint of about the time a running call takes to free its
   * slot (`Retry-After` in `bookingkit/http`). The bulkhead's `retryAfterMs` option.
   */
  readonly retryAfterMs: number;
}

/**
 * A {@link bulkhead} refused a call at once: every slot was busy and the queue was full, so the
 * call was shed instead of making every call slower. `context` holds the limits and a
 * `retryAfterMs` hint.
 *
 * @example
 * ```ts
 * function toResponse(error: unknown): Response {
 *   if (isBulkheadRejectedError(error)) {
 *     const retryAfter = String(Math.ceil(error.context.retryAfterMs / 1000));
 *     return new Response('Busy', { status: 503, headers: { 'retry-after': retryAfter } });
 *   }
 *   throw error;
 * }
 * ```
 */
export class BulkheadRejectedError extends BookingKitError<'BULKHEAD_REJECTED', BulkheadRejectedContext> {
  override name = 'BulkheadRejectedError';

  /** @param init - the context; `retryAfterMs` is 1 000 when left out. */
  constructor(init: Omit<BulkheadRejectedContext, 'retryAfterMs'> & { readonly retryAfterMs?: number }) {
    const context: BulkheadRejectedContext = { ...init, retryAfterMs: init.retryAfterMs ?? 1_000 };
    super(
      'BULKHEAD_REJECTED',
      `Bulkhead is full: ${context.maxConcurrent} calls running and ${context.maxQueue} queued`,
      context,
    );
  }
}

/**
 * Tells whether `error` is a {@link BulkheadRejectedError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare const logger: Logger;
 * // ---cut---
 * if (isBulkheadRejectedError(error)) logger.warn(error.context, 'shed load');
 * ```
 */
export const isBulkheadRejectedError = errorGuard<BulkheadRejectedError>(
  'BulkheadRejectedError',
  'BULKHEAD_REJECTED',
);
