import { describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { isValidationError } from '../../errors/validation-error.js';
import { createCalcomClient } from './client.js';
import type { CalcomClientOptions } from './client-options.js';
import { isCalcomResponseError } from './errors.js';
import {
  bookingJson,
  createFakeCalcom,
  ok,
  paginationJson,
  type FakeCalcom,
} from '../../../test/support/fake-calcom-api.js';

const credentials: CalcomClientOptions['credentials'] = async (tenantId) =>
  tenantId === 'eu'
    ? { apiKey: 'cal_live_eu', webhookSecret: 'whsec_eu', baseUrl: 'https://api.cal.eu/' }
    : { apiKey: `cal_live_${tenantId}`, webhookSecret: `whsec_${tenantId}` };

function setup(options: Partial<CalcomClientOptions> = {}): {
  fake: FakeCalcom;
  calcom: ReturnType<typeof createCalcomClient>;
} {
  const fake = createFakeCalcom();
  const calcom = createCalcomClient({ credentials, fetch: fake.fetch, rateLimiter: false, ...options });
  return { fake, calcom };
}

const attendee = { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/London' };

describe('createCalcomClient: headers and base URL', () => {
  it('sends the bearer key of the tenant and the cal-api-version of each endpoint group', async () => {
    const { fake, calcom } = setup();
    fake
      .on('GET /v2/bookings/:uid', () => ok(bookingJson()))
      .on('GET /v2/slots', () => ok({}))
      .on('GET /v2/event-types', () => ok([]))
      .on('GET /v2/webhooks', () => ok([]));
    await calcom.bookings.get('t1', 'bk_1');
    await calcom.slots.available('t1', {
      eventTypeId: 42,
      start: '2026-03-02T00:00:00Z',
      end: '2026-03-03T00:00:00Z',
    });
    await calcom.eventTypes.list('t1');
    await calcom.webhooks.list('t1');
    expect(
      fake.requests.map((r) => [r.path, r.headers['cal-api-version'] ?? null, r.headers.authorization]),
    ).toEqual([
      ['/v2/bookings/bk_1', '2026-02-25', 'Bearer cal_live_t1'],
      ['/v2/slots', '2024-09-04', 'Bearer cal_live_t1'],
      ['/v2/event-types', '2024-06-14', 'Bearer cal_live_t1'],
      ['/v2/webhooks', null, 'Bearer cal_live_t1'],
    ]);
    expect(fake.requests[0]!.url).toBe('https://api.cal.com/v2/bookings/bk_1');
  });

  it('sends bookings version 2024-08-13 when configured', async () => {
    const { fake, calcom } = setup({ versions: { bookings: '2024-08-13' } });
    fake.on('GET /v2/bookings/:uid', () => ok(bookingJson()));
    await calcom.bookings.get('t1', 'bk_1');
    expect(fake.requests[0]!.headers['cal-api-version']).toBe('2024-08-13');
  });

  it('uses the base URL of the tenant when its credentials name one, the client’s otherwise', async () => {
    const { fake, calcom } = setup({ baseUrl: 'https://cal.example.org/' });
    fake.on('GET /v2/bookings/:uid', () => ok(bookingJson()));
    await calcom.bookings.get('eu', 'bk_1');
    await calcom.bookings.get('t1', 'bk_1');
    expect(fake.requests.map((r) => r.url)).toEqual([
      'https://api.cal.eu/v2/bookings/bk_1',
      'https://cal.example.org/v2/bookings/bk_1',
    ]);
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer cal_live_eu');
  });

  it('refuses bad options at once, naming the option', () => {
    const fake = createFakeCalcom();
    const attempts: unknown[] = [];
    for (const bad of [
      { versions: { bookings: '2024-04-15' } },
      { versions: { slots: '2026-02-25' } },
      { versions: { webhooks: '2024-06-14' } },
      { baseUrl: 'ftp://cal.example' },
      { timeoutMs: -1 },
      { retry: { maxAttempts: 0 } },
      { rateLimiter: {} },
    ]) {
      try {
        createCalcomClient({ credentials, fetch: fake.fetch, ...(bad as object) });
      } catch (error) {
        attempts.push(error);
      }
    }
    expect(attempts).toHaveLength(7);
    expect(attempts.every(isInvalidOptionError)).toBe(true);
    expect(attempts.map((e) => (isInvalidOptionError(e) ? e.context.option : ''))).toEqual([
      'versions.bookings',
      'versions.slots',
      'versions.webhooks',
      'baseUrl',
      'timeoutMs',
      'retry.maxAttempts',
      'rateLimiter',
    ]);
    expect(() => createCalcomClient({} as CalcomClientOptions)).toThrow(/option "credentials" is required/);
  });
});

describe('createCalcomClient: bookings', () => {
  it('creates a booking: POST /v2/bookings with the start in UTC, the attendee and string metadata', async () => {
    const { fake, calcom } = setup();
    fake.on('POST /v2/bookings', () => ok(bookingJson(), 201));
    const booking = await calcom.bookings.create('t1', {
      eventTypeId: 42,
      start: '2026-03-02T10:00:00+01:00',
      attendee,
      metadata: { bookingkitAppointmentId: 'appt_1' },
    });
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v2/bookings',
      body: {
        eventTypeId: 42,
        start: '2026-03-02T09:00:00.000Z',
        attendee,
        metadata: { bookingkitAppointmentId: 'appt_1' },
      },
    });
    expect(booking).toMatchObject({ uid: 'bk_1', id: 101, status: 'accepted', eventTypeId: 42 });
    expect(booking.metadata).toEqual({ bookingkitAppointmentId: 'appt_1' });
    expect(booking.attendees[0]?.email).toBe('ada@example.com');
  });

  it('refuses a malformed create before sending anything, naming the field', async () => {
    const { fake, calcom } = setup();
    const noContact = calcom.bookings.create('t1', {
      eventTypeId: 42,
      start: '2026-03-02T09:00:00Z',
      attendee: { name: 'A', timeZone: 'UTC' },
    });
    await expect(noContact).rejects.toThrow(/attendee\.email: an email or a phone number is required/);
    const badMetadata = calcom.bookings.create('t1', {
      eventTypeId: 42,
      start: '2026-03-02T09:00:00Z',
      attendee,
      metadata: { tag: 7 as unknown as string },
    });
    await expect(badMetadata).rejects.toSatisfy(isValidationError);
    expect(fake.requests).toHaveLength(0);
  });

  it('gets a booking by uid, keeping unknown fields and lowercasing an uppercase status', async () => {
    const { fake, calcom } = setup();
    fake.on('GET /v2/bookings/:uid', (r) =>
      ok(
        bookingJson({ uid: r.params.uid, status: 'AWAITING_HOST', brandNewField: { x: 1 }, updatedAt: null }),
      ),
    );
    const booking = await calcom.bookings.get('t1', 'bk/2');
    expect(fake.requests[0]!.path).toBe('/v2/bookings/bk%2F2');
    expect(booking.uid).toBe('bk/2');
    expect(booking.status).toBe('awaiting_host');
    expect(booking.updatedAt).toBeNull();
    expect((booking as Record<string, unknown>).brandNewField).toEqual({ x: 1 });
  });

  it('cancels with the reason hosts must give, and refuses a cancel without one', async () => {
    const { fake, calcom } = setup();
    fake.on('POST /v2/bookings/:uid/cancel', (r) =>
      ok(bookingJson({ uid: r.params.uid, status: 'cancelled', cancellationReason: 'Customer called' })),
    );
    const cancelled = await calcom.bookings.cancel('t1', 'bk_1', { cancellationReason: 'Customer called' });
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v2/bookings/bk_1/cancel',
      body: { cancellationReason: 'Customer called' },
    });
    expect(cancelled.status).toBe('cancelled');
    await expect(calcom.bookings.cancel('t1', 'bk_1', { cancellationReason: '  ' })).rejects.toThrow(
      /cancellationReason/,
    );
    expect(fake.requests).toHaveLength(1);
  });

  it('reschedules to a new uid, linked to the old one', async () => {
    const { fake, calcom } = setup();
    fake.on('POST /v2/bookings/:uid/reschedule', (r) =>
      ok(
        bookingJson({
          uid: 'bk_2',
          id: 102,
          start: '2026-03-03T09:00:00.000Z',
          end: '2026-03-03T09:30:00.000Z',
          rescheduledFromUid: r.params.uid,
        }),
        201,
      ),
    );
    const moved = await calcom.bookings.reschedule('t1', 'bk_1', {
      start: '2026-03-03T09:00:00Z',
      reschedulingReason: 'Asked',
    });
    expect(fake.requests[0]).toMatchObject({
      path: '/v2/bookings/bk_1/reschedule',
      body: { start: '2026-03-03T09:00:00.000Z', reschedulingReason: 'Asked' },
    });
    expect(moved).toMatchObject({ uid: 'bk_2', rescheduledFromUid: 'bk_1' });
  });

  it('confirms, declines with a reason, and marks absent', async () => {
    const { fake, calcom } = setup();
    fake
      .on('POST /v2/bookings/:uid/confirm', () => ok(bookingJson({ status: 'accepted' })))
      .on('POST /v2/bookings/:uid/decline', () => ok(bookingJson({ status: 'rejected' })))
      .on('POST /v2/bookings/:uid/mark-absent', () =>
        ok(bookingJson({ attendees: [{ ...attendee, absent: true }] })),
      );
    expect((await calcom.bookings.confirm('t1', 'bk_1')).status).toBe('accepted');
    expect((await calcom.bookings.decline('t1', 'bk_1', { reason: 'Fully booked' })).status).toBe('rejected');
    const absent = await calcom.bookings.markAbsent('t1', 'bk_1', {
      attendees: [{ email: 'ada@example.com', absent: true }],
    });
    expect(absent.attendees[0]?.absent).toBe(true);
    expect(fake.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', '/v2/bookings/bk_1/confirm', undefined],
      ['POST', '/v2/bookings/bk_1/decline', { reason: 'Fully booked' }],
      ['POST', '/v2/bookings/bk_1/mark-absent', { attendees: [{ email: 'ada@example.com', absent: true }] }],
    ]);
    await expect(calcom.bookings.markAbsent('t1', 'bk_1', {})).rejects.toThrow(
      /name the host or at least one attendee/,
    );
  });

  it('lists page by page with the filters, fetching each page only when asked for', async () => {
    const { fake, calcom } = setup();
    const all = Array.from({ length: 5 }, (_, i) => bookingJson({ id: i, uid: `bk_${i}` }));
    fake.on('GET /v2/bookings', (r) => {
      const skip = Number(r.query.skip);
      const take = Number(r.query.take);
      const items = all.slice(skip, skip + take);
      return ok(items, 200, { pagination: paginationJson(all.length, skip, items.length, take) });
    });
    const listing = calcom.bookings.list('t1', {
      afterUpdatedAt: '2026-03-01T00:00:00+01:00',
      sortUpdatedAt: 'asc',
      status: ['upcoming', 'past'],
      eventTypeIds: [42, 43],
      take: 2,
    });
    const iterator = listing[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.query).toEqual({
      afterUpdatedAt: '2026-02-28T23:00:00.000Z',
      sortUpdatedAt: 'asc',
      status: 'upcoming,past',
      eventTypeIds: '42,43',
      take: '2',
      skip: '0',
    });
    if (first.done === true) throw new Error('expected a first page');
    const seen = [...first.value.items];
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      seen.push(...next.value.items);
    expect(seen.map((b) => b.uid)).toEqual(['bk_0', 'bk_1', 'bk_2', 'bk_3', 'bk_4']);
    expect(fake.requests.map((r) => r.query.skip)).toEqual(['0', '2', '4']);
  });

  it('refuses a page size above 250', () => {
    const { calcom } = setup();
    expect(() => calcom.bookings.list('t1', { take: 251 })).toThrow(/take/);
  });
});

describe('createCalcomClient: slots and event types', () => {
  it('asks for slots in UTC and reads slot objects (and bare strings) by date', async () => {
    const { fake, calcom } = setup();
    fake.on('GET /v2/slots', () =>
      ok({
        '2026-03-02': [{ start: '2026-03-02T10:00:00.000+01:00' }, '2026-03-02T10:30:00.000+01:00'],
        '2026-03-03': [
          { start: '2026-03-03T10:00:00.000+01:00', end: '2026-03-03T10:30:00.000+01:00', seatsRemaining: 2 },
        ],
      }),
    );
    const slots = await calcom.slots.available('t1', {
      eventTypeId: 42,
      start: '2026-03-02T00:00:00+01:00',
      end: '2026-03-04T00:00:00+01:00',
      timeZone: 'Europe/Berlin',
      format: 'range',
    });
    expect(fake.requests[0]!.query).toEqual({
      eventTypeId: '42',
      start: '2026-03-01T23:00:00.000Z',
      end: '2026-03-03T23:00:00.000Z',
      timeZone: 'Europe/Berlin',
      format: 'range',
    });
    expect(slots['2026-03-02']?.map((s) => s.start)).toEqual([
      '2026-03-02T10:00:00.000+01:00',
      '2026-03-02T10:30:00.000+01:00',
    ]);
    expect(slots['2026-03-03']?.[0]).toMatchObject({
      end: '2026-03-03T10:30:00.000+01:00',
      seatsRemaining: 2,
    });
  });

  it('reserves and releases a slot', async () => {
    const { fake, calcom } = setup();
    fake
      .on('POST /v2/slots/reservations', (r) =>
        ok(
          {
            eventTypeId: 42,
            slotStart: (r.body as { slotStart: string }).slotStart,
            slotEnd: '2026-03-02T09:30:00.000Z',
            slotDuration: 30,
            reservationUid: 'res_1',
            reservationDuration: 5,
            reservationUntil: '2026-01-05T09:05:00.000Z',
          },
          201,
        ),
      )
      .on('DELETE /v2/slots/reservations/:uid', () => answerSuccess());
    const reservation = await calcom.slots.reserve('t1', {
      eventTypeId: 42,
      slotStart: '2026-03-02T09:00:00Z',
    });
    await calcom.slots.release('t1', reservation.reservationUid);
    expect(fake.requests.map((r) => [r.method, r.path, r.body, r.headers['cal-api-version']])).toEqual([
      [
        'POST',
        '/v2/slots/reservations',
        { eventTypeId: 42, slotStart: '2026-03-02T09:00:00.000Z' },
        '2024-09-04',
      ],
      ['DELETE', '/v2/slots/reservations/res_1', undefined, '2024-09-04'],
    ]);
    expect(reservation.reservationUntil).toBe('2026-01-05T09:05:00.000Z');
  });

  it('lists event types with their lengths', async () => {
    const { fake, calcom } = setup();
    fake.on('GET /v2/event-types', () =>
      ok([
        {
          id: 42,
          slug: 'consultation',
          title: 'Consultation',
          lengthInMinutes: 30,
          lengthInMinutesOptions: [30, 60],
          hidden: false,
          bookingFields: [],
        },
        { id: 43, slug: 'check-up', title: 'Check-up', lengthInMinutes: 15 },
      ]),
    );
    const types = await calcom.eventTypes.list('t1', { username: 'dr-lee' });
    expect(fake.requests[0]!.query).toEqual({ username: 'dr-lee' });
    expect(types.map((t) => [t.id, t.slug, t.lengthInMinutesOptions ?? [t.lengthInMinutes]])).toEqual([
      [42, 'consultation', [30, 60]],
      [43, 'check-up', [15]],
    ]);
  });
});

describe('createCalcomClient: answers of an unexpected shape', () => {
  it('names the endpoint, the version sent and the field path', async () => {
    const { fake, calcom } = setup();
    // What the 2024-04-15 bookings controller answers: the envelope is right, the data is not.
    fake.on('GET /v2/bookings/:uid', () => ok({ bookings: [], totalCount: 0 }));
    const error = await calcom.bookings.get('t1', 'bk_1').catch((e: unknown) => e);
    expect(isCalcomResponseError(error)).toBe(true);
    if (!isCalcomResponseError(error)) return;
    expect(error.context).toMatchObject({
      endpoint: 'GET /v2/bookings/{bookingUid}',
      apiVersion: '2026-02-25',
      status: 200,
    });
    expect(error.context.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['data.id', 'data.uid', 'data.start']),
    );
    expect(error.message).toMatch(
      /GET \/v2\/bookings\/\{bookingUid\} \(cal-api-version 2026-02-25\).*data\.uid/,
    );
  });

  it('says so when the body is not JSON at all', async () => {
    const { fake, calcom } = setup();
    fake.on('GET /v2/event-types', () => new Response('<html>gateway</html>', { status: 200 }));
    await expect(calcom.eventTypes.list('t1')).rejects.toThrow(
      /GET \/v2\/event-types .*expected a JSON body, got text/,
    );
  });

  it('names the field of a slot list item that is wrong', async () => {
    const { fake, calcom } = setup();
    fake.on('GET /v2/slots', () => ok({ '2026-03-02': [{ start: 'soon' }] }));
    await expect(
      calcom.slots.available('t1', {
        eventTypeId: 42,
        start: '2026-03-02T00:00:00Z',
        end: '2026-03-03T00:00:00Z',
      }),
    ).rejects.toThrow(/data\.2026-03-02\.0\.start/);
  });
});

function answerSuccess(): Response {
  return new Response(JSON.stringify({ status: 'success' }), { status: 200 });
}
