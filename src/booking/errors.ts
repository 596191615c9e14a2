import { BookingKitError, errorGuard } from '../errors/booking-kit-error.js';
import type { TimeRange } from '../domain/time-range.js';

/** Context of a {@link SlotConflictError}. */
export interface SlotConflictContext {
  readonly tenantId: string;
  readonly resourceId: string;
  readonly requested: TimeRange;
  /** The active appointment in the way, when the store can tell. */
  readonly conflictingAppointmentId: string | null;
  /** Nearest free slots, when the booking service looked them up. */
  readonly alternatives: readonly TimeRange[];
}

/**
 * The requested time overlaps an active appointment of the same resource (the double-booking
 * rule). Raised by every appointment repository, so the database itself decides under
 * concurrency; the booking service adds `alternatives`.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function say(text: string): void;
 * // ---cut---
 * if (isSlotConflictError(error)) say(`That time is taken. How about ${error.context.alternatives[0]?.start}?`);
 * ```
 */
export class SlotConflictError extends BookingKitError<'SLOT_CONFLICT', SlotConflictContext> {
  override name = 'SlotConflictError';

  constructor(context: SlotConflictContext, options: { cause?: unknown } = {}) {
    super(
      'SLOT_CONFLICT',
      `The slot ${context.requested.start} – ${context.requested.end} of resource ${context.resourceId} is already booked`,
      context,
      options,
    );
  }

  /** A copy of this error with alternatives attached. */
  withAlternatives(alternatives: readonly TimeRange[]): SlotConflictError {
    return new SlotConflictError({ ...this.context, alternatives }, { cause: this.cause });
  }
}

/**
 * Tells whether `error` is a {@link SlotConflictError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function offer(alternatives: readonly TimeRange[]): void;
 * // ---cut---
 * if (isSlotConflictError(error)) offer(error.context.alternatives);
 * ```
 */
export const isSlotConflictError = errorGuard<SlotConflictError>('SlotConflictError', 'SLOT_CONFLICT');

/** Context of a {@link CalendarSlotUnavailableError}. */
export interface CalendarSlotUnavailableContext {
  readonly tenantId: string;
  readonly eventTypeId: string;
  readonly requested: TimeRange;
}

/**
 * The external calendar refused the time (Cal.com answers 400 "no longer available" when a slot
 * was taken there). Not a fault of the calendar service: it does not count against the breaker.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function offerAlternatives(): void;
 * // ---cut---
 * if (isCalendarSlotUnavailableError(error)) offerAlternatives();
 * ```
 */
export class CalendarSlotUnavailableError extends BookingKitError<
  'CALENDAR_SLOT_UNAVAILABLE',
  CalendarSlotUnavailableContext
> {
  override name = 'CalendarSlotUnavailableError';

  constructor(context: CalendarSlotUnavailableContext, options: { cause?: unknown } = {}) {
    super(
      'CALENDAR_SLOT_UNAVAILABLE',
      `The calendar refused ${context.requested.start} – ${context.requested.end} for event type ${context.eventTypeId}`,
      context,
      options,
    );
  }
}

/**
 * Tells whether `error` is a {@link CalendarSlotUnavailableError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isCalendarSlotUnavailableError(error)) console.log(error.context.requested);
 * ```
 */
export const isCalendarSlotUnavailableError = errorGuard<CalendarSlotUnavailableError>(
  'CalendarSlotUnavailableError',
  'CALENDAR_SLOT_UNAVAILABLE',
);

/** Context of an {@link InvalidTransitionError}. */
export interface InvalidTransitionContext {
  readonly appointmentId: string;
  readonly from: string;
  readonly command: string;
}

/**
 * The command does not apply to the appointment's current status (e.g. confirming a cancelled
 * appointment).
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function conflict(message: string): void;
 * // ---cut---
 * if (isInvalidTransitionError(error)) conflict(error.message);
 * ```
 */
export class InvalidTransitionError extends BookingKitError<'INVALID_TRANSITION', InvalidTransitionContext> {
  override name = 'InvalidTransitionError';

  constructor(context: InvalidTransitionContext) {
    super(
      'INVALID_TRANSITION',
      `Cannot ${context.command} appointment ${context.appointmentId}: it is ${context.from}`,
      context,
    );
  }
}

/**
 * Tells whether `error` is an {@link InvalidTransitionError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isInvalidTransitionError(error)) console.log(error.context.from);
 * ```
 */
export const isInvalidTransitionError = errorGuard<InvalidTransitionError>(
  'InvalidTransitionError',
  'INVALID_TRANSITION',
);

/** Context of a {@link CalendarOutsideBookingHoursError}. */
export interface CalendarOutsideBookingHoursContext {
  readonly tenantId: string;
  readonly eventTypeId: string;
  readonly requested: TimeRange;
  /**
   * `closed`: the event type takes no bookings then (outside its opening hours or bookable
   * window). `too_soon`: the time is in the past or within the event type's minimum notice.
   */
  readonly reason: 'closed' | 'too_soon';
}

/**
 * The external calendar does not take bookings of the event type at that time: outside its
 * opening hours, or too soon (in the past or within its minimum notice). Unlike a taken slot, no
 * other booking is in the way, so it is not a slot conflict; another attempt at the same time
 * cannot succeed. Not a fault of the calendar service: it does not count against the breaker.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function say(text: string): void;
 * // ---cut---
 * if (isCalendarOutsideBookingHoursError(error)) say('We are closed then. Shall I look for an opening?');
 * ```
 */
export class CalendarOutsideBookingHoursError extends BookingKitError<
  'CALENDAR_OUTSIDE_BOOKING_HOURS',
  CalendarOutsideBookingHoursContext
> {
  override name = 'CalendarOutsideBookingHoursError';

  constructor(context: CalendarOutsideBookingHoursContext, options: { cause?: unknown } = {}) {
    const why =
      context.reason === 'too_soon'
        ? 'it is in the past or within the minimum notice'
        : 'it is outside the bookable hours';
    super(
      'CALENDAR_OUTSIDE_BOOKING_HOURS',
      `Event type ${context.eventTypeId} cannot be booked at ${context.requested.start} – ${context.requested.end}: ${why}`,
      context,
      options,
    );
  }
}

/**
 * Tells whether `error` is a {@link CalendarOutsideBookingHoursError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isCalendarOutsideBookingHoursError(error)) console.log(error.context.reason);
 * ```
 */
export const isCalendarOutsideBookingHoursError = errorGuard<CalendarOutsideBookingHoursError>(
  'CalendarOutsideBookingHoursError',
  'CALENDAR_OUTSIDE_BOOKING_HOURS',
);

/** Context of a {@link CalendarRequestRejectedError}. */
export interface CalendarRequestRejectedContext {
  readonly tenantId: string;
  /** The calendar operation refused, as the `CalendarProvider` method name (e.g. `createBooking`). */
  readonly operation: string;
  /**
   * `not_found`: what the request names does not exist (event type, booking; HTTP 404 or 410).
   * `invalid_request`: the calendar refuses the request as it stands (HTTP 400, 403, 409, 422 ...).
   */
  readonly reason: 'not_found' | 'invalid_request';
  /** The HTTP status the calendar answered, when it was an HTTP answer. */
  readonly status: number | null;
  /** What the calendar said, short and free of personal data. */
  readonly detail: string;
}

/**
 * The external calendar refused a request for good: what it names does not exist, or the request
 * is invalid as it stands. Repeating it cannot help, so it is never retried; it does not count
 * against the breaker either (the calendar answered).
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function resyncEventTypes(): void;
 * // ---cut---
 * if (isCalendarRequestRejectedError(error) && error.context.reason === 'not_found') resyncEventTypes();
 * ```
 */
export class CalendarRequestRejectedError extends BookingKitError<
  'CALENDAR_REQUEST_REJECTED',
  CalendarRequestRejectedContext
> {
  override name = 'CalendarRequestRejectedError';

  constructor(context: CalendarRequestRejectedContext, options: { cause?: unknown } = {}) {
    const what = context.reason === 'not_found' ? 'found nothing for' : 'refused';
    super(
      'CALENDAR_REQUEST_REJECTED',
      `The calendar ${what} ${context.operation}${context.status === null ? '' : ` (HTTP ${context.status})`}: ${context.detail}`,
      context,
      options,
    );
  }
}

/**
 * Tells whether `error` is a {@link CalendarRequestRejectedError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isCalendarRequestRejectedError(error)) console.log(error.context.reason, error.context.status);
 * ```
 */
export const isCalendarRequestRejectedError = errorGuard<CalendarRequestRejectedError>(
  'CalendarRequestRejectedError',
  'CALENDAR_REQUEST_REJECTED',
);
