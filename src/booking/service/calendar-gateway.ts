import { isBrokenCircuitError } from '../../resilience/errors.js';
import { NonRetryableError } from '../../saga/step-errors.js';
import type { CalendarUnavailablePolicy } from '../../tenancy/tenant.js';
import { CalendarUnavailableError, type CalendarUnavailableContext } from './errors.js';
import { isTransientError } from '../../resilience/http.js';
import type { Policy } from '../../resilience/policy.js';
import type {
  CalendarBooking,
  CalendarProvider,
  CreateCalendarBookingRequest,
} from '../../ports/calendar-provider.js';
import type { TimeRange } from '../model/time-range.js';

/**
 * Every calendar call the booking service makes, each through the resilience policy (by default a
 * circuit breaker), so that an outage fails fast instead of piling up.
 *
 * @internal
 */
export interface CalendarGateway {
  create(request: CreateCalendarBookingRequest, signal: AbortSignal): Promise<CalendarBooking>;
  findByAppointment(
    tenantId: string,
    appointmentId: string,
    signal: AbortSignal,
  ): Promise<CalendarBooking | null>;
  reschedule(
    tenantId: string,
    uid: string,
    range: TimeRange,
    reason: string | null,
    signal: AbortSignal,
  ): Promise<CalendarBooking>;
  cancel(tenantId: string, uid: string, reason: string | null, signal: AbortSignal): Promise<void>;
}

/** @internal */
export function createCalendarGateway(calendar: CalendarProvider, policy: Policy): CalendarGateway {
  return {
    create: (request, signal) =>
      policy.execute((ctx) => calendar.createBooking(request, { signal: ctx.signal }), { signal }),
    findByAppointment: (tenantId, appointmentId, signal) =>
      policy.execute(
        (ctx) => calendar.findBookingByAppointmentId(tenantId, appointmentId, { signal: ctx.signal }),
        { signal },
      ),
    reschedule: (tenantId, uid, range, reason, signal) =>
      policy.execute(
        (ctx) => calendar.rescheduleBooking(tenantId, uid, { ...range, reason }, { signal: ctx.signal }),
        { signal },
      ),
    cancel: (tenantId, uid, reason, signal) =>
      policy.execute((ctx) => calendar.cancelBooking(tenantId, uid, { reason }, { signal: ctx.signal }), {
        signal,
      }),
  };
}

/**
 * Whether an error means the calendar service is unavailable (as opposed to refusing the request):
 * an open breaker, a timeout, a network failure, a 5xx, 408 or 429.
 *
 * @example
 * ```ts
 * if (isCalendarOutage(error)) queueForLater();
 * ```
 */
export function isCalendarOutage(error: unknown): boolean {
  return isBrokenCircuitError(error) || isTransientError(error);
}

/**
 * When the breaker says the calendar may be tried again, as ISO, if the error tells.
 *
 * @internal
 */
export function retryAtOf(error: unknown): string | null {
  if (!isBrokenCircuitError(error)) return null;
  const retryAt = (error.context as { retryAt?: unknown }).retryAt;
  if (typeof retryAt === 'number') return new Date(retryAt).toISOString();
  return typeof retryAt === 'string' ? retryAt : null;
}

/**
 * Decides what a saga step does when a calendar call failed: an error that is not an outage is
 * rethrown (the saga retries it); an outage under the tenant's `queue` policy answers the message
 * to record while the change waits for the background sync; under `fail` it ends the saga with a
 * {@link CalendarUnavailableError} that is not retried.
 *
 * @internal
 */
export function queueOrFail(
  error: unknown,
  policy: CalendarUnavailablePolicy,
  tenantId: string,
  operation: CalendarUnavailableContext['operation'],
): string {
  if (!isCalendarOutage(error)) throw error;
  if (policy === 'queue') return error instanceof Error ? error.message : 'calendar unavailable';
  throw new NonRetryableError(
    new CalendarUnavailableError({ tenantId, operation, retryAt: retryAtOf(error) }, { cause: error }),
  );
}
