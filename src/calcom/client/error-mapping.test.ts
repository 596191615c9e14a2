import { describe, expect, it } from 'vitest';
import {
  isCalendarOutsideBookingHoursError,
  isCalendarRequestRejectedError,
  isCalendarSlotUnavailableError,
} from '../../booking/errors.js';
import { isCalendarOutage, isCalendarRefusal } from '../../booking/service/calendar-gateway.js';
import { isTransientError } from '../../resilience/http.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { createCalcomClient } from './client.js';
import type { CalcomClientOptions } from './client-options.js';
import { isCalcomAlreadyCancelled, isCalcomBookingEnded } from './error-mapping.js';
import { isCalcomAuthError, isCalcomRateLimitedError, isCalcomUnavailableError } from './errors.js';
import { answer, createFakeCalcom, failure, type FakeRoute } from '../../../test/support/fake-calcom-api.js';

const attendee = { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/London' };
const create = { eventTypeId: 42, start: '2026-03-02T09:00:00Z', attendee, lengthInMinutes: 30 };

function setup(route: FakeRoute, options: Partial<CalcomClientOptions> = {}) {
  const fake = createFakeCalcom();
  const lookups: string[] = [];
  const clock = createFakeClock();
  const calcom = createCalcomClient({
    credentials: async (tenantId) => {
      lookups.push(tenantId);
      return { apiKey: 'cal_live_x', webhookSecret: 's' };
    },
    fetch: fake.fetch,
    rateLimiter: false,
    retry: { maxAttempts: 1 },
    clock,
    ...options,
  });
  fake
    .on('POST /v2/bookings', route)
    .on('POST /v2/bookings/:uid/cancel', route)
    .on('POST /v2/slots/reservations', route);
  fake.on('GET /v2/bookings/:uid', route).on('POST /v2/bookings/:uid/reschedule', route);
  return { fake, calcom, lookups, clock };
}

const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );

describe('Cal.com errors: a time that cannot be booked', () => {
  it.each([
    [400, 'User either already has booking at this time or is not available'],
    [400, 'One of the hosts either already has booking at this time or is not available'],
    [409, 'No more seats left at this seated booking.'],
  ])('HTTP %i "%s" is a CalendarSlotUnavailableError with the requested range', async (status, message) => {
    const { calcom } = setup(() => failure(status, 'BadRequestException', message));
    const error = await failureOf(calcom.bookings.create('t1', create));
    expect(isCalendarSlotUnavailableError(error)).toBe(true);
    if (!isCalendarSlotUnavailableError(error)) return;
    expect(error.context).toEqual({
      tenantId: 't1',
      eventTypeId: '42',
      requested: { start: '2026-03-02T09:00:00.000Z', end: '2026-03-02T09:30:00.000Z' },
    });
    expect(isCalendarRefusal(error)).toBe(true);
    expect(isCalendarOutage(error)).toBe(false);
  });

  it('a 409 booking_conflict_error in NestJS’s raw body (no envelope) is a taken slot too', async () => {
    const { calcom } = setup(() => answer(409, { statusCode: 409, message: 'booking_conflict_error' }));
    expect(isCalendarSlotUnavailableError(await failureOf(calcom.bookings.create('t1', create)))).toBe(true);
  });

  it('a reservation refused with 422 is a taken slot', async () => {
    const { calcom } = setup(() =>
      failure(
        422,
        'UnprocessableEntityException',
        'This time slot is already reserved by another user. Please choose a different time.',
      ),
    );
    const error = await failureOf(
      calcom.slots.reserve('t1', { eventTypeId: 42, slotStart: '2026-03-02T09:00:00Z', slotDuration: 30 }),
    );
    expect(isCalendarSlotUnavailableError(error)).toBe(true);
  });

  it('a reschedule refused as taken names the hinted event type and end', async () => {
    const { calcom } = setup(() =>
      failure(400, 'BadRequestException', 'User either already has booking at this time or is not available'),
    );
    const error = await failureOf(
      calcom.bookings.reschedule(
        't1',
        'bk_1',
        { start: '2026-03-03T09:00:00Z' },
        { slot: { eventTypeId: '42', end: '2026-03-03T09:30:00Z' } },
      ),
    );
    expect(isCalendarSlotUnavailableError(error) && error.context).toEqual({
      tenantId: 't1',
      eventTypeId: '42',
      requested: { start: '2026-03-03T09:00:00.000Z', end: '2026-03-03T09:30:00Z' },
    });
  });

  it('outside the booking window is CalendarOutsideBookingHoursError (closed); in the past, too_soon', async () => {
    const outOfBounds = setup(() =>
      failure(
        400,
        'BadRequestException',
        'The event type can\'t be booked at the "start" time provided. This could be because it\'s too soon (violating the minimum booking notice) or too far in the future.',
      ),
    );
    const closed = await failureOf(outOfBounds.calcom.bookings.create('t1', create));
    expect(isCalendarOutsideBookingHoursError(closed) && closed.context.reason).toBe('closed');
    const past = setup(() =>
      failure(400, 'BadRequestException', 'Attempting to book a meeting in the past.'),
    );
    const tooSoon = await failureOf(past.calcom.bookings.create('t1', create));
    expect(isCalendarOutsideBookingHoursError(tooSoon) && tooSoon.context.reason).toBe('too_soon');
    expect(isCalendarRefusal(tooSoon)).toBe(true);
  });
});

describe('Cal.com errors: refusals', () => {
  it.each([
    [404, 'NotFoundException', 'Booking with uid=bk_1 not found', 'not_found'],
    [410, 'GoneException', 'gone', 'not_found'],
    [400, 'BadRequestException', 'responses - {notes}error_required_field', 'invalid_request'],
    [403, 'ForbiddenException', 'not the owner', 'invalid_request'],
    [409, 'ConflictException', 'something else conflicts', 'invalid_request'],
    [422, 'UnprocessableEntityException', 'slotDuration not allowed', 'invalid_request'],
  ])('HTTP %i %s is a CalendarRequestRejectedError (%s)', async (status, code, message, reason) => {
    const { calcom } = setup(() => failure(status, code, message));
    const error = await failureOf(calcom.bookings.get('t1', 'bk_1'));
    expect(isCalendarRequestRejectedError(error) && error.context).toEqual({
      tenantId: 't1',
      operation: 'getBooking',
      reason,
      status,
      detail: message,
    });
    expect(isCalendarRefusal(error)).toBe(true);
  });

  it('tells a cancel of a cancelled booking and of an ended one apart', async () => {
    const cancelled = setup(() =>
      failure(
        400,
        'BadRequestException',
        "Can't cancel booking with uid=bk_1 because it has been cancelled already. Please provide uid of a booking that is not cancelled.",
      ),
    );
    const again = await failureOf(
      cancelled.calcom.bookings.cancel('t1', 'bk_1', { cancellationReason: 'x' }),
    );
    expect([isCalcomAlreadyCancelled(again), isCalcomBookingEnded(again)]).toEqual([true, false]);
    const ended = setup(() =>
      answer(400, { statusCode: 400, message: 'Cannot cancel a booking that has already ended' }),
    );
    const over = await failureOf(ended.calcom.bookings.cancel('t1', 'bk_1', { cancellationReason: 'x' }));
    expect([isCalcomAlreadyCancelled(over), isCalcomBookingEnded(over)]).toEqual([false, true]);
    expect(isCalendarRequestRejectedError(over) && over.context.operation).toBe('cancelBooking');
  });
});

describe('Cal.com errors: credentials, rate limits and outages', () => {
  it.each([401, 498])(
    'HTTP %i is a CalcomAuthError and the tenant’s credentials are read again next time',
    async (status) => {
      const { calcom, lookups } = setup(() =>
        failure(status, 'UnauthorizedException', 'ApiAuthStrategy - api key - Your api key is not valid'),
      );
      const error = await failureOf(calcom.bookings.get('t1', 'bk_1'));
      expect(isCalcomAuthError(error) && error.context).toEqual({
        tenantId: 't1',
        endpoint: 'GET /v2/bookings/{bookingUid}',
        status,
        detail: 'ApiAuthStrategy - api key - Your api key is not valid',
      });
      expect(isTransientError(error)).toBe(false);
      await failureOf(calcom.bookings.get('t1', 'bk_1'));
      expect(lookups).toEqual(['t1', 't1']);
    },
  );

  it('HTTP 429 is a CalcomRateLimitedError carrying the reset of X-RateLimit-Reset-*', async () => {
    const { calcom, clock } = setup(() =>
      failure(
        429,
        'ThrottlerException',
        'CustomThrottlerGuard - Too many requests. Please try again later.',
        {
          'X-RateLimit-Limit-Default': '120',
          'X-RateLimit-Remaining-Default': '0',
          'X-RateLimit-Reset-Default': '37',
        },
      ),
    );
    const error = await failureOf(calcom.bookings.create('t1', create));
    expect(isCalcomRateLimitedError(error) && error.context).toEqual({
      tenantId: 't1',
      endpoint: 'POST /v2/bookings',
      source: 'server',
      retryAfterMs: 37_000,
      resetAt: new Date(clock.now() + 37_000).toISOString(),
    });
    expect(isTransientError(error)).toBe(true);
    expect(isCalendarOutage(error)).toBe(true);
  });

  it('a 429 without reset headers asks for a minute', async () => {
    const { calcom } = setup(() => failure(429, 'ThrottlerException', 'Too many requests'));
    const error = await failureOf(calcom.bookings.get('t1', 'bk_1'));
    expect(isCalcomRateLimitedError(error) && error.context.retryAfterMs).toBe(60_000);
  });

  it.each([500, 502, 503, 504, 408])(
    'HTTP %i is a transient CalcomUnavailableError; a write is in doubt',
    async (status) => {
      const { calcom } = setup(() =>
        failure(status, 'INTERNAL_SERVER_ERROR', 'There was an error, please try again later.'),
      );
      const write = await failureOf(calcom.bookings.create('t1', create));
      expect(isCalcomUnavailableError(write) && write.context).toEqual({
        tenantId: 't1',
        endpoint: 'POST /v2/bookings',
        reason: 'server_error',
        status,
        inDoubt: true,
      });
      expect(isCalendarOutage(write)).toBe(true);
      const read = await failureOf(calcom.bookings.get('t1', 'bk_1'));
      expect(isCalcomUnavailableError(read) && read.context.inDoubt).toBe(false);
    },
  );

  it('a network failure is a transient CalcomUnavailableError (network)', async () => {
    const { calcom } = setup(() => {
      throw new TypeError('fetch failed');
    });
    const error = await failureOf(calcom.bookings.create('t1', create));
    expect(
      isCalcomUnavailableError(error) && [error.context.reason, error.context.status, error.context.inDoubt],
    ).toEqual(['network', null, true]);
    expect(isCalendarOutage(error)).toBe(true);
  });

  it('whatever an injected fetch throws without an answer counts as a network failure', async () => {
    const { calcom } = setup(() => {
      throw new Error('socket hang up');
    });
    const error = await failureOf(calcom.bookings.get('t1', 'bk_1'));
    expect(isCalcomUnavailableError(error) && error.context.reason).toBe('network');
    expect(isCalendarOutage(error)).toBe(true);
  });

  it('a body cut off mid-way is a network failure too', async () => {
    const { calcom } = setup(
      () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"status":"succ'));
              controller.error(new TypeError('terminated'));
            },
          }),
          { status: 201 },
        ),
    );
    const error = await failureOf(calcom.bookings.create('t1', create));
    expect(isCalcomUnavailableError(error) && [error.context.reason, error.context.inDoubt]).toEqual([
      'network',
      true,
    ]);
    expect(isCalendarOutage(error)).toBe(true);
  });

  it('no answer within timeoutMs is a transient CalcomUnavailableError (timeout)', async () => {
    const hang: FakeRoute = (_request, signal) =>
      new Promise((_resolve, reject) =>
        signal?.addEventListener('abort', () => reject(signal.reason as Error)),
      );
    const { calcom } = setup(hang, { timeoutMs: 5 });
    const error = await failureOf(calcom.bookings.get('t1', 'bk_1'));
    expect(isCalcomUnavailableError(error) && error.context.reason).toBe('timeout');
    expect(isCalendarOutage(error)).toBe(true);
  });

  it('an abort by the caller rejects with the caller’s reason, not as an outage', async () => {
    const hang: FakeRoute = (_request, signal) =>
      new Promise((_resolve, reject) =>
        signal?.addEventListener('abort', () => reject(signal.reason as Error)),
      );
    const { calcom } = setup(hang, { timeoutMs: 0 });
    const controller = new AbortController();
    const pending = failureOf(calcom.bookings.get('t1', 'bk_1', { signal: controller.signal }));
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 1);
    expect(await pending).toBe(reason);
  });
});
