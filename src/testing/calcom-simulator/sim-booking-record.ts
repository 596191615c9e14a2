import type { CalcomSimAccount } from './sim-accounts.js';
import type { CalcomSimEventTypeRecord } from './sim-event-type.js';

/** A booking's REST status (lower case; webhooks write it in upper case). */
export type CalcomSimBookingStatus = 'accepted' | 'pending' | 'cancelled' | 'rejected';

/** An attendee of a simulated booking. */
export interface CalcomSimAttendee {
  readonly name: string;
  readonly email: string;
  readonly timeZone: string;
  readonly language: string;
  readonly absent: boolean;
  readonly phoneNumber?: string;
}

/** A booking as the simulated Cal.com keeps it (read it with `getBooking`). */
export interface CalcomSimBooking {
  readonly id: number;
  readonly uid: string;
  readonly eventType: CalcomSimEventTypeRecord;
  readonly host: CalcomSimAccount;
  readonly title: string;
  readonly description: string;
  readonly status: CalcomSimBookingStatus;
  /** ISO UTC with milliseconds. */
  readonly start: string;
  readonly end: string;
  readonly duration: number;
  readonly attendees: readonly CalcomSimAttendee[];
  readonly guests: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly location: string;
  readonly absentHost: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly cancellationReason?: string;
  readonly cancelledByEmail?: string;
  readonly rejectionReason?: string;
  readonly reschedulingReason?: string;
  readonly rescheduledByEmail?: string;
  readonly rescheduledFromUid?: string;
  readonly rescheduledToUid?: string;
}

/**
 * `BookingOutput_2024_08_13`, the shape of bookings versions 2024-08-13 and 2026-02-25.
 *
 * @internal
 */
export function bookingOutput(booking: CalcomSimBooking): Record<string, unknown> {
  const first = booking.attendees[0];
  const optional = {
    cancellationReason: booking.cancellationReason,
    cancelledByEmail: booking.cancelledByEmail,
    reschedulingReason: booking.reschedulingReason,
    rescheduledByEmail: booking.rescheduledByEmail,
    rescheduledFromUid: booking.rescheduledFromUid,
    rescheduledToUid: booking.rescheduledToUid,
  };
  return {
    id: booking.id,
    uid: booking.uid,
    title: booking.title,
    description: booking.description,
    hosts: [
      {
        id: booking.host.id,
        name: booking.host.name,
        email: booking.host.email,
        username: booking.host.username,
        timeZone: booking.host.timeZone,
      },
    ],
    status: booking.status,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    start: booking.start,
    end: booking.end,
    duration: booking.duration,
    eventTypeId: booking.eventType.id,
    eventType: { id: booking.eventType.id, slug: booking.eventType.slug },
    location: booking.location,
    absentHost: booking.absentHost,
    createdAt: booking.createdAt,
    updatedAt: booking.updatedAt,
    metadata: { ...booking.metadata },
    icsUid: `${booking.uid}@Cal.com`,
    attendees: booking.attendees.map((attendee) => ({ ...attendee })),
    guests: [...booking.guests],
    bookingFieldsResponses: {
      name: first?.name ?? '',
      ...(first?.email ? { email: first.email } : {}),
      ...(first?.phoneNumber ? { attendeePhoneNumber: first.phoneNumber } : {}),
      guests: [...booking.guests],
    },
  };
}

/**
 * The 2024-04-15 (v1-like) booking Cal.com answers with when the version header is missing or
 * unknown: other field names, upper-case status.
 *
 * @internal
 */
export function legacyBookingOutput(booking: CalcomSimBooking): Record<string, unknown> {
  return {
    id: booking.id,
    uid: booking.uid,
    title: booking.title,
    startTime: booking.start,
    endTime: booking.end,
    status: booking.status.toUpperCase(),
    eventTypeId: booking.eventType.id,
    userId: booking.host.id,
    attendees: booking.attendees.map((attendee) => ({
      name: attendee.name,
      email: attendee.email,
      timeZone: attendee.timeZone,
      locale: attendee.language,
    })),
    metadata: { ...booking.metadata },
  };
}
