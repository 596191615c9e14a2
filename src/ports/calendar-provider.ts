import type { Page, PageRequest } from './page.js';
import type { TimeRange } from '../domain/time-range.js';
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

/** What the calendar offers to book: one event type (a Cal.com event type) of a tenant. */
export interface CalendarEventType {
  /** The id bookings name (`eventTypeId`). */
  readonly id: string;
  /** The URL-friendly name, e.g. `consultation`. */
  readonly slug: string;
  /** The name people see. */
  readonly title: string;
  /**
   * The lengths a booking of this type may have, in minutes, the default first: one entry for a
   * fixed length, several when the calendar lets the booker choose.
   */
  readonly lengthsInMinutes: readonly number[];
}

/**
 * The external scheduler (Cal.com), as a port: the memory provider stands in for it in tests and
 * development, the Cal.com adapter implements it against API v2.
 *
 * Contract: `createBooking` is not idempotent (Cal.com has no idempotency key), so callers never
 * retry it blindly: after a timeout or a 5xx they ask `findBookingByAppointmentId` first.
 * `rescheduleBooking` answers the new booking (Cal.com issues a new uid).
 *
 * Failures fall into four classes, which every adapter reports with the same errors so that
 * callers can branch on them whatever the calendar behind:
 * - the time is taken (another booking is in the way): {@link CalendarSlotUnavailableError};
 * - the time is not bookable (outside the opening hours, in the past, within the minimum notice):
 *   {@link CalendarOutsideBookingHoursError};
 * - a permanent refusal (an unknown event type or booking, a request the calendar rejects as it
 *   stands): {@link CalendarRequestRejectedError}; arguments that are malformed are refused
 *   before any request with a `ValidationError` naming the field;
 * - a transient failure (timeout, network error, HTTP 408, 429 or 5xx): the client's error as it
 *   is, which `isTransientError` recognises.
 * The first three are final, and callers never retry them; only transient failures are worth
 * another attempt.
 *
 * @example
 * ```ts
 * declare const calendar: CalendarProvider;
 * declare const tenantId: string;
 * declare const eventTypeId: string;
 * declare const start: string;
 * declare const end: string;
 * declare const attendee: CalendarAttendee;
 * declare const appointment: Appointment;
 * // ---cut---
 * const booking = await calendar.createBooking({ tenantId, eventTypeId, start, end, attendee,
 *   metadata: { [APPOINTMENT_TAG]: appointment.id } });
 * ```
 */
export interface CalendarProvider {
  /**
   * @throws {@link CalendarSlotUnavailableError} when the time is taken,
   * {@link CalendarOutsideBookingHoursError} when it is not bookable,
   * {@link CalendarRequestRejectedError} for an unknown event type or a refused request.
   */
  createBooking(request: CreateCalendarBookingRequest, options?: OperationOptions): Promise<CalendarBooking>;
  /** The booking tagged with `appointmentId`, or `null`. */
  findBookingByAppointmentId(
    tenantId: string,
    appointmentId: string,
    options?: OperationOptions,
  ): Promise<CalendarBooking | null>;
  /**
   * Moves a booking; answers the new booking.
   * @throws as `createBooking`; {@link CalendarRequestRejectedError} for an unknown or cancelled booking.
   */
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
  /**
   * The tenant's event types (all of them: calendars have few), so that a booking can be checked
   * against what exists before anything is written.
   */
  listEventTypes(tenantId: string, options?: OperationOptions): Promise<CalendarEventType[]>;
}
