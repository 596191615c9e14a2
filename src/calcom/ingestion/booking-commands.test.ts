import { describe, expect, it } from 'vitest';
import { BookCommand } from '../../booking/service/commands.js';
import { isValidationError } from '../../errors/validation-error.js';
import { CalcomBookingPayload } from '../booking-payload-schema.js';
import { actorOf, eventTypeIdOfPayload, importCommand } from './booking-commands.js';

const payload = CalcomBookingPayload.parse({
  bookingId: 812,
  uid: 'cal_A',
  eventTypeId: 44,
  startTime: '2026-01-06T09:00:00Z',
  endTime: '2026-01-06T09:30:00Z',
  organizer: { name: 'Host', email: 'Host@acme.example', timeZone: 'Europe/Berlin' },
  attendees: [
    {
      name: 'José',
      email: 'jose@example.com',
      timeZone: 'Europe/Madrid',
      phoneNumber: '+34600000000',
      language: { locale: 'es' },
    },
  ],
  metadata: { bookingkitAppointmentId: 'apt_1', videoCallUrl: 'https://cal.video/x' },
});
const input = {
  tenantId: 'acme',
  idempotencyKey: 'k1',
  status: 'accepted' as const,
  eventTypeId: eventTypeIdOfPayload,
};

function validationMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isValidationError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('importCommand', () => {
  it('records the Cal.com booking for its first attendee, with origin calcom and the calendar booking', () => {
    const command = importCommand(payload, input);
    expect(BookCommand.parse(command)).toMatchObject({
      origin: 'calcom',
      calendar: 'already_applied',
      eventTypeId: '44',
      start: '2026-01-06T09:00:00.000Z',
      timeZone: 'Europe/Madrid',
      customer: { name: 'José', email: 'jose@example.com', phone: '+34600000000', locale: 'es' },
      metadata: { bookingkitAppointmentId: 'apt_1' },
      existingCalendarBooking: { uid: 'cal_A', id: '812', status: 'accepted' },
    });
  });

  it('falls back to the organizer’s time zone, and to the phone when the email is not one', () => {
    const odd = {
      ...payload,
      attendees: [{ name: '', email: 'not-an-email', timeZone: 'Mars/Olympus', phoneNumber: '+34600000000' }],
    };
    expect(importCommand(odd, input)).toMatchObject({
      timeZone: 'Europe/Berlin',
      customer: { name: '+34600000000', phone: '+34600000000' },
    });
    expect(importCommand(odd, input).customer).not.toHaveProperty('email');
  });

  it('uses the event type mapper it is given', () => {
    expect(importCommand(payload, { ...input, eventTypeId: () => 'consult' }).eventTypeId).toBe('consult');
  });

  it('refuses a booking without an event type, an attendee, or a way to reach the attendee', () => {
    expect(validationMessage(() => importCommand({ ...payload, eventTypeId: null }, input))).toContain(
      'payload.eventTypeId',
    );
    expect(validationMessage(() => importCommand({ ...payload, attendees: [] }, input))).toContain(
      'payload.attendees',
    );
    const unreachable = { ...payload, attendees: [{ name: 'X', email: 'nope', timeZone: 'UTC' }] };
    expect(validationMessage(() => importCommand(unreachable, input))).toContain('payload.attendees.0.email');
  });
});

describe('actorOf', () => {
  it('tells the host, the customer and anyone else apart by email, ignoring case', () => {
    expect(actorOf(payload, 'host@ACME.example')).toEqual({ type: 'staff' });
    expect(actorOf(payload, 'jose@example.com')).toEqual({ type: 'customer' });
    expect(actorOf(payload, 'admin@elsewhere.example')).toEqual({ type: 'system' });
    expect(actorOf(payload, null)).toEqual({ type: 'system' });
  });
});
