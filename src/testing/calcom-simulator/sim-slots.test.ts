import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../fake-clock.js';
import { createCalcomSimulator } from './calcom-simulator.js';

const KEY = 'cal_test_simulator';
const OTHER_KEY = 'cal_test_other';

function setUp(extra: Record<string, unknown> = {}) {
  const clock = createFakeClock('2026-01-05T06:00:00Z'); // Monday, 07:00 in Berlin
  const sim = createCalcomSimulator({
    clock,
    accounts: [
      { apiKey: KEY, username: 'host' },
      { apiKey: OTHER_KEY, username: 'other' },
    ],
  });
  const eventType = sim.addEventType({
    slug: 'consultation',
    lengthInMinutes: 60,
    lengthInMinutesOptions: [60, 120],
    timeZone: 'Europe/Berlin',
    weeklyHours: { monday: [{ start: '09:00', end: '12:00' }], tuesday: [{ start: '09:00', end: '11:00' }] },
    ...extra,
  });
  const request = async (
    method: string,
    path: string,
    options: { body?: unknown; key?: string | null; version?: string } = {},
  ) => {
    const headers: Record<string, string> = {
      'cal-api-version': options.version ?? '2024-09-04',
      'content-type': 'application/json',
    };
    const key = options.key === undefined ? KEY : options.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    const response = await sim.fetch(`https://api.cal.com${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    return { status: response.status, body: JSON.parse(await response.text()) };
  };
  const slots = async (query: string, key: string | null = KEY) =>
    (await request('GET', `/v2/slots?eventTypeId=${eventType.id}&${query}`, { key })).body.data as Record<
      string,
      { start: string; end?: string }[]
    >;
  const starts = async (query: string, key: string | null = KEY) =>
    Object.values(await slots(query, key)).flatMap((day) => day.map((slot) => slot.start));
  return { clock, sim, eventType, request, slots, starts };
}

describe('Cal.com simulator slots (GET /v2/slots, 2024-09-04)', () => {
  it('keys slots by the date in the requested time zone and writes them with its offset', async () => {
    const { slots } = setUp();
    expect(await slots('start=2026-01-05&end=2026-01-06&timeZone=Europe/Berlin')).toEqual({
      '2026-01-05': [
        { start: '2026-01-05T09:00:00.000+01:00' },
        { start: '2026-01-05T10:00:00.000+01:00' },
        { start: '2026-01-05T11:00:00.000+01:00' },
      ],
      '2026-01-06': [{ start: '2026-01-06T09:00:00.000+01:00' }, { start: '2026-01-06T10:00:00.000+01:00' }],
    });
    // The window is UTC whatever the zone; Tokyo sees Monday's slots on Monday evening.
    expect(await slots('start=2026-01-05&end=2026-01-05&timeZone=Asia/Tokyo')).toEqual({
      '2026-01-05': [
        { start: '2026-01-05T17:00:00.000+09:00' },
        { start: '2026-01-05T18:00:00.000+09:00' },
        { start: '2026-01-05T19:00:00.000+09:00' },
      ],
    });
  });

  it('answers ranges, other lengths, and UTC by default', async () => {
    const { slots, request, eventType } = setUp();
    expect(await slots('start=2026-01-06&end=2026-01-06&format=range')).toEqual({
      '2026-01-06': [
        { start: '2026-01-06T08:00:00.000+00:00', end: '2026-01-06T09:00:00.000+00:00' },
        { start: '2026-01-06T09:00:00.000+00:00', end: '2026-01-06T10:00:00.000+00:00' },
      ],
    });
    expect(await slots('start=2026-01-06&end=2026-01-06&duration=120')).toEqual({
      '2026-01-06': [{ start: '2026-01-06T08:00:00.000+00:00' }],
    });
    const badLength = await request(
      'GET',
      `/v2/slots?eventTypeId=${eventType.id}&start=2026-01-06&end=2026-01-06&duration=45`,
    );
    expect(badLength.status).toBe(400);
    const badRange = await request(
      'GET',
      `/v2/slots?eventTypeId=${eventType.id}&start=2026-01-06&end=2026-01-05`,
    );
    expect(badRange.body.error.message).toBe(
      "Invalid time range given - check the 'start' and 'end' query parameters.",
    );
    expect((await request('GET', '/v2/slots?eventTypeId=999&start=2026-01-06&end=2026-01-06')).status).toBe(
      404,
    );
  });

  it('leaves out booked slots, the minimum notice and the past, but keeps the slot being rescheduled', async () => {
    const { clock, request, starts, eventType } = setUp({ minimumBookingNoticeMinutes: 180 });
    const booked = await request('POST', '/v2/bookings', {
      version: '2026-02-25',
      body: {
        start: '2026-01-05T10:00:00.000Z',
        eventTypeId: eventType.id,
        attendee: { name: 'Ada', email: 'a@example.com', timeZone: 'UTC' },
      },
    });
    expect(booked.status).toBe(201);
    // 06:00Z now + 3 h notice: 09:00Z and later; 10:00Z is booked.
    expect(await starts('start=2026-01-05&end=2026-01-05')).toEqual(['2026-01-05T09:00:00.000+00:00']);
    expect(
      await starts(`start=2026-01-05&end=2026-01-05&bookingUidToReschedule=${booked.body.data.uid}`),
    ).toEqual(['2026-01-05T09:00:00.000+00:00', '2026-01-05T10:00:00.000+00:00']);
    await clock.advanceTo(Date.parse('2026-01-05T20:00:00Z'));
    expect(await starts('start=2026-01-05&end=2026-01-05')).toEqual([]);
  });

  it('hides a reserved slot from other clients until the reservation expires', async () => {
    const { clock, request, starts, eventType } = setUp();
    const reserved = await request('POST', '/v2/slots/reservations', {
      body: { eventTypeId: eventType.id, slotStart: '2026-01-05T09:00:00.000Z' },
    });
    expect(reserved.status).toBe(201);
    expect(reserved.body.data).toMatchObject({
      eventTypeId: eventType.id,
      slotStart: '2026-01-05T09:00:00.000Z',
      slotEnd: '2026-01-05T10:00:00.000Z',
      slotDuration: 60,
      reservationDuration: 5,
      reservationUntil: '2026-01-05T06:05:00.000Z',
    });
    const window = 'start=2026-01-05&end=2026-01-05';
    expect(await starts(window, null)).not.toContain('2026-01-05T09:00:00.000+00:00');
    expect(await starts(window, KEY)).toContain('2026-01-05T09:00:00.000+00:00');
    const clash = await request('POST', '/v2/slots/reservations', {
      key: null,
      body: { eventTypeId: eventType.id, slotStart: '2026-01-05T09:30:00.000Z' },
    });
    expect(clash.status).toBe(422);
    expect(clash.body.error.message).toBe(
      'This time slot is already reserved by another user. Please choose a different time slot.',
    );
    await clock.advance(5 * 60_000);
    expect(await starts(window, null)).toContain('2026-01-05T09:00:00.000+00:00');
    expect(
      (await request('GET', `/v2/slots/reservations/${reserved.body.data.reservationUid}`)).body.data,
    ).toBeNull();
  });

  it('refuses to reserve a booked slot and keeps custom reservation lengths for the owner', async () => {
    const { request, eventType } = setUp();
    await request('POST', '/v2/bookings', {
      version: '2026-02-25',
      body: {
        start: '2026-01-05T09:00:00.000Z',
        eventTypeId: eventType.id,
        attendee: { name: 'Ada', email: 'a@example.com', timeZone: 'UTC' },
      },
    });
    const booked = await request('POST', '/v2/slots/reservations', {
      body: { eventTypeId: eventType.id, slotStart: '2026-01-05T09:00:00.000Z' },
    });
    expect(booked.status).toBe(422);
    expect(booked.body.error.message).toBe("Can't reserve a slot if the event is already booked.");
    const body = {
      eventTypeId: eventType.id,
      slotStart: '2026-01-05T10:00:00.000Z',
      reservationDuration: 10,
    };
    expect((await request('POST', '/v2/slots/reservations', { body, key: null })).status).toBe(401);
    expect((await request('POST', '/v2/slots/reservations', { body, key: OTHER_KEY })).status).toBe(403);
    const owned = await request('POST', '/v2/slots/reservations', { body });
    expect(owned.body.data.reservationDuration).toBe(10);
    const uid = owned.body.data.reservationUid as string;
    const moved = await request('PATCH', `/v2/slots/reservations/${uid}`, {
      body: { eventTypeId: eventType.id, slotStart: '2026-01-05T11:00:00.000Z' },
    });
    expect(moved.body.data).toMatchObject({ reservationUid: uid, slotStart: '2026-01-05T11:00:00.000Z' });
    expect((await request('DELETE', `/v2/slots/reservations/${uid}`)).body).toEqual({ status: 'success' });
    expect((await request('DELETE', `/v2/slots/reservations/${uid}`)).status).toBe(404);
  });
});
