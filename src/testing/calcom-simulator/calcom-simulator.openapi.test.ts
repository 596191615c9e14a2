import { describe, expect, it } from 'vitest';
import { calcomOpenApiSkipReason, loadCalcomOpenApi } from '../../../test/support/calcom-openapi.js';
import { createFakeClock } from '../fake-clock.js';
import { createCalcomSimulator } from './calcom-simulator.js';
import type { CalcomExchange } from './sim-exchange.js';

const KEY = 'cal_test_simulator';
const BOOKINGS = { 'cal-api-version': '2026-02-25' };
const SLOTS = { 'cal-api-version': '2024-09-04' };
const EVENT_TYPES = { 'cal-api-version': '2024-06-14' };

describe.skipIf(calcomOpenApiSkipReason !== undefined)(
  `Cal.com simulator against the OpenAPI document${calcomOpenApiSkipReason ? ` (skipped: ${calcomOpenApiSkipReason})` : ''}`,
  () => {
    const openApi = calcomOpenApiSkipReason === undefined ? loadCalcomOpenApi() : undefined;

    /** Every request the simulator receives and every response it returns, checked both ways. */
    function setUp() {
      const exchanges: CalcomExchange[] = [];
      const problems: string[] = [];
      const sim = createCalcomSimulator({
        clock: createFakeClock('2026-01-05T08:00:00Z'),
        accounts: [{ apiKey: KEY, username: 'host', email: 'host@example.com', timeZone: 'Europe/Berlin' }],
        validate: (exchange) => {
          exchanges.push(exchange);
          problems.push(...openApi!.validateRequest(exchange.request));
          if (exchange.response)
            problems.push(...openApi!.validateResponse(exchange.request, exchange.response));
        },
      });
      const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
        const response = await sim.fetch(`https://api.cal.com${path}`, {
          method,
          headers: {
            authorization: `Bearer ${KEY}`,
            ...headers,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: response.status, body: JSON.parse(await response.text()) };
      };
      return { sim, call, exchanges, problems };
    }

    it("validates every endpoint's requests and responses, successes and errors", async () => {
      const { sim, call, exchanges, problems } = setUp();
      const weekdays = {
        monday: [{ start: '09:00', end: '17:00' }],
        tuesday: [{ start: '09:00', end: '17:00' }],
      };
      const plain = sim.addEventType({
        slug: 'consultation',
        lengthInMinutes: 30,
        lengthInMinutesOptions: [30, 60],
        timeZone: 'Europe/Berlin',
        weeklyHours: weekdays,
        slotIntervalMinutes: 30,
      });
      const gated = sim.addEventType({
        slug: 'gated',
        lengthInMinutes: 30,
        timeZone: 'Europe/Berlin',
        weeklyHours: weekdays,
        requiresConfirmation: true,
      });
      const attendee = { name: 'Ada', email: 'ada@example.com', timeZone: 'Europe/Berlin' };
      const expectStatus = (status: number, result: { status: number }) => expect(result.status).toBe(status);

      // Event types
      expectStatus(200, await call('GET', '/v2/event-types', EVENT_TYPES));
      expectStatus(200, await call('GET', `/v2/event-types/${plain.id}`, EVENT_TYPES));
      expectStatus(404, await call('GET', '/v2/event-types/999', EVENT_TYPES));

      // Slots and reservations
      expectStatus(
        200,
        await call(
          'GET',
          `/v2/slots?eventTypeId=${plain.id}&start=2026-01-05&end=2026-01-06&timeZone=America/New_York`,
          SLOTS,
        ),
      );
      expectStatus(
        200,
        await call(
          'GET',
          `/v2/slots?eventTypeId=${plain.id}&start=2026-01-05&end=2026-01-05&format=range&duration=60`,
          SLOTS,
        ),
      );
      expectStatus(
        400,
        await call('GET', `/v2/slots?eventTypeId=${plain.id}&start=2026-01-06&end=2026-01-05`, SLOTS),
      );
      const reserved = await call('POST', '/v2/slots/reservations', SLOTS, {
        eventTypeId: plain.id,
        slotStart: '2026-01-05T14:00:00.000Z',
      });
      expectStatus(201, reserved);
      const reservation = reserved.body.data.reservationUid as string;
      expectStatus(200, await call('GET', `/v2/slots/reservations/${reservation}`, SLOTS));
      expectStatus(
        200,
        await call('PATCH', `/v2/slots/reservations/${reservation}`, SLOTS, {
          eventTypeId: plain.id,
          slotStart: '2026-01-05T14:30:00.000Z',
        }),
      );
      expectStatus(200, await call('DELETE', `/v2/slots/reservations/${reservation}`, SLOTS));
      expectStatus(200, await call('GET', `/v2/slots/reservations/${reservation}`, SLOTS));

      // Webhook subscriptions
      const hook = await call(
        'POST',
        '/v2/webhooks',
        {},
        {
          subscriberUrl: 'https://example.com/hooks',
          triggers: ['BOOKING_CREATED', 'BOOKING_CANCELLED'],
          active: true,
          secret: 's3cret',
        },
      );
      expectStatus(201, hook);
      expectStatus(200, await call('GET', '/v2/webhooks?take=10&skip=0', {}));
      expectStatus(200, await call('GET', `/v2/webhooks/${hook.body.data.id}`, {}));
      expectStatus(200, await call('PATCH', `/v2/webhooks/${hook.body.data.id}`, {}, { active: false }));
      expectStatus(200, await call('DELETE', `/v2/webhooks/${hook.body.data.id}`, {}));

      // Bookings
      const created = await call('POST', '/v2/bookings', BOOKINGS, {
        start: '2026-01-05T09:00:00.000Z',
        eventTypeId: plain.id,
        attendee,
        metadata: { bookingkitAppointmentId: 'a1' },
      });
      expectStatus(201, created);
      const uid = created.body.data.uid as string;
      expectStatus(
        400,
        await call('POST', '/v2/bookings', BOOKINGS, {
          start: '2026-01-05T09:00:00.000Z',
          eventTypeId: plain.id,
          attendee,
        }),
      );
      expectStatus(
        404,
        await call('POST', '/v2/bookings', BOOKINGS, {
          start: '2026-01-05T09:00:00.000Z',
          eventTypeId: 999,
          attendee,
        }),
      );
      expectStatus(200, await call('GET', `/v2/bookings/${uid}`, BOOKINGS));
      expectStatus(404, await call('GET', '/v2/bookings/nope', BOOKINGS));
      expectStatus(
        200,
        await call(
          'GET',
          '/v2/bookings?take=10&skip=0&sortUpdatedAt=asc&afterUpdatedAt=2026-01-01T00:00:00Z&status=upcoming,past&attendeeEmail=ada@example.com',
          BOOKINGS,
        ),
      );
      const moved = await call('POST', `/v2/bookings/${uid}/reschedule`, BOOKINGS, {
        start: '2026-01-05T10:00:00.000Z',
        reschedulingReason: 'conflict',
      });
      expectStatus(201, moved);
      expectStatus(200, await call('GET', `/v2/bookings/${uid}`, BOOKINGS));
      expectStatus(
        200,
        await call('POST', `/v2/bookings/${moved.body.data.uid}/mark-absent`, BOOKINGS, {
          host: false,
          attendees: [{ email: 'ada@example.com', absent: true }],
        }),
      );
      expectStatus(
        200,
        await call('POST', `/v2/bookings/${moved.body.data.uid}/cancel`, BOOKINGS, {
          cancellationReason: 'ill',
        }),
      );
      expectStatus(
        400,
        await call('POST', `/v2/bookings/${moved.body.data.uid}/cancel`, BOOKINGS, {
          cancellationReason: 'ill',
        }),
      );
      const pending = await call(
        'POST',
        '/v2/bookings',
        { 'cal-api-version': '2024-08-13' },
        { start: '2026-01-06T09:00:00.000Z', eventTypeId: gated.id, attendee },
      );
      expectStatus(201, pending);
      expectStatus(200, await call('POST', `/v2/bookings/${pending.body.data.uid}/confirm`, BOOKINGS));
      const second = await call('POST', '/v2/bookings', BOOKINGS, {
        start: '2026-01-06T10:00:00.000Z',
        eventTypeId: gated.id,
        attendee,
      });
      expectStatus(
        200,
        await call('POST', `/v2/bookings/${second.body.data.uid}/decline`, BOOKINGS, { reason: 'busy' }),
      );

      // Auth and the rate limit
      const wrong = await sim.fetch('https://api.cal.com/v2/webhooks', {
        headers: { authorization: 'Bearer cal_wrong' },
      });
      expect(wrong.status).toBe(401);
      sim.faults.rateLimitNext();
      expectStatus(429, await call('GET', '/v2/bookings', BOOKINGS));

      const seen = new Set(
        exchanges.map(
          ({ request }) =>
            `${request.method} ${request.path.replace(/\/(sim-uid-\d+|\d+|nope)(?=\/|$)/g, '/{id}')}`,
        ),
      );
      expect([...seen].sort()).toEqual([
        'DELETE /v2/slots/reservations/{id}',
        'DELETE /v2/webhooks/{id}',
        'GET /v2/bookings',
        'GET /v2/bookings/{id}',
        'GET /v2/event-types',
        'GET /v2/event-types/{id}',
        'GET /v2/slots',
        'GET /v2/slots/reservations/{id}',
        'GET /v2/webhooks',
        'GET /v2/webhooks/{id}',
        'PATCH /v2/slots/reservations/{id}',
        'PATCH /v2/webhooks/{id}',
        'POST /v2/bookings',
        'POST /v2/bookings/{id}/cancel',
        'POST /v2/bookings/{id}/confirm',
        'POST /v2/bookings/{id}/decline',
        'POST /v2/bookings/{id}/mark-absent',
        'POST /v2/bookings/{id}/reschedule',
        'POST /v2/slots/reservations',
        'POST /v2/webhooks',
      ]);
      expect(problems).toEqual([]);
    });

    it('finds what breaks the document, so the check above can fail', () => {
      const api = openApi!;
      expect(api.validateRequest({ method: 'GET', path: '/v2/bookings', headers: {} })).toEqual([
        'GET /v2/bookings: header parameter cal-api-version is required',
        'GET /v2/bookings: header parameter Authorization is required',
      ]);
      expect(
        api.validateRequest({
          method: 'POST',
          path: '/v2/webhooks',
          headers: { authorization: 'Bearer x' },
          body: { subscriberUrl: 'https://example.com', triggers: 'BOOKING_CREATED', active: true },
        }),
      ).toEqual(['POST /v2/webhooks body/triggers must be array']);
      expect(
        api.validateRequest({
          method: 'POST',
          path: '/v2/bookings',
          headers: { 'cal-api-version': '2026-02-25' },
          body: { start: '2026-01-05T09:00:00Z', eventTypeId: 1, attendee: { name: 'Ada', timeZone: 'UTC' } },
        }),
      ).toEqual(['POST /v2/bookings body/attendee needs an email or a phoneNumber']);
      expect(
        api.validateRequest({
          method: 'GET',
          path: '/v2/bookings',
          headers: { 'cal-api-version': 'x', authorization: 'y' },
          query: { take: 'many' },
        }),
      ).toEqual(['GET /v2/bookings query take must be number']);
      expect(
        api.validateResponse(
          { method: 'GET', path: '/v2/bookings/abc' },
          { status: 200, body: { status: 'success', data: { uid: 'abc' } } },
        ),
      ).not.toEqual([]);
      expect(
        api.validateResponse(
          { method: 'GET', path: '/v2/slots' },
          { status: 200, body: { status: 'success', data: { '2026-01-05': ['09:00'] } } },
        ),
      ).toEqual(['GET /v2/slots 200 body/data/2026-01-05/0 must be object']);
      expect(
        api.validateResponse(
          { method: 'GET', path: '/v2/bookings' },
          { status: 400, body: { message: 'no envelope' } },
        ),
      ).not.toEqual([]);
      expect(api.validateResponse({ method: 'GET', path: '/v2/bookings' }, { status: 204 })).toEqual([
        'GET /v2/bookings 204: status not documented',
      ]);
      expect(api.validateRequest({ method: 'GET', path: '/v2/nothing' })).toEqual([
        'GET /v2/nothing: no such operation in the document',
      ]);
    });
  },
);
