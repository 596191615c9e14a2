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
  /**
   * Uid of the booking that replaced this one when it was rescheduled (this one is then
   * `cancelled`), else `null`.
   */
  readonly rescheduledToUid: string | null;
  /**
   * When the calendar last changed the booking (created, moved away, cancelled…), as an ISO
   * instant: what {@link CalendarProvider.listBookingsUpdatedSince} orders by.
   */
  readonly updatedAt: string;
}

/**
 * What every caller knows about the calendar booking of an appointment, so that a calendar that
 * cannot search by metadata (Cal.com) can still find it: the appointment's window (ISO instants),
 * its event type and the attendee's email. The hint narrows the search; the
 * {@link APPOINTMENT_TAG} decides which booking it is.
 */
export interface CalendarBookingLookup {
  /** The appointment whose tagged booking is wanted (matched on {@link APPOINTMENT_TAG}). */
  readonly appointmentId: string;
  /** The event type the booking was made for. */
  readonly eventTypeId: string;
  /** Start of the window the booking is expected at. */
  readonly start: string;
  /** End of that window (after `start`). */
  readonly end: string;
  /** The email the booking was made with, or `null` when the caller does not know it. */
  readonly attendeeEmail: string | null;
}

/** The query of {@link CalendarProvider.listBookingsUpdatedSince}. */
export interface CalendarUpdatedBookingsQuery extends PageRequest {
  /** Lists bookings updated at or after this ISO instant (inclusive). */
  readonly updatedAfter: string;
  /** Only bookings of this event type. @default every event type */
  readonly eventTypeId?: string;
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
  /**
   * The booking tagged with `lookup.appointmentId` ({@link APPOINTMENT_TAG}), or `null`. The rest
   * of the lookup is a hint: the provider searches bookings overlapping `[start, end)`, and may
   * narrow the search by event type and attendee email, but the tag alone decides which booking
   * matches; a booking outside the window may go unfound. Of several tagged bookings found (a
   * reschedule leaves the cancelled original behind), the latest active one wins, else the latest.
   * @throws `ValidationError` naming the field of a malformed lookup.
   */
  findBookingByAppointmentId(
    tenantId: string,
    lookup: CalendarBookingLookup,
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
  /**
   * Bookings (any status) updated at or after `query.updatedAfter`, paged in ascending
   * `updatedAt`, ties broken by uid, for incremental reconciliation: a booking updated again
   * moves to the end of the order. Keyset cursors as in {@link Page}: a booking updated between
   * two pages reappears later rather than shifting the rest. (Cal.com: `afterUpdatedAt` with
   * `sortUpdatedAt=asc`.)
   */
  listBookingsUpdatedSince(
    tenantId: string,
    query: CalendarUpdatedBookingsQuery,
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
