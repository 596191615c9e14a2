import { BookingKitError, errorGuard } from '../errors/booking-kit-error.js';
import type { TimeRange } from './model/time-range.js';

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
 * if (isSlotConflictError(error)) return offer(error.context.alternatives);
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
 * if (isInvalidTransitionError(error)) return conflict(error.message);
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
 * if (isInvalidTransitionError(error)) console.log(error.context.from);
 * ```
 */
export const isInvalidTransitionError = errorGuard<InvalidTransitionError>(
  'InvalidTransitionError',
  'INVALID_TRANSITION',
);
