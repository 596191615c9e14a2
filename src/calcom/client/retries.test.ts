import { describe, expect, it } from 'vitest';
import { constantBackoff } from '../../resilience/backoff.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { createCalcomClient } from './client.js';
import type { CalcomClientOptions } from './client-options.js';
import { isCalcomRateLimitedError, isCalcomUnavailableError } from './errors.js';
import { bookingJson, createFakeCalcom, failure, ok } from '../../../test/support/fake-calcom-api.js';

const rateLimited = (resetSeconds: string) =>
  failure(429, 'ThrottlerException', 'Too many requests', { 'X-RateLimit-Reset-Default': resetSeconds });

function setup(options: Partial<CalcomClientOptions> = {}) {
  const fake = createFakeCalcom();
  const clock = createFakeClock();
  const calcom = createCalcomClient({
    credentials: async () => ({ apiKey: 'cal_live_x', webhookSecret: 's' }),
    fetch: fake.fetch,
    rateLimiter: false,
    clock,
    retry: { backoff: constantBackoff(1_000) },
    ...options,
  });
  return { fake, clock, calcom };
}

const attendee = { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/London' };

describe('Cal.com client retries: reads only', () => {
  it('retries a read after a 503, after the backoff', async () => {
    const { fake, clock, calcom } = setup();
    fake
      .on('GET /v2/bookings/:uid', () => failure(503, 'ServiceUnavailable', 'down'))
      .on('GET /v2/bookings/:uid', () => ok(bookingJson()));
    const pending = calcom.bookings.get('t1', 'bk_1');
    await clock.advance(0);
    expect(fake.requests).toHaveLength(1);
    await clock.advance(999);
    expect(fake.requests).toHaveLength(1);
    await clock.advance(1);
    expect((await pending).uid).toBe('bk_1');
    expect(fake.requests).toHaveLength(2);
  });

  it('waits for the rate limit’s reset before retrying a rate-limited read', async () => {
    const { fake, clock, calcom } = setup();
    fake.on('GET /v2/event-types', () => rateLimited('20')).on('GET /v2/event-types', () => ok([]));
    const pending = calcom.eventTypes.list('t1');
    await clock.advance(19_999);
    expect(fake.requests).toHaveLength(1);
    await clock.advance(1);
    expect(await pending).toEqual([]);
    expect(fake.requests).toHaveLength(2);
  });

  it('gives up at once when the reset is further away than maxRetryAfterMs', async () => {
    const { fake, calcom } = setup({ retry: { maxRetryAfterMs: 10_000 } });
    fake.on('GET /v2/event-types', () => rateLimited('30'));
    const error = await calcom.eventTypes.list('t1').catch((e: unknown) => e);
    expect(isCalcomRateLimitedError(error) && error.context.retryAfterMs).toBe(30_000);
    expect(fake.requests).toHaveLength(1);
  });

  it('stops after maxAttempts reads', async () => {
    const { fake, clock, calcom } = setup({ retry: { maxAttempts: 3, backoff: constantBackoff(10) } });
    fake.on('GET /v2/bookings/:uid', () => failure(500, 'INTERNAL_SERVER_ERROR', 'boom'));
    const pending = calcom.bookings.get('t1', 'bk_1').catch((e: unknown) => e);
    await clock.runAll();
    expect(isCalcomUnavailableError(await pending)).toBe(true);
    expect(fake.requests).toHaveLength(3);
  });

  it.each([
    [
      'a create',
      (c: ReturnType<typeof createCalcomClient>) =>
        c.bookings.create('t1', { eventTypeId: 42, start: '2026-03-02T09:00:00Z', attendee }),
    ],
    [
      'a reschedule',
      (c: ReturnType<typeof createCalcomClient>) =>
        c.bookings.reschedule('t1', 'bk_1', { start: '2026-03-03T09:00:00Z' }),
    ],
    [
      'a cancel',
      (c: ReturnType<typeof createCalcomClient>) =>
        c.bookings.cancel('t1', 'bk_1', { cancellationReason: 'x' }),
    ],
    [
      'a reservation',
      (c: ReturnType<typeof createCalcomClient>) =>
        c.slots.reserve('t1', { eventTypeId: 42, slotStart: '2026-03-02T09:00:00Z' }),
    ],
    ['a release', (c: ReturnType<typeof createCalcomClient>) => c.slots.release('t1', 'res_1')],
  ])('never retries %s, after a 5xx, a 429 or a network failure', async (_name, call) => {
    for (const fail of [
      () => failure(503, 'ServiceUnavailable', 'down'),
      () => rateLimited('1'),
      () => {
        throw new TypeError('fetch failed');
      },
    ]) {
      const { fake, clock, calcom } = setup();
      for (const pattern of [
        'POST /v2/bookings',
        'POST /v2/bookings/:uid/reschedule',
        'POST /v2/bookings/:uid/cancel',
        'POST /v2/slots/reservations',
        'DELETE /v2/slots/reservations/:uid',
      ])
        fake.on(pattern, fail);
      const pending = call(calcom).catch((e: unknown) => e);
      await clock.runAll();
      await pending;
      expect(fake.requests).toHaveLength(1);
    }
  });
});
