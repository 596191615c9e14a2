import { z } from 'zod';
import { ValidationError } from '../../errors/validation-error.js';
import { isTimeZone } from '../../util/zoned-time.js';
import type { BookCommand } from '../../booking/service/commands.js';
import type { Actor } from '../../domain/origin.js';
import { APPOINTMENT_TAG } from '../../ports/calendar-provider.js';
import type { CalcomBookingPayload } from '../booking-payload-schema.js';

/**
 * Picks the local event type id of a Cal.com booking, or `null` when there is none.
 * @default the payload's numeric `eventTypeId` as a string
 */
export type CalcomEventTypeMapper = (payload: CalcomBookingPayload) => string | null | undefined;

/** The default {@link CalcomEventTypeMapper}. @internal */
export const eventTypeIdOfPayload: CalcomEventTypeMapper = (payload) =>
  payload.eventTypeId === null || payload.eventTypeId === undefined ? null : String(payload.eventTypeId);

const Email = z.email();

/**
 * Who made a change in Cal.com: the host (`staff`) when `by` is the organizer's email, the
 * customer when it is an attendee's, otherwise the calendar itself (`system`). Emails are only
 * compared, never carried into events.
 *
 * @internal
 */
export function actorOf(payload: CalcomBookingPayload, by: unknown): Actor {
  if (typeof by !== 'string' || by === '') return { type: 'system' };
  const email = by.toLowerCase();
  if (payload.organizer.email.toLowerCase() === email) return { type: 'staff' };
  if (payload.attendees.some((attendee) => attendee.email.toLowerCase() === email))
    return { type: 'customer' };
  return { type: 'system' };
}

/** The appointment id bookingkit tagged a Cal.com booking with, if it made it. @internal */
export function appointmentTagOf(payload: CalcomBookingPayload): string | null {
  const tag = payload.metadata?.[APPOINTMENT_TAG];
  return typeof tag === 'string' && tag !== '' ? tag : null;
}

/** What {@link importCommand} needs besides the payload. @internal */
export interface ImportCommandInput {
  readonly tenantId: string;
  readonly idempotencyKey: string;
  readonly status: 'accepted' | 'pending';
  readonly eventTypeId: CalcomEventTypeMapper;
  /** Kept with the appointment (e.g. where a reschedule came from). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * The book command that records a booking made in Cal.com (origin `calcom`,
 * `calendar: 'already_applied'` with `existingCalendarBooking`, so the calendar is not asked again). The customer is the first
 * attendee: name, email (when it is a valid address), phone and locale.
 *
 * @throws {@link ValidationError} naming the payload field when the booking has no event type,
 *   no attendee, or an attendee with neither a valid email nor a phone number.
 * @internal
 */
export function importCommand(payload: CalcomBookingPayload, input: ImportCommandInput): BookCommand {
  const subject = 'Cal.com booking';
  const eventTypeId = input.eventTypeId(payload);
  if (eventTypeId === null || eventTypeId === undefined || eventTypeId === '') {
    throw new ValidationError(subject, [
      { path: 'payload.eventTypeId', message: 'The booking names no event type to record it under' },
    ]);
  }
  const attendee = payload.attendees[0];
  if (!attendee) {
    throw new ValidationError(subject, [
      { path: 'payload.attendees', message: 'The booking has no attendee to record it for' },
    ]);
  }
  const email = Email.safeParse(attendee.email).success ? attendee.email : undefined;
  const phone = attendee.phoneNumber ?? undefined;
  if (email === undefined && phone === undefined) {
    throw new ValidationError(subject, [
      { path: 'payload.attendees.0.email', message: 'Expected a valid email (or a phoneNumber)' },
    ]);
  }
  const locale = attendee.language?.locale;
  const timeZone = [attendee.timeZone, payload.organizer.timeZone].find(isTimeZone) ?? 'UTC';
  const tag = appointmentTagOf(payload);
  return {
    tenantId: input.tenantId,
    origin: 'calcom',
    calendar: 'already_applied',
    actor: { type: 'customer' },
    idempotencyKey: input.idempotencyKey,
    eventTypeId,
    start: payload.startTime,
    end: payload.endTime,
    timeZone,
    customer: {
      name: attendee.name === '' ? (email ?? phone ?? 'Cal.com attendee') : attendee.name,
      ...(email === undefined ? {} : { email }),
      ...(phone === undefined ? {} : { phone }),
      ...(locale && locale.length >= 2 ? { locale } : {}),
    },
    metadata: { ...(tag ? { [APPOINTMENT_TAG]: tag } : {}), ...input.metadata },
    existingCalendarBooking: {
      uid: payload.uid,
      id: payload.bookingId === null || payload.bookingId === undefined ? null : String(payload.bookingId),
      status: input.status,
    },
  };
}
