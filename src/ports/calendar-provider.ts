import type { Page, PageRequest } from './page.js';
import type { TimeRange } from '../booking/model/time-range.js';
import type { OperationOptions } from '../util/abort.js';

/**
 * Metadata key under which bookingkit tags every calendar booking with its appointment id, so
 * that a create whose response was lost can be found again instead of being repeated.
 */
export const APPOINTMENT_TAG = 'bookingkitAppointmentId';

/** The person a calendar booking is for. */
export interface CalendarAttendee {
  readonly name: string;
  readonly email: string;
  readonly phone: string | null;
  readonly timeZone: string;
  readonly locale: string | null;
}

/** A booking as the external calendar reports it. */
export interface CalendarBooking {
  readonly uid: string;
  /** The calendar's numeric id, as a string, when it has one. */
  readonly id: string | null;
  readonly eventTypeId: string;
  readonly start: string;
  readonly end: string;
  readonly status: 'accepted' | 'pending' | 'cancelled' | 'rejected';
  readonly attendee: CalendarAttendee | null;
  /** String metadata, including {@link APPOINTMENT_TAG} for bookings made by bookingkit. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Uid of the booking this one replaced, for a reschedule. */
  readonly rescheduledFromUid: string | null;
}

/** What to create. */
export interface CreateCalendarBookingRequest {
  readonly tenantId: string;
  readonly eventTypeId: string;
  readonly start: string;
  readonly end: string;
  readonly attendee: CalendarAttendee;
  /** Must include {@link APPOINTMENT_TAG}. */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * The external scheduler (Cal.com), as a port: the memory provider stands in for it in tests and
 * development, the Cal.com adapter implements it against API v2.
 *
 * Contract: `createBooking` is not idempotent (Cal.com has no idempotency key), so callers never
 * retry it blindly: after a timeout or a 5xx they ask `findBookingByAppointmentId` first.
 * `rescheduleBooking` answers the new booking (Cal.com issues a new uid).
 *
 * @example
 * ```ts
 * const booking = await calendar.createBooking({ tenantId, eventTypeId, start, end, attendee,
 *   metadata: { [APPOINTMENT_TAG]: appointment.id } });
 * ```
 */
export interface CalendarProvider {
  /** @throws {@link CalendarSlotUnavailableError} when the calendar refuses the time. */
  createBooking(request: CreateCalendarBookingRequest, options?: OperationOptions): Promise<CalendarBooking>;
  /** The booking tagged with `appointmentId`, or `null`. */
  findBookingByAppointmentId(
    tenantId: string,
    appointmentId: string,
    options?: OperationOptions,
  ): Promise<CalendarBooking | null>;
  /** Moves a booking; answers the new booking. */
  rescheduleBooking(
    tenantId: string,
    uid: string,
    change: TimeRange & { readonly reason: string | null },
    options?: OperationOptions,
  ): Promise<CalendarBooking>;
  /** Cancels a booking; cancelling a cancelled booking is not an error. */
  cancelBooking(
    tenantId: string,
    uid: string,
    change: { readonly reason: string | null },
    options?: OperationOptions,
  ): Promise<void>;
  /** Bookings overlapping `[from, to)`, paged. */
  listBookings(
    tenantId: string,
    query: PageRequest & { readonly from: string; readonly to: string; readonly eventTypeId?: string },
    options?: OperationOptions,
  ): Promise<Page<CalendarBooking>>;
  /** Free slots of an event type within `[from, to)`. */
  getAvailableSlots(
    tenantId: string,
    query: { readonly eventTypeId: string; readonly from: string; readonly to: string },
    options?: OperationOptions,
  ): Promise<TimeRange[]>;
}
