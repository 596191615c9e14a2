import type { CalendarBooking, CalendarEventType } from '../../ports/calendar-provider.js';
import type { CalcomBooking, CalcomEventType } from '../client/response-schemas.js';

const iso = (instant: string): string => new Date(instant).toISOString();

/**
 * A Cal.com status as the port's: `awaiting_host` (and any status Cal.com adds later) counts as
 * `pending`, a booking that is neither confirmed nor over.
 */
function statusOf(status: string): CalendarBooking['status'] {
  return status === 'accepted' || status === 'cancelled' || status === 'rejected' ? status : 'pending';
}

/**
 * A Cal.com booking as the port's {@link CalendarBooking}: the first attendee, the string values
 * of its metadata (the appointment tag among them), the reschedule links, and `updatedAt`, which
 * Cal.com leaves `null` on a booking never changed since its creation (then `createdAt`, else the
 * start).
 *
 * @internal
 */
export function calendarBookingOf(booking: CalcomBooking): CalendarBooking {
  const attendee = booking.attendees[0];
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(booking.metadata)) {
    if (typeof value === 'string') metadata[key] = value;
  }
  return {
    uid: booking.uid,
    id: String(booking.id),
    eventTypeId: String(booking.eventType?.id ?? booking.eventTypeId ?? ''),
    start: iso(booking.start),
    end: iso(booking.end),
    status: statusOf(booking.status),
    attendee: attendee
      ? {
          name: attendee.name,
          email: attendee.email,
          phone: attendee.phoneNumber ?? null,
          timeZone: attendee.timeZone,
          locale: attendee.language ?? null,
        }
      : null,
    metadata,
    rescheduledFromUid: booking.rescheduledFromUid ?? null,
    rescheduledToUid: booking.rescheduledToUid ?? null,
    updatedAt: iso(booking.updatedAt ?? booking.createdAt ?? booking.start),
  };
}

/**
 * A Cal.com event type as the port's {@link CalendarEventType}: its lengths, the default first.
 *
 * @internal
 */
export function calendarEventTypeOf(eventType: CalcomEventType): CalendarEventType {
  const lengths = [eventType.lengthInMinutes, ...(eventType.lengthInMinutesOptions ?? [])];
  return {
    id: String(eventType.id),
    slug: eventType.slug,
    title: eventType.title,
    lengthsInMinutes: [...new Set(lengths)],
  };
}
