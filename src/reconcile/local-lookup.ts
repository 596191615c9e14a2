import type { Appointment } from '../domain/appointment.js';
import type { AppointmentRepository } from '../ports/appointment-repository.js';
import { APPOINTMENT_TAG, type CalendarBooking } from '../ports/calendar-provider.js';

/**
 * The appointment a calendar booking belongs to, by indexed point lookups: its uid (current or
 * previous of an appointment), the uid it was rescheduled from, then its appointment-id tag.
 *
 * @internal
 */
export async function findLocalOf(
  appointments: AppointmentRepository,
  tenantId: string,
  booking: CalendarBooking,
  signal?: AbortSignal,
): Promise<Appointment | null> {
  const options = signal ? { signal } : {};
  const byUid = await appointments.findByCalendarUid(tenantId, booking.uid, options);
  if (byUid) return byUid;
  if (booking.rescheduledFromUid !== null) {
    const byPredecessor = await appointments.findByCalendarUid(tenantId, booking.rescheduledFromUid, options);
    if (byPredecessor) return byPredecessor;
  }
  const tag = booking.metadata[APPOINTMENT_TAG];
  return tag === undefined ? null : appointments.get(tenantId, tag, options);
}
