import type { Appointment } from '../domain/appointment.js';
import { APPOINTMENT_TAG, type CalendarBooking } from '../ports/calendar-provider.js';

/**
 * What the merge knows of an appointment while it looks for its booking: the uids the calendar
 * moved it to (followed through reschedule chains) and the old halves seen on the way.
 *
 * @internal
 */
export interface LocalState {
  readonly appointment: Appointment;
  /** Uids the calendar rescheduled the appointment's booking to. */
  readonly expected: Set<string>;
  /** Old halves of calendar reschedules (cancelled, `rescheduledToUid` set), in the order seen. */
  readonly links: CalendarBooking[];
  done: boolean;
}

/**
 * How a booking stands to an appointment:
 * - `partner`, `successor`, `unlinked`: it is the appointment's booking (see `Relation`);
 * - `link`: an old half of a reschedule made in the calendar: follow `rescheduledToUid`;
 * - `stale`: an old booking of the appointment that the appointment already knows about, or a
 *   cancelled stray: nothing to do;
 * - `duplicate`: a second active booking tagged with the appointment;
 * - `none`: unrelated.
 *
 * @internal
 */
export type BookingRelation = 'partner' | 'successor' | 'unlinked' | 'link' | 'stale' | 'duplicate' | 'none';

/** Whether the booking is the old half of a reschedule made in the calendar. @internal */
export const isRescheduleLink = (booking: CalendarBooking): boolean =>
  (booking.status === 'cancelled' || booking.status === 'rejected') && booking.rescheduledToUid !== null;

const isActive = (booking: CalendarBooking): boolean =>
  booking.status === 'accepted' || booking.status === 'pending';

/** A fresh {@link LocalState}. @internal */
export function localState(appointment: Appointment): LocalState {
  return { appointment, expected: new Set(), links: [], done: false };
}

/** How `booking` stands to the appointment of `state`. @internal */
export function relate(state: LocalState, booking: CalendarBooking): BookingRelation {
  const { appointment, expected } = state;
  const current = appointment.external.calendarBookingUid;
  const link = isRescheduleLink(booking);
  if (appointment.external.previousCalendarBookingUids.includes(booking.uid)) return 'stale';
  if (current !== null && booking.uid === current) return link ? 'link' : 'partner';
  const from = booking.rescheduledFromUid;
  if (expected.has(booking.uid) || (from !== null && (from === current || expected.has(from))))
    return link ? 'link' : 'successor';
  if (booking.metadata[APPOINTMENT_TAG] === appointment.id) {
    if (current === null && expected.size === 0) return link ? 'link' : 'unlinked';
    return isActive(booking) ? 'duplicate' : 'stale';
  }
  return 'none';
}

/** Follows a link: the appointment's booking is now expected under its successor's uid. @internal */
export function follow(state: LocalState, link: CalendarBooking): string {
  const next = link.rescheduledToUid!;
  state.expected.add(next);
  state.links.push(link);
  return next;
}

/** The uid the calendar last moved the appointment to, or `null`. @internal */
export function rescheduledTo(state: LocalState): string | null {
  return state.links[state.links.length - 1]?.rescheduledToUid ?? null;
}

/** Index keys of an appointment: its uids and its id as a tag. @internal */
export function localKeys(state: LocalState): string[] {
  const { external, id } = state.appointment;
  const keys = [`t:${id}`];
  if (external.calendarBookingUid !== null) keys.push(`u:${external.calendarBookingUid}`);
  for (const uid of external.previousCalendarBookingUids) keys.push(`u:${uid}`);
  for (const uid of state.expected) keys.push(`u:${uid}`);
  return keys;
}

/** Index keys of a booking: its uid, its predecessor's and its tag. @internal */
export function remoteKeys(booking: CalendarBooking): string[] {
  const keys = [`u:${booking.uid}`];
  if (booking.rescheduledFromUid !== null) keys.push(`u:${booking.rescheduledFromUid}`);
  const tag = booking.metadata[APPOINTMENT_TAG];
  if (tag !== undefined) keys.push(`t:${tag}`);
  return keys;
}
