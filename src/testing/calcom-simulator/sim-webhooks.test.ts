import { describe, expect, it } from 'vitest';
import { verifyCalcomSignature } from '../../calcom/signature.js';
import { parseCalcomWebhook } from '../../calcom/webhook.js';
import { createFakeClock } from '../fake-clock.js';
import { createCalcomSimulator } from './calcom-simulator.js';

const KEY = 'cal_test_simulator';
const SECRET = 'whsec-test';
const ALL_TRIGGERS = [
  'BOOKING_CREATED',
  'BOOKING_REQUESTED',
  'BOOKING_RESCHEDULED',
  'BOOKING_CANCELLED',
  'BOOKING_REJECTED',
  'BOOKING_NO_SHOW_UPDATED',
];

function setUp(options: { requiresConfirmation?: boolean } = {}) {
  const received: { url: string; body: string; signature: string | null; version: string | null }[] = [];
  const webhookFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    received.push({
      url: request.url,
      body: await request.text(),
      signature: request.headers.get('x-cal-signature-256'),
      version: request.headers.get('x-cal-webhook-version'),
    });
    return new Response(null, { status: 204 });
  };
  const clock = createFakeClock('2026-01-05T08:00:00Z');
  const sim = createCalcomSimulator({
    clock,
    webhookFetch,
    accounts: [{ apiKey: KEY, username: 'host', email: 'host@example.com' }],
  });
  const eventType = sim.addEventType({
    slug: 'consultation',
    lengthInMinutes: 30,
    timeZone: 'UTC',
    weeklyHours: { monday: [{ start: '09:00', end: '17:00' }] },
    ...options,
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await sim.fetch(`https://api.cal.com${path}`, {
      method,
      headers: {
        authorization: `Bearer ${KEY}`,
        'cal-api-version': '2026-02-25',
        'content-type': 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { data: JSON.parse(await response.text()).data };
  };
  const subscribe = (triggers = ALL_TRIGGERS, extra: Record<string, unknown> = { secret: SECRET }) =>
    call('POST', '/v2/webhooks', {
      subscriberUrl: 'https://app.example.com/webhooks/calcom/acme',
      triggers,
      active: true,
      ...extra,
    });
  const book = async (start: string) =>
    (
      await call('POST', '/v2/bookings', {
        start,
        eventTypeId: eventType.id,
        attendee: { name: 'Ada', email: 'ada@example.com', timeZone: 'Europe/Berlin' },
        metadata: { bookingkitAppointmentId: 'apt-1' },
      })
    ).data as { uid: string };
  const triggers = () => received.map((delivery) => JSON.parse(delivery.body).triggerEvent as string);
  return { clock, sim, call, subscribe, book, received, triggers };
}

describe('Cal.com simulator webhooks', () => {
  it('sends each booking trigger signed as Cal.com signs it, in a body parseCalcomWebhook accepts', async () => {
    const { sim, call, subscribe, book, received, triggers } = setUp();
    await subscribe();
    const booking = await book('2026-01-05T09:00:00.000Z');
    const moved = (
      await call('POST', `/v2/bookings/${booking.uid}/reschedule`, { start: '2026-01-05T10:00:00.000Z' })
    ).data;
    await call('POST', `/v2/bookings/${moved.uid}/mark-absent`, {
      attendees: [{ email: 'ada@example.com', absent: true }],
    });
    await call('POST', `/v2/bookings/${moved.uid}/cancel`, { cancellationReason: 'ill' });
    await sim.webhooks.settled();

    expect(triggers()).toEqual([
      'BOOKING_CREATED',
      'BOOKING_RESCHEDULED',
      'BOOKING_NO_SHOW_UPDATED',
      'BOOKING_CANCELLED',
    ]);
    for (const delivery of received) {
      expect(delivery.url).toBe('https://app.example.com/webhooks/calcom/acme');
      expect(delivery.version).toBe('2021-10-20');
      expect(verifyCalcomSignature(delivery.body, delivery.signature, SECRET)).toEqual({ ok: true });
      expect(parseCalcomWebhook(delivery.body).known).toBe(true);
    }
    const [created, rescheduled, noShow, cancelled] = received.map((delivery) =>
      parseCalcomWebhook(delivery.body),
    );
    expect(created).toMatchObject({
      triggerEvent: 'BOOKING_CREATED',
      createdAt: '2026-01-05T08:00:00.000Z',
      payload: {
        uid: booking.uid,
        startTime: '2026-01-05T09:00:00Z',
        status: 'ACCEPTED',
        metadata: { bookingkitAppointmentId: 'apt-1' },
        attendees: [{ email: 'ada@example.com', timeZone: 'Europe/Berlin' }],
        organizer: { email: 'host@example.com' },
      },
    });
    expect(rescheduled).toMatchObject({
      triggerEvent: 'BOOKING_RESCHEDULED',
      payload: {
        uid: moved.uid,
        rescheduleUid: booking.uid,
        rescheduleStartTime: '2026-01-05T09:00:00Z',
        startTime: '2026-01-05T10:00:00Z',
      },
    });
    expect(noShow).toMatchObject({
      triggerEvent: 'BOOKING_NO_SHOW_UPDATED',
      payload: { bookingUid: moved.uid, attendees: [{ email: 'ada@example.com', noShow: true }] },
    });
    expect(cancelled).toMatchObject({
      triggerEvent: 'BOOKING_CANCELLED',
      payload: {
        uid: moved.uid,
        status: 'CANCELLED',
        cancellationReason: 'ill',
        cancelledBy: 'host@example.com',
      },
    });
  });

  it('sends BOOKING_REQUESTED for a booking that needs confirmation, BOOKING_CREATED on confirm, BOOKING_REJECTED on decline', async () => {
    const { sim, call, subscribe, book, received, triggers } = setUp({ requiresConfirmation: true });
    await subscribe();
    const first = await book('2026-01-05T09:00:00.000Z');
    await call('POST', `/v2/bookings/${first.uid}/confirm`);
    const second = await book('2026-01-05T10:00:00.000Z');
    await call('POST', `/v2/bookings/${second.uid}/decline`, { reason: 'busy' });
    // An attendee's reschedule of a requires-confirmation booking is requested again, with the old uid.
    const moved = await sim.fetch(`https://api.cal.com/v2/bookings/${first.uid}/reschedule`, {
      method: 'POST',
      headers: { 'cal-api-version': '2026-02-25', 'content-type': 'application/json' },
      body: JSON.stringify({ start: '2026-01-05T11:00:00.000Z' }),
    });
    expect(moved.status).toBe(201);
    await sim.webhooks.settled();
    expect(triggers()).toEqual([
      'BOOKING_REQUESTED',
      'BOOKING_CREATED',
      'BOOKING_REQUESTED',
      'BOOKING_REJECTED',
      'BOOKING_REQUESTED',
    ]);
    const parsed = received.map((delivery) => parseCalcomWebhook(delivery.body));
    expect(parsed[0]).toMatchObject({ payload: { status: 'PENDING', requiresConfirmation: true } });
    expect(parsed[3]).toMatchObject({ payload: { uid: second.uid, status: 'REJECTED' } });
    expect(parsed[4]).toMatchObject({ payload: { rescheduleUid: first.uid, status: 'PENDING' } });
  });

  it('sends only the triggers a subscription asked for, only while active, and no-secret-provided without a secret', async () => {
    const { sim, call, subscribe, book, received, triggers } = setUp();
    const subscription = (await subscribe(['BOOKING_CANCELLED'], {})).data;
    const booking = await book('2026-01-05T09:00:00.000Z');
    await call('POST', `/v2/bookings/${booking.uid}/cancel`, { cancellationReason: 'x' });
    await call('PATCH', `/v2/webhooks/${subscription.id}`, { active: false });
    const other = await book('2026-01-05T10:00:00.000Z');
    await call('POST', `/v2/bookings/${other.uid}/cancel`, { cancellationReason: 'x' });
    await sim.webhooks.settled();
    expect(triggers()).toEqual(['BOOKING_CANCELLED']);
    expect(received[0]!.signature).toBe('no-secret-provided');
  });

  it('sends BOOKING_CANCELLED with requestReschedule when the host requests a reschedule', async () => {
    const { sim, subscribe, book, received } = setUp();
    await subscribe();
    const booking = await book('2026-01-05T09:00:00.000Z');
    const cancelled = await sim.requestReschedule(booking.uid, 'please pick another day');
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellationReason: 'please pick another day' });
    await sim.webhooks.settled();
    expect(parseCalcomWebhook(received[1]!.body)).toMatchObject({
      triggerEvent: 'BOOKING_CANCELLED',
      payload: {
        uid: booking.uid,
        requestReschedule: true,
        rescheduledToUid: null,
        cancelledBy: 'host@example.com',
      },
    });
    await expect(sim.requestReschedule(booking.uid)).rejects.toMatchObject({ status: 400 });
    await expect(sim.requestReschedule('nope')).rejects.toMatchObject({ status: 404 });
  });

  it('duplicates and drops deliveries on demand', async () => {
    const { sim, call, subscribe, book, received, triggers } = setUp();
    await subscribe();
    sim.webhooks.duplicateNext(1, 3);
    const booking = await book('2026-01-05T09:00:00.000Z');
    sim.webhooks.dropNext();
    await call('POST', `/v2/bookings/${booking.uid}/cancel`, { cancellationReason: 'x' });
    await sim.webhooks.settled();
    expect(triggers()).toEqual(['BOOKING_CREATED', 'BOOKING_CREATED', 'BOOKING_CREATED']);
    expect(new Set(received.map((delivery) => delivery.body)).size).toBe(1);
    expect(sim.webhooks.deliveries.map((delivery) => [delivery.triggerEvent, delivery.outcome.kind])).toEqual(
      [
        ['BOOKING_CREATED', 'answered'],
        ['BOOKING_CREATED', 'answered'],
        ['BOOKING_CREATED', 'answered'],
        ['BOOKING_CANCELLED', 'dropped'],
      ],
    );
  });

  it('holds deliveries and releases them reordered (a cancel before its create)', async () => {
    const { sim, call, subscribe, book, triggers } = setUp();
    await subscribe();
    sim.webhooks.hold();
    const booking = await book('2026-01-05T09:00:00.000Z');
    await call('POST', `/v2/bookings/${booking.uid}/cancel`, { cancellationReason: 'x' });
    expect(triggers()).toEqual([]);
    await sim.webhooks.release('reverse');
    expect(triggers()).toEqual(['BOOKING_CANCELLED', 'BOOKING_CREATED']);
  });

  it("records a subscriber's answer and a failed delivery, without retrying", async () => {
    const sim = createCalcomSimulator({
      clock: createFakeClock('2026-01-05T08:00:00Z'),
      webhookFetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const created = await sim.fetch('https://api.cal.com/v2/webhooks', {
      method: 'POST',
      headers: { authorization: 'Bearer cal_test_simulator', 'content-type': 'application/json' },
      body: JSON.stringify({
        subscriberUrl: 'https://down.example.com/hook',
        triggers: ['BOOKING_CREATED'],
        active: true,
        secret: SECRET,
      }),
    });
    const { data } = JSON.parse(await created.text());
    sim.webhooks.ping(data.id);
    await sim.webhooks.settled();
    expect(sim.webhooks.deliveries).toHaveLength(1);
    expect(sim.webhooks.deliveries[0]).toMatchObject({
      triggerEvent: 'PING',
      outcome: { kind: 'failed', error: 'fetch failed' },
    });
    expect(parseCalcomWebhook(sim.webhooks.deliveries[0]!.body)).toMatchObject({
      known: true,
      triggerEvent: 'PING',
    });
  });
});
