import { describe, expect, it } from 'vitest';
import { calcomWebhookKey } from './webhook-key.js';
import { fingerprint } from '../idempotency/fingerprint.js';
import { IdempotencyKey } from '../idempotency/idempotency-scope.js';
import { isValidationError } from '../errors/validation-error.js';

function delivery(
  triggerEvent: string,
  payload: Record<string, unknown>,
  createdAt = '2026-01-05T08:00:00.000Z',
) {
  return { triggerEvent, createdAt, payload };
}

const booking = {
  bookingId: 101,
  uid: 'bk_8xYq2',
  title: 'Consultation',
  startTime: '2026-01-05T09:30:00Z',
  endTime: '2026-01-05T10:00:00Z',
  status: 'ACCEPTED',
  attendees: [{ email: 'ana@example.com', name: 'Ana' }],
};

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('calcomWebhookKey', () => {
  it('keys a delivery on trigger, booking uid, start time and status', () => {
    expect(calcomWebhookKey(delivery('BOOKING_CREATED', booking))).toBe(
      'calcom:BOOKING_CREATED:bk_8xYq2:2026-01-05T09:30:00Z:ACCEPTED',
    );
  });

  it('gives a duplicate delivery the same key, whatever its send time', () => {
    const first = delivery('BOOKING_CREATED', booking, '2026-01-05T08:00:00.000Z');
    const retry = delivery(
      'BOOKING_CREATED',
      { ...booking, title: 'Consultation' },
      '2026-01-05T08:00:12.000Z',
    );
    expect(calcomWebhookKey(retry)).toBe(calcomWebhookKey(first));
  });

  it('gives each real change its own key', () => {
    const keys = [
      delivery('BOOKING_REQUESTED', { ...booking, status: 'PENDING' }),
      delivery('BOOKING_CREATED', booking), // the confirmation of the request
      delivery('BOOKING_RESCHEDULED', {
        ...booking,
        uid: 'bk_new',
        startTime: '2026-01-06T09:30:00Z',
        rescheduleUid: 'bk_8xYq2',
      }),
      delivery('BOOKING_CANCELLED', { ...booking, status: 'CANCELLED' }),
    ].map(calcomWebhookKey);
    expect(new Set(keys).size).toBe(4);
  });

  it('leaves the status out when the payload has none', () => {
    const { status: _status, ...withoutStatus } = booking;
    expect(calcomWebhookKey(delivery('MEETING_ENDED', withoutStatus))).toBe(
      'calcom:MEETING_ENDED:bk_8xYq2:2026-01-05T09:30:00Z',
    );
  });

  it('leaves the status out when the payload has it as null', () => {
    expect(calcomWebhookKey(delivery('MEETING_ENDED', { ...booking, status: null }))).toBe(
      'calcom:MEETING_ENDED:bk_8xYq2:2026-01-05T09:30:00Z',
    );
  });

  it('keys a no-show update on the booking uid and the attendees’ flags', () => {
    const noShow = (flag: boolean) =>
      delivery('BOOKING_NO_SHOW_UPDATED', {
        message: 'x',
        bookingUid: 'bk_8xYq2',
        bookingId: 101,
        attendees: [{ email: 'ana@example.com', noShow: flag }],
      });
    expect(calcomWebhookKey(noShow(true))).toBe(
      `calcom:BOOKING_NO_SHOW_UPDATED:bk_8xYq2:${fingerprint([{ email: 'ana@example.com', noShow: true }])}`,
    );
    expect(calcomWebhookKey(noShow(true))).not.toBe(calcomWebhookKey(noShow(false)));
  });

  it('returns a valid idempotency key', () => {
    expect(IdempotencyKey.safeParse(calcomWebhookKey(delivery('BOOKING_CREATED', booking))).success).toBe(
      true,
    );
  });

  it('refuses a delivery without the fields the key needs, naming them', () => {
    const missingUid = thrown(() =>
      calcomWebhookKey(delivery('BOOKING_CREATED', { ...booking, uid: undefined })),
    );
    expect(isValidationError(missingUid)).toBe(true);
    expect(missingUid).toMatchObject({ context: { issues: [{ path: 'payload.uid' }] } });
    const ping = thrown(() =>
      calcomWebhookKey(delivery('PING', { type: 'Test', title: 'Test trigger event' })),
    );
    expect(isValidationError(ping)).toBe(true);
    expect(isValidationError(thrown(() => calcomWebhookKey(null)))).toBe(true);
    expect(isValidationError(thrown(() => calcomWebhookKey('BOOKING_CREATED')))).toBe(true);
  });

  it('refuses a delivery whose parts would not make a valid key', () => {
    const error = thrown(() =>
      calcomWebhookKey(delivery('BOOKING_CREATED', { ...booking, uid: 'has a space' })),
    );
    expect(isValidationError(error)).toBe(true);
    expect(String(error)).toMatch(/Cal.com webhook idempotency key/);
  });
});
