import type { CalendarAttendee } from '../../ports/calendar-provider.js';
import type { Appointment } from '../../domain/appointment.js';
import type { Customer } from '../../domain/customer.js';

/**
 * The calendar attendee for an appointment's customer. Cal.com requires an email; a customer
 * known only by phone (a voice booking) gets a stable address under the reserved `.invalid`
 * domain (RFC 2606), which can never receive mail.
 *
 * @example
 * ```ts
 * declare const customer: Customer;
 * declare const appointment: Appointment;
 * // ---cut---
 * attendeeFor(customer, appointment).email; // 'ana@example.com' or 'phone-493012345678@no-email.invalid'
 * ```
 *
 * @internal
 */
export function attendeeFor(
  customer: Customer | null,
  appointment: Pick<Appointment, 'id' | 'timeZone'>,
): CalendarAttendee {
  const phone = customer?.phone ?? null;
  const email =
    customer?.email ??
    `${phone ? `phone-${phone.slice(1)}` : `appointment-${appointment.id}`}@no-email.invalid`;
  return {
    name: customer?.name ?? phone ?? 'Guest',
    email,
    phone,
    timeZone: appointment.timeZone,
    locale: customer?.locale ?? null,
  };
}
