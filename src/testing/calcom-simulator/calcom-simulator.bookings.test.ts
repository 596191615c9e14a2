import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../fake-clock.js';
import type { CalcomSimulator } from './calcom-simulator-api.js';
import { createCalcomSimulator } from './calcom-simulator.js';

const KEY = 'cal_test_simulator';
const OTHER_KEY = 'cal_test_other';
const BASE = 'https://api.cal.com';
const BOOKINGS = '2026-02-25';
// Monday 2026-01-05, 08:00 UTC = 09:00 in Berlin.
const NOW = '2026-01-05T08:00:00Z';
const MONDAY_10_BERLIN = '2026-01-05T09:00:00.000Z';
const MONDAY_11_BERLIN = '2026-01-05T10:00:00.000Z';

interface CallOptions {
  readonly body?: unknown;
  readonly version?: string | null;
  readonly key?: string | null;
}

async function call(sim: CalcomSimulator, method: string, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const version = options.version === undefined ? BOOKINGS : options.version;
  if (version !== null) headers['cal-api-version'] = version;
  const key = options.key === undefined ? KEY : options.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const response = await sim.fetch(`${BASE}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  // Read loosely (JSON.parse's any): the assertions below say what is expected.
  return { status: response.status, headers: response.headers, body: JSON.parse(await response.text()) };
}

const uidsOf = (body: { data: { uid: string }[] }): string[] => body.data.map((booking) => booking.uid);

function setUp(options: { requiresConfirmation?: boolean; minimumBookingNoticeMinutes?: number } = {}) {
  const clock = createFakeClock(NOW);
  const sim = createCalcomSimulator({
    clock,
    accounts: [
      {
        apiKey: KEY,
        username: 'host',
        name: 'Hanna Host',
        email: 'host@example.com',
        timeZone: 'Europe/Berlin',
      },
      { apiKey: OTHER_KEY, username: 'other' },
    ],
  });
  const eventType = sim.addEventType({
    slug: 'consultation',
    title: 'Consultation',
    lengthInMinutes: 30,
    lengthInMinutesOptions: [30, 60],
    timeZone: 'Europe/Berlin',
    weeklyHours: { monday: [{ start: '09:00', end: '17:00' }], tuesday: [{ start: '09:00', end: '17:00' }] },
    ...options,
  });
  const book = (start: string, extra: Record<string, unknown> = {}, callOptions: CallOptions = {}) =>
    call(sim, 'POST', '/v2/bookings', {
      body: {
        start,
        eventTypeId: eventType.id,
        attendee: { name: 'Ada', email: 'ada@example.com', timeZone: 'Europe/Berlin' },
        metadata: { bookingkitAppointmentId: 'apt-1' },
        ...extra,
      },
      ...callOptions,
    });
  return { clock, sim, eventType, book };
}

describe('Cal.com simulator: creating and reading bookings', () => {
  it('creates a booking (201) in the 2024-08-13 booking shape and serves it by uid', async () => {
    const { sim, book, eventType } = setUp();
    const created = await book(MONDAY_10_BERLIN);
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('success');
    const booking = created.body.data;
    expect(booking).toMatchObject({
      status: 'accepted',
      start: MONDAY_10_BERLIN,
      end: '2026-01-05T09:30:00.000Z',
      duration: 30,
      eventTypeId: eventType.id,
      eventType: { id: eventType.id, slug: 'consultation' },
      hosts: [{ username: 'host', email: 'host@example.com' }],
      attendees: [{ name: 'Ada', email: 'ada@example.com', timeZone: 'Europe/Berlin', absent: false }],
      metadata: { bookingkitAppointmentId: 'apt-1' },
      createdAt: '2026-01-05T08:00:00.000Z',
      updatedAt: '2026-01-05T08:00:00.000Z',
    });
    const fetched = await call(sim, 'GET', `/v2/bookings/${booking.uid}`, { key: null });
    expect(fetched.status).toBe(200);
    expect(fetched.body.data).toEqual(booking);
  });

  it('makes deterministic uids and numeric ids', async () => {
    const { book } = setUp();
    const first = await book(MONDAY_10_BERLIN);
    const second = await book(MONDAY_11_BERLIN);
    expect([first.body.data.uid, second.body.data.uid]).toEqual(['sim-uid-1', 'sim-uid-2']);
    expect([first.body.data.id, second.body.data.id]).toEqual([1, 2]);
  });

  it("answers a taken slot with 400 and Cal.com's message, in the error envelope", async () => {
    const { book } = setUp();
    await book(MONDAY_10_BERLIN);
    const again = await book(MONDAY_10_BERLIN, {
      attendee: { name: 'Bob', email: 'bob@example.com', timeZone: 'UTC' },
    });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      status: 'error',
      timestamp: '2026-01-05T08:00:00.000Z',
      path: '/v2/bookings',
      error: {
        code: 'BadRequestException',
        message: 'User either already has booking at this time or is not available',
        details: {
          message: 'User either already has booking at this time or is not available',
          error: 'Bad Request',
          statusCode: 400,
        },
      },
    });
  });

  it('refuses times outside the opening hours, within the notice and in the past, each with its message', async () => {
    const { book } = setUp({ minimumBookingNoticeMinutes: 120 });
    const closed = await book('2026-01-07T09:00:00.000Z'); // a Wednesday
    expect(closed.body.error.message).toBe(
      'User either already has booking at this time or is not available',
    );
    const tooSoon = await book(MONDAY_10_BERLIN);
    expect(tooSoon.status).toBe(400);
    expect(tooSoon.body.error.message).toMatch(
      /^The event type can't be booked at the "start" time provided/,
    );
    const past = await book('2026-01-05T07:00:00.000Z');
    expect(past.body.error.message).toBe('Attempting to book a meeting in the past.');
  });

  it('answers an unknown event type with 404 and bad input with 400 naming the field', async () => {
    const { book } = setUp();
    const unknown = await book(MONDAY_10_BERLIN, { eventTypeId: 999 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({
      code: 'NotFoundException',
      message: 'Event type with id 999 not found.',
    });
    const noContact = await book(MONDAY_10_BERLIN, { attendee: { name: 'Ada', timeZone: 'UTC' } });
    expect(noContact.status).toBe(400);
    expect(noContact.body.error.message).toBe('attendee - Either email or phoneNumber must be provided');
    const badLength = await book(MONDAY_10_BERLIN, { lengthInMinutes: 45 });
    expect(badLength.body.error.message).toMatch(/lengthInMinutes: 45/);
  });

  it("books a variable length when it is one of the event type's lengths", async () => {
    const { book } = setUp();
    const long = await book(MONDAY_10_BERLIN, { lengthInMinutes: 60 });
    expect(long.body.data).toMatchObject({ duration: 60, end: '2026-01-05T10:00:00.000Z' });
  });
});

describe('Cal.com simulator: reschedule, cancel, confirm, decline, absence', () => {
  it('reschedules to a new uid: the old booking is cancelled and points to the new one', async () => {
    const { sim, book } = setUp();
    const old = (await book(MONDAY_10_BERLIN)).body.data;
    const moved = await call(sim, 'POST', `/v2/bookings/${old.uid}/reschedule`, {
      body: { start: MONDAY_11_BERLIN, reschedulingReason: 'dentist' },
      key: null,
    });
    expect(moved.status).toBe(201);
    expect(moved.body.data).toMatchObject({
      status: 'accepted',
      start: MONDAY_11_BERLIN,
      rescheduledFromUid: old.uid,
      reschedulingReason: 'dentist',
      metadata: { bookingkitAppointmentId: 'apt-1' },
    });
    expect(moved.body.data.uid).not.toBe(old.uid);
    const before = (await call(sim, 'GET', `/v2/bookings/${old.uid}`)).body.data;
    expect(before).toMatchObject({ status: 'cancelled', rescheduledToUid: moved.body.data.uid });
    // The old time is free again; the old booking cannot move a second time.
    expect((await book(MONDAY_10_BERLIN)).status).toBe(201);
    const twice = await call(sim, 'POST', `/v2/bookings/${old.uid}/reschedule`, {
      body: { start: '2026-01-05T12:00:00.000Z' },
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error.message).toContain(
      `rescheduled already to booking with uid=${moved.body.data.uid}`,
    );
  });

  it('refuses to reschedule onto a taken time, keeping the booking where it was', async () => {
    const { sim, book } = setUp();
    const first = (await book(MONDAY_10_BERLIN)).body.data;
    await book(MONDAY_11_BERLIN);
    const clash = await call(sim, 'POST', `/v2/bookings/${first.uid}/reschedule`, {
      body: { start: MONDAY_11_BERLIN },
    });
    expect(clash.status).toBe(400);
    expect(clash.body.error.message).toBe('User either already has booking at this time or is not available');
    expect(sim.getBooking(first.uid)?.status).toBe('accepted');
  });

  it('makes a host give a reason, refuses a second cancel and a cancel after the end', async () => {
    const { clock, sim, book } = setUp();
    const booking = (await book(MONDAY_10_BERLIN)).body.data;
    const noReason = await call(sim, 'POST', `/v2/bookings/${booking.uid}/cancel`, { body: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toBe('Cancellation reason is required when you are the host');
    const cancelled = await call(sim, 'POST', `/v2/bookings/${booking.uid}/cancel`, {
      body: { cancellationReason: 'ill' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'ill',
      cancelledByEmail: 'host@example.com',
    });
    const again = await call(sim, 'POST', `/v2/bookings/${booking.uid}/cancel`, {
      body: { cancellationReason: 'ill' },
    });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBe(
      `Can't cancel booking with uid=${booking.uid} because it has been cancelled already. Please provide uid of a booking that is not cancelled.`,
    );

    const later = (await book(MONDAY_11_BERLIN)).body.data;
    await clock.advanceTo(Date.parse('2026-01-05T10:30:00Z'));
    const ended = await call(sim, 'POST', `/v2/bookings/${later.uid}/cancel`, {
      body: { cancellationReason: 'late' },
    });
    expect(ended.status).toBe(400);
    expect(ended.body).toEqual({
      statusCode: 400,
      message: 'Cannot cancel a booking that has already ended',
    });
  });

  it('lets an attendee (no key) cancel without a reason', async () => {
    const { sim, book } = setUp();
    const booking = (await book(MONDAY_10_BERLIN)).body.data;
    const cancelled = await call(sim, 'POST', `/v2/bookings/${booking.uid}/cancel`, { body: {}, key: null });
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled', cancelledByEmail: 'ada@example.com' });
  });

  it('keeps bookings of a requires-confirmation event type pending until the host confirms or declines', async () => {
    const { sim, book } = setUp({ requiresConfirmation: true });
    const pending = (await book(MONDAY_10_BERLIN)).body.data;
    expect(pending.status).toBe('pending');
    expect((await call(sim, 'POST', `/v2/bookings/${pending.uid}/confirm`, { key: null })).status).toBe(401);
    expect((await call(sim, 'POST', `/v2/bookings/${pending.uid}/confirm`, { key: OTHER_KEY })).status).toBe(
      403,
    );
    const confirmed = await call(sim, 'POST', `/v2/bookings/${pending.uid}/confirm`);
    expect(confirmed.body.data.status).toBe('accepted');
    expect((await call(sim, 'POST', `/v2/bookings/${pending.uid}/confirm`)).status).toBe(400);

    const other = (await book(MONDAY_11_BERLIN)).body.data;
    const declined = await call(sim, 'POST', `/v2/bookings/${other.uid}/decline`, {
      body: { reason: 'busy' },
    });
    expect(declined.body.data.status).toBe('rejected');
    // Declining frees the time.
    expect((await book(MONDAY_11_BERLIN)).status).toBe(201);
  });

  it('confirms a reschedule at once when rescheduledBy names the owner', async () => {
    const { sim, book } = setUp({ requiresConfirmation: true });
    const pending = (await book(MONDAY_10_BERLIN)).body.data;
    const byAttendee = await call(sim, 'POST', `/v2/bookings/${pending.uid}/reschedule`, {
      body: { start: MONDAY_11_BERLIN, rescheduledBy: 'ada@example.com' },
    });
    expect(byAttendee.body.data).toMatchObject({ status: 'pending', rescheduledByEmail: 'ada@example.com' });
    const byOwner = await call(sim, 'POST', `/v2/bookings/${byAttendee.body.data.uid}/reschedule`, {
      body: { start: '2026-01-05T12:00:00.000Z', rescheduledBy: 'host@example.com' },
    });
    expect(byOwner.body.data).toMatchObject({
      status: 'accepted',
      rescheduledFromUid: byAttendee.body.data.uid,
    });
  });

  it('marks the host and attendees absent', async () => {
    const { sim, book } = setUp();
    const booking = (await book(MONDAY_10_BERLIN)).body.data;
    const marked = await call(sim, 'POST', `/v2/bookings/${booking.uid}/mark-absent`, {
      body: { host: true, attendees: [{ email: 'ada@example.com', absent: true }] },
    });
    expect(marked.status).toBe(200);
    expect(marked.body.data).toMatchObject({
      absentHost: true,
      attendees: [{ email: 'ada@example.com', absent: true }],
    });
    const stranger = await call(sim, 'POST', `/v2/bookings/${booking.uid}/mark-absent`, {
      body: { attendees: [{ email: 'nobody@example.com', absent: true }] },
    });
    expect(stranger.status).toBe(400);
  });
});

describe('Cal.com simulator: listing bookings', () => {
  async function threeBookings() {
    const setup = setUp();
    const a = (await setup.book('2026-01-05T09:00:00.000Z')).body.data;
    await setup.clock.advance(60_000);
    const b = (
      await setup.book('2026-01-05T10:00:00.000Z', {
        attendee: { name: 'Bob', email: 'bob+x@example.com', timeZone: 'UTC' },
      })
    ).body.data;
    await setup.clock.advance(60_000);
    const c = (await setup.book('2026-01-06T09:00:00.000Z')).body.data;
    return { ...setup, a, b, c };
  }

  it('pages with take and skip and reports the pagination block', async () => {
    const { sim, a, b, c } = await threeBookings();
    const first = await call(sim, 'GET', '/v2/bookings?take=2');
    expect(uidsOf(first.body)).toEqual([a.uid, b.uid]);
    expect(first.body.pagination).toEqual({
      totalItems: 3,
      remainingItems: 1,
      returnedItems: 2,
      itemsPerPage: 2,
      currentPage: 1,
      totalPages: 2,
      hasNextPage: true,
      hasPreviousPage: false,
    });
    const second = await call(sim, 'GET', '/v2/bookings?take=2&skip=2');
    expect(uidsOf(second.body)).toEqual([c.uid]);
    expect(second.body.pagination).toMatchObject({
      remainingItems: 0,
      currentPage: 2,
      hasNextPage: false,
      hasPreviousPage: true,
    });
    expect((await call(sim, 'GET', '/v2/bookings?take=251')).status).toBe(400);
  });

  it('lists what changed after a time, in update order, for incremental reconciliation', async () => {
    const { sim, clock, a, c } = await threeBookings();
    const mark = new Date(clock.now()).toISOString();
    await clock.advance(60_000);
    await call(sim, 'POST', `/v2/bookings/${a.uid}/cancel`, { body: { cancellationReason: 'x' } });
    const changed = await call(
      sim,
      'GET',
      `/v2/bookings?afterUpdatedAt=${encodeURIComponent(mark)}&sortUpdatedAt=desc`,
    );
    expect((changed.body.data as { uid: string; status: string }[]).map((x) => [x.uid, x.status])).toEqual([
      [a.uid, 'cancelled'],
      [c.uid, 'accepted'],
    ]);
  });

  it('filters by status, attendee email (an unencoded + arrives as a space), event type and time window', async () => {
    const { sim, a, b, c, eventType } = await threeBookings();
    await call(sim, 'POST', `/v2/bookings/${a.uid}/cancel`, { body: { cancellationReason: 'x' } });
    const uids = async (query: string) => uidsOf((await call(sim, 'GET', `/v2/bookings?${query}`)).body);
    expect(await uids('status=cancelled')).toEqual([a.uid]);
    expect(await uids('status=upcoming')).toEqual([b.uid, c.uid]);
    expect(await uids('attendeeEmail=bob+x@example.com')).toEqual([b.uid]);
    expect(await uids(`eventTypeIds=${eventType.id},5`)).toHaveLength(3);
    expect(await uids('afterStart=2026-01-05T09:30:00Z&beforeEnd=2026-01-05T23:00:00Z')).toEqual([b.uid]);
    expect(await uids('sortStart=desc')).toEqual([c.uid, b.uid, a.uid]);
  });

  it("lists only the caller's bookings and needs a key", async () => {
    const { sim } = await threeBookings();
    expect((await call(sim, 'GET', '/v2/bookings', { key: OTHER_KEY })).body.data).toEqual([]);
    expect((await call(sim, 'GET', '/v2/bookings', { key: null })).status).toBe(401);
  });
});

describe('Cal.com simulator: version header, auth and the rate limit', () => {
  it('serves bookings reads in the old shape and fails writes with 500 when the version is missing or unknown', async () => {
    const { sim, book } = setUp();
    const booking = (await book(MONDAY_10_BERLIN)).body.data;
    const list = await call(sim, 'GET', '/v2/bookings', { version: null });
    expect(list.status).toBe(200);
    expect(list.body.data.bookings[0]).toMatchObject({
      uid: booking.uid,
      startTime: MONDAY_10_BERLIN,
      status: 'ACCEPTED',
    });
    const old = await call(sim, 'GET', `/v2/bookings/${booking.uid}`, { version: '2025-01-01' });
    expect(old.body.data).not.toHaveProperty('start');
    const create = await book(MONDAY_11_BERLIN, {}, { version: null });
    expect(create.status).toBe(500);
    expect(create.body.error).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      message: 'There was an error, please try again later.',
    });
    expect(sim.bookings()).toHaveLength(1);
    expect((await book(MONDAY_11_BERLIN, {}, { version: '2024-08-13' })).status).toBe(201);
  });

  it('answers 404 for slots without the 2024-09-04 header', async () => {
    const { sim, eventType } = setUp();
    const slots = await call(
      sim,
      'GET',
      `/v2/slots?eventTypeId=${eventType.id}&start=2026-01-05&end=2026-01-05`,
      { version: null },
    );
    expect(slots.status).toBe(404);
    expect(slots.body.error).toMatchObject({ code: 'NotFoundException', message: 'Cannot GET /v2/slots' });
  });

  it('refuses a wrong key with 401 even where a key is optional', async () => {
    const { sim, book } = setUp();
    const wrong = await book(MONDAY_10_BERLIN, {}, { key: 'cal_wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('UnauthorizedException');
    expect(sim.bookings()).toEqual([]);
  });

  it('allows 120 requests a minute per key with X-RateLimit headers, then 429 until the block ends', async () => {
    const { sim, clock } = setUp();
    const first = await call(sim, 'GET', '/v2/bookings');
    expect(first.headers.get('x-ratelimit-limit-default')).toBe('120');
    expect(first.headers.get('x-ratelimit-remaining-default')).toBe('119');
    expect(first.headers.get('x-ratelimit-reset-default')).toBe('60');
    for (let i = 1; i < 120; i += 1) await call(sim, 'GET', '/v2/bookings');
    const refused = await call(sim, 'GET', '/v2/bookings');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeNull();
    expect(refused.headers.get('x-ratelimit-remaining-default')).toBe('0');
    expect(refused.body.error).toMatchObject({ code: 'ThrottlerException' });
    // Another key has its own budget.
    expect((await call(sim, 'GET', '/v2/bookings', { key: OTHER_KEY })).status).toBe(200);
    await clock.advance(30_000);
    const stillBlocked = await call(sim, 'GET', '/v2/bookings');
    expect(stillBlocked.status).toBe(429);
    expect(stillBlocked.headers.get('x-ratelimit-reset-default')).toBe('30');
    await clock.advance(30_000);
    expect((await call(sim, 'GET', '/v2/bookings')).status).toBe(200);
  });
});
