import { isCalendarUnavailableError } from '../booking/service/errors.js';
import { isStorageUnavailableError } from '../errors/store-errors.js';
import { isIdempotencyInProgressError } from '../idempotency/errors.js';
import { isBrokenCircuitError, isBulkheadRejectedError } from '../resilience/errors.js';
import { isSagaInProgressError } from '../saga/saga-errors.js';

/**
 * When the failed request may be tried again (epoch ms), for the errors that know it: an open
 * circuit, an unreachable calendar (the breaker's estimate), a concurrent twin holding the
 * idempotency key or the saga's lease, and a full bulkhead or an unreachable database (their
 * `retryAfterMs` hint from `now`).
 * `null` for every other error, and when the error does not know.
 *
 * @internal
 */
export function retryAtOf(error: unknown, now: number): number | null {
  if (isBrokenCircuitError(error)) return error.context.retryAt;
  if (isBulkheadRejectedError(error)) return now + error.context.retryAfterMs;
  if (isStorageUnavailableError(error)) return now + error.context.retryAfterMs;
  if (isCalendarUnavailableError(error)) {
    const at = error.context.retryAt === null ? Number.NaN : Date.parse(error.context.retryAt);
    return Number.isFinite(at) ? at : null;
  }
  if (isIdempotencyInProgressError(error)) return error.context.lockExpiresAt;
  if (isSagaInProgressError(error)) return error.context.leaseExpiresAt;
  return null;
}
