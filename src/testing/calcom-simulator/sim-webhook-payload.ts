import type { CalcomSimBooking } from './sim-booking-record.js';
import type { SimBookingEvent } from './sim-state.js';
import { zoneOffsetMs } from '../../util/zoned-time.js';

// Webhook bodies as Cal.com sends them without a payload template, version 2021-10-20
// (reference §4.1-4.2): `{ triggerEvent, createdAt, payload }`, the payload a spread of Cal.com's
// CalendarEvent with the booking's ids, upper-case status and UTC times without milliseconds.

/** `2023-05-25T09:30:00Z`: how webhook payloads write times. */
const webhookTime = (iso: string): string => `${iso.slice(0, 19)}Z`;

const utcOffsetMinutes = (iso: string, timeZone: string): number =>
  zoneOffsetMs(Date.parse(iso), timeZone) / 60_000;

/** The booking part every booking trigger carries. @internal */
export function bookingPayload(booking: CalcomSimBooking): Record<string, unknown> {
  const { eventType, host } = booking;
  const attendee = booking.attendees[0];
  return {
    type: eventType.slug,
    title: booking.title,
    description: booking.description,
    additionalNotes: '',
    customInputs: {},
    startTime: webhookTime(booking.start),
    endTime: webhookTime(booking.end),
    organizer: {
      id: host.id,
      name: host.name,
      email: host.email,
      username: host.username,
      timeZone: host.timeZone,
      language: { locale: 'en' },
      timeFormat: 'h:mma',
      utcOffset: utcOffsetMinutes(booking.start, host.timeZone),
    },
    responses: {
      name: { label: 'your_name', value: attendee?.name ?? '' },
      email: { label: 'email_address', value: attendee?.email ?? '' },
      ...(attendee?.phoneNumber
        ? { attendeePhoneNumber: { label: 'phone_number', value: attendee.phoneNumber } }
        : {}),
      guests: { label: 'additional_guests', value: [...booking.guests] },
    },
    userFieldsResponses: {},
    attendees: booking.attendees.map((person) => ({
      email: person.email,
      name: person.name,
      timeZone: person.timeZone,
      language: { locale: person.language },
      utcOffset: utcOffsetMinutes(booking.start, person.timeZone),
      ...(person.phoneNumber ? { phoneNumber: person.phoneNumber } : {}),
    })),
    location: booking.location,
    destinationCalendar: null,
    hideCalendarNotes: false,
    requiresConfirmation: eventType.requiresConfirmation,
    eventTypeId: eventType.id,
    seatsShowAttendees: true,
    seatsPerTimeSlot: null,
    uid: booking.uid,
    iCalUID: `${booking.uid}@Cal.com`,
    iCalSequence: 0,
    conferenceData: null,
    appsStatus: [],
    eventTitle: eventType.title,
    eventDescription: eventType.description,
    price: 0,
    currency: 'usd',
    length: booking.duration,
    bookingId: booking.id,
    metadata: { ...booking.metadata, videoCallUrl: booking.location },
    status: booking.status.toUpperCase(),
  };
}

/**
 * The `payload` of a booking event's webhook.
 *
 * @internal
 */
export function webhookPayloadOf(event: SimBookingEvent): Record<string, unknown> {
  switch (event.trigger) {
    case 'BOOKING_NO_SHOW_UPDATED':
      return {
        message: `${event.attendees.map((entry) => entry.email).join(', ')} marked as ${event.attendees.every((entry) => entry.noShow) ? 'no-show' : 'present'}`,
        bookingUid: event.booking.uid,
        bookingId: event.booking.id,
        attendees: event.attendees.map((entry) => ({ ...entry })),
      };
    case 'BOOKING_CANCELLED':
      return {
        ...bookingPayload(event.booking),
        cancellationReason: event.booking.cancellationReason ?? null,
        cancelledBy: event.cancelledBy,
        requestReschedule: event.requestReschedule ?? false,
        rescheduledToUid: null,
      };
    case 'BOOKING_REJECTED':
      return { ...bookingPayload(event.booking), rejectionReason: event.booking.rejectionReason ?? null };
    case 'BOOKING_RESCHEDULED':
    case 'BOOKING_REQUESTED':
    case 'BOOKING_CREATED': {
      const payload = bookingPayload(event.booking);
      if (!('from' in event)) return payload;
      return {
        ...payload,
        rescheduleUid: event.from.uid,
        rescheduleId: event.from.id,
        rescheduleStartTime: webhookTime(event.from.start),
        rescheduleEndTime: webhookTime(event.from.end),
        rescheduledBy: event.booking.rescheduledByEmail ?? null,
      };
    }
  }
}

/**
 * The dummy payload of the dashboard's "Ping test" (reference §4.6), at `now`.
 *
 * @internal
 */
export const pingPayload = (now: string): Record<string, unknown> => ({
  type: 'Test',
  title: 'Test trigger event',
  startTime: now,
  endTime: now,
  attendees: [
    { email: 'jdoe@example.com', name: 'John Doe', timeZone: 'Europe/London', language: { locale: 'en' } },
  ],
  organizer: {
    name: 'Cal',
    email: 'no-reply@cal.com',
    timeZone: 'Europe/London',
    language: { locale: 'en' },
  },
});
