import { isBrokenCircuitError } from '../../resilience/errors.js';
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
