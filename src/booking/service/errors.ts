import { BookingKitError, errorGuard } from '../../errors/booking-kit-error.js';

/** Context of a {@link CalendarUnavailableError}. */
export interface CalendarUnavailableContext {
  readonly tenantId: string;
  readonly operation: 'create' | 'reschedule' | 'cancel';
  /** When the calendar may be tried again (the breaker's estimate), ISO; `null` when unknown. */
  readonly retryAt: string | null;
}

/**
 * The calendar (Cal.com) could not be reached (breaker open, timeout, 5xx) and the tenant's
 * policy is `fail`: nothing was booked, moved or cancelled, and the hold was released. Tell the
 * caller at once; with policy `queue` the command would have been accepted and synced later.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function say(text: string): void;
 * // ---cut---
 * if (isCalendarUnavailableError(error)) say('The booking system is down, please try again later.');
 * ```
 */
export class CalendarUnavailableError extends BookingKitError<
  'CALENDAR_UNAVAILABLE',
  CalendarUnavailableContext
> {
  override name = 'CalendarUnavailableError';

  constructor(context: CalendarUnavailableContext, options: { cause?: unknown } = {}) {
    super(
      'CALENDAR_UNAVAILABLE',
      `The calendar is unavailable; the ${context.operation} was not carried out${context.retryAt ? ` (retry after ${context.retryAt})` : ''}`,
      context,
      options,
    );
  }
}

/**
 * Tells whether `error` is a {@link CalendarUnavailableError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isCalendarUnavailableError(error)) console.log(error.context.retryAt);
 * ```
 */
export const isCalendarUnavailableError = errorGuard<CalendarUnavailableError>(
  'CalendarUnavailableError',
  'CALENDAR_UNAVAILABLE',
);

/**
 * Finds the first error of the given kind in an error's `cause` chain (saga errors wrap the step's
 * error, which may wrap the original).
 *
 * @internal
 */
export function findCause<E>(error: unknown, guard: (value: unknown) => value is E): E | undefined {
  for (
    let current: unknown = error, depth = 0;
    current !== undefined && current !== null && depth < 8;
    depth += 1
  ) {
    if (guard(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
