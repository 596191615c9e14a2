import { describe, expect, it } from 'vitest';
import { isValidationError, type ValidationError } from '../errors/validation-error.js';
import { parseCalcomWebhook } from './webhook.js';
import { calcomTriggerEvents } from './webhook-schema.js';

const booking = {
  bookingId: 812,
  uid: 'bk_8Fh2kQ',
  eventTypeId: 44,
  type: 'haircut-30',
  title: 'Haircut between Ana and José',
  startTime: '2026-01-09T14:00:00Z',
  endTime: '2026-01-09T14:30:00Z',
  status: 'ACCEPTED',
  organizer: {
    id: 7,
    name: 'Ana',
    email: 'ana@salon.example',
    timeZone: 'Europe/Madrid',
    language: { locale: 'es' },
  },
  attendees: [
    { name: 'José', email: 'jose@example.com', timeZone: 'Europe/Madrid', phoneNumber: '+34600000000' },
  ],
  metadata: { appointmentId: 'apt_1', videoCallUrl: 'https://cal.video/x' },
  responses: { name: { label: 'Name', value: 'José' } },
  iCalUID: 'bk_8Fh2kQ@Cal.com',
};

function webhookBody(triggerEvent: string, payload: unknown, extra: object = {}): string {
  return JSON.stringify({ triggerEvent, createdAt: '2026-01-05T09:00:00.000Z', payload, ...extra });
}

function parseError(text: string): ValidationError {
  try {
    parseCalcomWebhook(text);
  } catch (error) {
    if (isValidationError(error)) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseCalcomWebhook', () => {
  it('parses BOOKING_CREATED into a typed booking payload', () => {
    const webhook = parseCalcomWebhook(webhookBody('BOOKING_CREATED', booking));
    if (!webhook.known || webhook.triggerEvent !== 'BOOKING_CREATED') throw new Error('narrowing failed');
    expect(webhook.payload.uid).toBe('bk_8Fh2kQ');
    expect(webhook.payload.attendees[0]?.phoneNumber).toBe('+34600000000');
    expect(webhook.payload.organizer.timeZone).toBe('Europe/Madrid');
    expect(webhook.payload.metadata?.appointmentId).toBe('apt_1');
    expect(webhook.createdAt).toBe('2026-01-05T09:00:00.000Z');
  });

  it('parses BOOKING_RESCHEDULED with the new uid and the link to the old booking', () => {
    const payload = {
      ...booking,
      uid: 'bk_new',
      rescheduleUid: 'bk_8Fh2kQ',
      rescheduleId: 812,
      rescheduleStartTime: '2026-01-09T14:00:00Z',
      rescheduledBy: 'jose@example.com',
    };
    const webhook = parseCalcomWebhook(webhookBody('BOOKING_RESCHEDULED', payload));
    if (!webhook.known || webhook.triggerEvent !== 'BOOKING_RESCHEDULED') throw new Error('narrowing failed');
    expect([webhook.payload.rescheduleUid, webhook.payload.uid]).toEqual(['bk_8Fh2kQ', 'bk_new']);
  });

  it('parses BOOKING_CANCELLED with its reason and reschedule request flag', () => {
    const payload = {
      ...booking,
      status: 'CANCELLED',
      cancellationReason: 'Sick',
      cancelledBy: 'ana@salon.example',
      requestReschedule: false,
      rescheduledToUid: null,
    };
    const webhook = parseCalcomWebhook(webhookBody('BOOKING_CANCELLED', payload));
    if (!webhook.known || webhook.triggerEvent !== 'BOOKING_CANCELLED') throw new Error('narrowing failed');
    expect(webhook.payload.cancellationReason).toBe('Sick');
    expect(webhook.payload.requestReschedule).toBe(false);
  });

  it('parses BOOKING_NO_SHOW_UPDATED, whose payload is not a booking', () => {
    const payload = {
      message: 'x marked',
      bookingUid: 'bk_8Fh2kQ',
      bookingId: 812,
      attendees: [{ email: 'jose@example.com', noShow: true }],
    };
    const webhook = parseCalcomWebhook(webhookBody('BOOKING_NO_SHOW_UPDATED', payload));
    if (!webhook.known || webhook.triggerEvent !== 'BOOKING_NO_SHOW_UPDATED')
      throw new Error('narrowing failed');
    expect(webhook.payload.attendees).toEqual([{ email: 'jose@example.com', noShow: true }]);
  });

  it('accepts the dashboard PING with its dummy payload', () => {
    const payload = { type: 'Test', title: 'Test trigger event', attendees: [{ email: 'jdoe@example.com' }] };
    expect(parseCalcomWebhook(webhookBody('PING', payload))).toMatchObject({
      known: true,
      triggerEvent: 'PING',
      payload,
    });
  });

  it('passes documented triggers it does not model through with an untyped payload', () => {
    const webhook = parseCalcomWebhook(webhookBody('RECORDING_READY', { anything: ['goes'] }));
    expect(webhook).toMatchObject({
      known: true,
      triggerEvent: 'RECORDING_READY',
      payload: { anything: ['goes'] },
    });
  });

  it('parses MEETING_STARTED and MEETING_ENDED into the booking they were scheduled for', () => {
    for (const trigger of ['MEETING_STARTED', 'MEETING_ENDED'] as const) {
      const webhook = parseCalcomWebhook(webhookBody(trigger, booking));
      if (!webhook.known || webhook.triggerEvent !== trigger) throw new Error('narrowing failed');
      expect(webhook.payload.uid).toBe('bk_8Fh2kQ');
      expect(webhook.payload.endTime).toBe('2026-01-09T14:30:00Z');
    }
    const error = parseError(webhookBody('MEETING_ENDED', { anything: ['goes'] }));
    expect(error.message).toContain('payload.uid');
  });

  it('returns an unknown trigger explicitly instead of throwing', () => {
    const webhook = parseCalcomWebhook(webhookBody('BOOKING_TELEPORTED', { uid: 'x' }));
    expect(webhook).toMatchObject({
      known: false,
      triggerEvent: 'BOOKING_TELEPORTED',
      body: { payload: { uid: 'x' } },
    });
  });

  it('keeps unknown extra fields and accepts null optional fields and new statuses', () => {
    const payload = {
      ...booking,
      status: 'AWAITING_HOST',
      location: null,
      appsStatus: [{ appName: 'zoom' }],
    };
    const webhook = parseCalcomWebhook(webhookBody('BOOKING_REQUESTED', payload, { newEnvelopeField: 1 }));
    expect(webhook).toMatchObject({
      newEnvelopeField: 1,
      payload: { status: 'AWAITING_HOST', appsStatus: [{ appName: 'zoom' }] },
    });
  });

  it('parses a body given as UTF-8 bytes', () => {
    const webhook = parseCalcomWebhook(new TextEncoder().encode(webhookBody('BOOKING_CREATED', booking)));
    expect(webhook).toMatchObject({ known: true, payload: { attendees: [{ name: 'José' }] } });
  });

  it('knows every documented trigger and PING', () => {
    expect(calcomTriggerEvents).toHaveLength(20);
    expect(calcomTriggerEvents).toEqual(
      expect.arrayContaining(['PING', 'BOOKING_PAID', 'DELEGATION_CREDENTIAL_ERROR']),
    );
    expect(calcomTriggerEvents).not.toContain('BOOKING_CONFIRMED');
  });

  describe('refuses malformed bodies with a ValidationError naming the field', () => {
    it('when a booking lacks its start time', () => {
      const { startTime: _s, ...payload } = booking;
      const error = parseError(webhookBody('BOOKING_CREATED', payload));
      expect(error.context.issues.map((issue) => issue.path)).toEqual(['payload.startTime']);
      expect(error.message).toMatch(/^Invalid Cal\.com BOOKING_CREATED webhook: payload\.startTime: /);
    });

    it('when an attendee lacks an email', () => {
      const payload = { ...booking, attendees: [{ name: 'José', timeZone: 'Europe/Madrid' }] };
      expect(parseError(webhookBody('BOOKING_CREATED', payload)).context.issues[0]?.path).toBe(
        'payload.attendees.0.email',
      );
    });

    it('when a time is not ISO 8601', () => {
      const error = parseError(webhookBody('BOOKING_CANCELLED', { ...booking, endTime: 'Friday 3pm' }));
      expect(error.context.issues[0]?.path).toBe('payload.endTime');
    });

    it('when createdAt is missing', () => {
      const text = JSON.stringify({ triggerEvent: 'BOOKING_CREATED', payload: booking });
      expect(parseError(text).context.issues.map((issue) => issue.path)).toEqual(['createdAt']);
    });

    it('when triggerEvent is missing or empty', () => {
      expect(parseError(JSON.stringify({ payload: booking })).context.issues[0]?.path).toBe('triggerEvent');
      expect(parseError(webhookBody('', booking)).context.issues[0]?.path).toBe('triggerEvent');
    });

    it.each([
      ['not JSON', 'triggerEvent=BOOKING_CREATED', 'Body is not valid JSON'],
      ['a JSON string', '"BOOKING_CREATED"', 'Expected a JSON object'],
    ])('when the body is %s', (_name, text, message) => {
      expect(parseError(text).context.issues).toEqual([{ path: '', message }]);
    });
  });
});
