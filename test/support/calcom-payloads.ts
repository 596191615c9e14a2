/**
 * A Cal.com booking as a webhook's `payload` carries it: booking 812 (`cal_A`) of event type 44,
 * Tuesday 2026-01-06 09:00-09:30 UTC, accepted, with one attendee; `overrides` replace fields.
 *
 * @example
 * ```ts
 * await deliver('BOOKING_CANCELLED', calcomBookingPayload({ status: 'CANCELLED' }));
 * ```
 */
export const calcomBookingPayload = (overrides: Record<string, unknown> = {}) => ({
  bookingId: 812,
  uid: 'cal_A',
  eventTypeId: 44,
  title: 'Consultation with Ana',
  startTime: '2026-01-06T09:00:00Z',
  endTime: '2026-01-06T09:30:00Z',
  status: 'ACCEPTED',
  organizer: { id: 7, name: 'Host', email: 'host@acme.example', timeZone: 'Europe/Berlin' },
  attendees: [{ name: 'Ana Example', email: 'ana@example.com', timeZone: 'Europe/Berlin' }],
  ...overrides,
});
