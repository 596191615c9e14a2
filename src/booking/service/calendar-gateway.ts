import { isValidationError } from '../../errors/validation-error.js';
import { isBrokenCircuitError } from '../../resilience/errors.js';
import { observeCalendarCall } from '../../observability/calendar-call.js';
import { NonRetryableError } from '../../saga/step-errors.js';
import type { CalendarUnavailablePolicy } from '../../tenancy/tenant.js';
import { CalendarUnavailableError, type CalendarUnavailableContext } from './errors.js';
import { httpResponseOf, isTransientError } from '../../resilience/http.js';
import type { Policy } from '../../resilience/policy.js';
import type {
  CalendarBooking,
  CalendarBookingLookup,
  CalendarEventType,
  CalendarProvider,
  CreateCalendarBookingRequest,
} from '../../ports/calendar-provider.js';
import {
  CalendarRequestRejectedError,
  isCalendarOutsideBookingHoursError,
  isCalendarRequestRejectedError,
  isCalendarSlotUnavailableError,
} from '../errors.js';
import type { TimeRange } from '../../domain/time-range.js';
import type { Appointment } from '../../domain/appointment.js';

/**
 * Every calendar call the booking service makes, each through the resilience policy (by default a
 * circuit breaker), so that an outage fails fast instead of piling up.
 *
 * @internal
 */
export interface CalendarGateway {
  create(request: CreateCalendarBookingRequest, signal: AbortSignal): Promise<CalendarBooking>;
  /** The booking tagged with the appointment, searched where the lookup's hint says. */
  findByAppointment(
    tenantId: string,
    lookup: CalendarBookingLookup,
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
  listEventTypes(tenantId: string, signal: AbortSignal | undefined): Promise<CalendarEventType[]>;
}

/**
 * The lookup for an appointment's calendar booking: its id, event type and window, and the
 * attendee email the booking was made with (`null` when the caller does not know it).
 *
 * @internal
 */
export function lookupOf(
  appointment: Pick<Appointment, 'id' | 'eventTypeId' | 'start' | 'end'>,
  attendeeEmail: string | null,
): CalendarBookingLookup {
  return {
    appointmentId: appointment.id,
    eventTypeId: appointment.eventTypeId,
    start: appointment.start,
    end: appointment.end,
    attendeeEmail,
  };
}

/**
 * Whether the calendar refused a request for good (see the {@link CalendarProvider} contract): a
 * taken slot, a time outside the bookable hours, a rejected request, or arguments it never sent.
 * Another attempt cannot succeed, so none is made.
 *
 * @internal
 */
export function isCalendarRefusal(error: unknown): boolean {
  return (
    isCalendarSlotUnavailableError(error) ||
    isCalendarOutsideBookingHoursError(error) ||
    isCalendarRequestRejectedError(error) ||
    isValidationError(error)
  );
}

/**
 * The refusal an error stands for, if it is one: a contract error as it is, and an HTTP 4xx
 * (other than 408 and 429) that an adapter let through as a {@link CalendarRequestRejectedError},
 * so that no caller mistakes it for a failure worth retrying.
 */
function refusalOf(error: unknown, operation: keyof CalendarProvider, tenantId: string): unknown {
  if (isCalendarRefusal(error)) return error;
  const status = httpResponseOf(error)?.status;
  if (status === undefined || status < 400 || status >= 500 || status === 408 || status === 429)
    return undefined;
  const message = error instanceof Error ? error.message : String(error);
  return new CalendarRequestRejectedError(
    {
      tenantId,
      operation,
      reason: status === 404 || status === 410 ? 'not_found' : 'invalid_request',
      status,
      detail: message.slice(0, 200),
    },
    { cause: error },
  );
}

/** @internal */
export function createCalendarGateway(calendar: CalendarProvider, policy: Policy): CalendarGateway {
  /**
   * Runs one call under the policy. A refusal is carried out of the policy as a value: the
   * calendar answered, so it neither counts against the breaker nor is retried by a retry policy.
   */
  const underPolicy = async <T>(
    operation: keyof CalendarProvider,
    tenantId: string,
    run: (signal: AbortSignal) => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> => {
    const outcome = await policy.execute(
      async (ctx): Promise<{ ok: true; value: T } | { ok: false; refusal: unknown }> => {
        try {
          return { ok: true, value: await run(ctx.signal) };
        } catch (error) {
          const refusal = refusalOf(error, operation, tenantId);
          if (refusal === undefined) throw error;
          return { ok: false, refusal };
        }
      },
      { signal },
    );
    if (!outcome.ok) throw outcome.refusal;
    return outcome.value;
  };
  /** {@link underPolicy}, in a client span and timed (`bookingkit.calendar.duration`). */
  const call = <T>(
    operation: keyof CalendarProvider,
    tenantId: string,
    run: (signal: AbortSignal) => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> =>
    observeCalendarCall(
      operation,
      tenantId,
      () => underPolicy(operation, tenantId, run, signal),
      isCalendarRefusal,
    );
  return {
    create: (request, signal) =>
      call('createBooking', request.tenantId, (s) => calendar.createBooking(request, { signal: s }), signal),
    findByAppointment: (tenantId, lookup, signal) =>
      call(
        'findBookingByAppointmentId',
        tenantId,
        (s) => calendar.findBookingByAppointmentId(tenantId, lookup, { signal: s }),
        signal,
      ),
    reschedule: (tenantId, uid, range, reason, signal) =>
      call(
        'rescheduleBooking',
        tenantId,
        (s) => calendar.rescheduleBooking(tenantId, uid, { ...range, reason }, { signal: s }),
        signal,
      ),
    cancel: (tenantId, uid, reason, signal) =>
      call(
        'cancelBooking',
        tenantId,
        (s) => calendar.cancelBooking(tenantId, uid, { reason }, { signal: s }),
        signal,
      ),
    listEventTypes: (tenantId, signal) =>
      call('listEventTypes', tenantId, (s) => calendar.listEventTypes(tenantId, { signal: s }), signal),
  };
}

/**
 * How the calendar step of the book and reschedule sagas is retried: a transient failure is
 * tried again (after 200 ms, then 400 ms) before the tenant's outage policy applies.
 *
 * @internal
 */
export const CALENDAR_STEP_RETRY = Object.freeze({ maxAttempts: 3, initialDelayMs: 200 });

/**
 * Decides what the calendar step of a saga does when a calendar call failed on attempt
 * `attempt`: a refusal ends the step at once (never retried: it surfaces as its own error); a
 * transient failure is rethrown for the saga to retry while attempts remain; after that, or when
 * the breaker is open, the tenant's outage policy applies ({@link queueOrFail}), which answers
 * the message to record when the change is queued.
 *
 * @internal
 */
export function onCalendarStepFailure(
  error: unknown,
  attempt: number,
  policy: CalendarUnavailablePolicy,
  tenantId: string,
  operation: CalendarUnavailableContext['operation'],
): string {
  if (isCalendarRefusal(error)) throw new NonRetryableError(error);
  if (isTransientError(error) && attempt < CALENDAR_STEP_RETRY.maxAttempts) throw error;
  return queueOrFail(error, policy, tenantId, operation);
}

/**
 * Whether an error means the calendar service is unavailable (as opposed to refusing the request):
 * an open breaker, a timeout, a network failure, a 5xx, 408 or 429.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function queueForLater(...args: unknown[]): void;
 * // ---cut---
 * if (isCalendarOutage(error)) queueForLater();
 * ```
 *
 * @internal
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
