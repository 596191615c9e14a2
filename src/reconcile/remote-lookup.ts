import type { Appointment } from '../domain/appointment.js';
import type { CalendarBooking, CalendarProvider } from '../ports/calendar-provider.js';

/**
 * The calendar booking of an appointment, by point lookups: its appointment-id tag, else (a
 * booking made in the calendar and imported carries no tag) its uid among the bookings of its own
 * time, read `pageSize` bookings at a time (memory stays bounded by the page size however many
 * bookings share that time). `null` when neither finds it.
 *
 * @internal
 */
export async function findRemoteOf(
  calendar: CalendarProvider,
  tenantId: string,
  appointment: Appointment,
  pageSize: number,
  signal?: AbortSignal,
): Promise<CalendarBooking | null> {
  const options = signal ? { signal } : {};
  const tagged = await calendar.findBookingByAppointmentId(
    tenantId,
    {
      appointmentId: appointment.id,
      eventTypeId: appointment.eventTypeId,
      start: appointment.start,
      end: appointment.end,
      attendeeEmail: null,
    },
    options,
  );
  if (tagged) return tagged;
  const uid = appointment.external.calendarBookingUid;
  if (uid === null) return null;
  let cursor: string | undefined;
  do {
    const page = await calendar.listBookings(
      tenantId,
      { from: appointment.start, to: appointment.end, limit: pageSize, ...(cursor ? { cursor } : {}) },
      options,
    );
    const found = page.items.find((booking) => booking.uid === uid);
    if (found) return found;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return null;
}
