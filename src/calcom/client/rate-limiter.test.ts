import { describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { createCalcomClient } from './client.js';
import type { CalcomClientOptions } from './client-options.js';
import { isCalcomRateLimitedError } from './errors.js';
import { createFakeCalcom, failure, ok } from '../../../test/support/fake-calcom-api.js';
import { createMemoryRateLimiter } from './rate-limiter.js';
import { silentLogger } from '../../ports/logger.js';

describe('createMemoryRateLimiter', () => {
  it('allows 120 permits a minute per key and says when the 121st frees', async () => {
    const clock = createFakeClock();
    const limiter = createMemoryRateLimiter({ clock });
    for (let i = 0; i < 120; i += 1) {
      expect(await limiter.take('a')).toEqual({ allowed: true, retryAfterMs: 0 });
      await clock.advance(100);
    }
    // The first permit was taken 12 s ago: it leaves the window 48 s from now.
    expect(await limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 48_000 });
    expect(await limiter.take('b')).toEqual({ allowed: true, retryAfterMs: 0 });
    await clock.advance(48_000);
    expect((await limiter.take('a')).allowed).toBe(true);
    expect(await limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 100 });
  });

  it('holds every permit of a key while paused', async () => {
    const clock = createFakeClock();
    const limiter = createMemoryRateLimiter({ clock, limit: 5 });
    await limiter.pause('a', 30_000);
    expect(await limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 30_000 });
    await clock.advance(30_000);
    expect((await limiter.take('a')).allowed).toBe(true);
  });

  it('keeps the count and the pause of busy keys when it forgets idle ones', async () => {
    const clock = createFakeClock();
    const limiter = createMemoryRateLimiter({ clock, limit: 1 });
    await limiter.take('busy');
    await limiter.pause('paused', 120_000);
    for (let i = 0; i < 1_100; i += 1) await limiter.take(`idle-${i}`);
    expect(await limiter.take('busy')).toEqual({ allowed: false, retryAfterMs: 60_000 });
    expect(await limiter.take('paused')).toEqual({ allowed: false, retryAfterMs: 120_000 });
  });

  it('refuses bad options, naming them', () => {
    expect(() => createMemoryRateLimiter({ limit: 0 })).toThrow(/createMemoryRateLimiter: option "limit"/);
    expect(() => createMemoryRateLimiter({ windowMs: 1.5 })).toSatisfy((f: () => unknown) => {
      try {
        f();
        return false;
      } catch (error) {
        return isInvalidOptionError(error) && error.context.option === 'windowMs';
      }
    });
  });
});

describe('Cal.com client with a rate limiter', () => {
  function setup(options: Partial<CalcomClientOptions> = {}) {
    const fake = createFakeCalcom();
    const clock = createFakeClock();
    fake.on('GET /v2/event-types', () => ok([]));
    const calcom = createCalcomClient({
      credentials: async (tenantId) => ({
        apiKey: tenantId === 'other' ? 'cal_live_other' : 'cal_live_shared',
        webhookSecret: 's',
      }),
      fetch: fake.fetch,
      clock,
      rateLimiter: createMemoryRateLimiter({ clock }),
      ...options,
    });
    return { fake, clock, calcom };
  }

  it('holds the 121st request of a minute until a permit frees, then sends it', async () => {
    const { fake, clock, calcom } = setup();
    await Promise.all(Array.from({ length: 120 }, () => calcom.eventTypes.list('t1')));
    expect(fake.requests).toHaveLength(120);
    let done = false;
    const held = calcom.eventTypes.list('t1').then(() => (done = true));
    await calcom.eventTypes.list('other'); // another key is not held back
    await clock.advance(59_999);
    expect([done, fake.requests.length]).toEqual([false, 121]);
    await clock.advance(1);
    await held;
    expect(fake.requests).toHaveLength(122);
  });

  it('counts per API key, so two tenants sharing one key share its limit', async () => {
    const { fake, calcom } = setup({ rateLimitMaxWaitMs: 0 });
    await Promise.all(Array.from({ length: 60 }, () => calcom.eventTypes.list('t1')));
    await Promise.all(Array.from({ length: 60 }, () => calcom.eventTypes.list('t2')));
    const error = await calcom.eventTypes.list('t2').catch((e: unknown) => e);
    expect(fake.requests).toHaveLength(120);
    expect(isCalcomRateLimitedError(error) && error.context).toMatchObject({
      source: 'client',
      retryAfterMs: 60_000,
    });
  });

  it('refuses at once with a client-side CalcomRateLimitedError when waiting would exceed rateLimitMaxWaitMs', async () => {
    const { fake, calcom } = setup({ rateLimitMaxWaitMs: 0 });
    await Promise.all(Array.from({ length: 120 }, () => calcom.eventTypes.list('t1')));
    const error = await calcom.eventTypes.list('t1').catch((e: unknown) => e);
    expect(isCalcomRateLimitedError(error) && error.context).toMatchObject({
      tenantId: 't1',
      endpoint: 'GET /v2/event-types',
      source: 'client',
      retryAfterMs: 60_000,
    });
    expect(fake.requests).toHaveLength(120);
  });

  it('after a 429, holds every request with that key until the reset', async () => {
    const { fake, clock, calcom } = setup();
    fake.on('POST /v2/bookings/:uid/confirm', () =>
      failure(429, 'ThrottlerException', 'Too many requests', { 'X-RateLimit-Reset-Default': '30' }),
    );
    await calcom.bookings.confirm('t1', 'bk_1').catch(() => undefined);
    let done = false;
    const held = calcom.eventTypes.list('t1').then(() => (done = true));
    await clock.advance(29_999);
    expect([done, fake.requests.length]).toEqual([false, 1]);
    await clock.advance(1);
    await held;
    expect(fake.requests.map((r) => r.path)).toEqual(['/v2/bookings/bk_1/confirm', '/v2/event-types']);
  });

  it('answers the 429 even when the limiter cannot record the pause', async () => {
    const limiter = createMemoryRateLimiter();
    const { fake, calcom } = setup({
      rateLimiter: { take: (key) => limiter.take(key), pause: () => Promise.reject(new Error('redis down')) },
    });
    fake.on('POST /v2/bookings/:uid/confirm', () => failure(429, 'ThrottlerException', 'Too many requests'));
    const error = await calcom.bookings.confirm('t1', 'bk_1').catch((e: unknown) => e);
    expect(isCalcomRateLimitedError(error) && error.context.source).toBe('server');
  });

  it('sends the request when the limiter cannot be asked (its store is down), and logs why', async () => {
    // A shared limiter on Redis must not turn a Redis outage into a Cal.com outage: the request
    // goes out uncounted, and Cal.com's own 429 still holds the client back.
    const warnings: unknown[][] = [];
    const logger = { ...silentLogger, warn: (...args: unknown[]) => void warnings.push(args) };
    const { fake, calcom } = setup({
      rateLimiter: {
        take: () => Promise.reject(new Error('Connection is closed.')),
        pause: () => Promise.resolve(),
      },
      logger,
    });
    expect(await calcom.eventTypes.list('t1')).toEqual([]);
    expect(fake.requests).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]![0]).toMatchObject({ err: { message: 'Connection is closed.' }, tenantId: 't1' });
  });

  it('still stops waiting for a permit when the caller aborts during the limiter call', async () => {
    const reason = new Error('gave up');
    const controller = new AbortController();
    const { fake, calcom } = setup({
      rateLimiter: {
        take: () => {
          controller.abort(reason);
          return Promise.reject(reason);
        },
        pause: () => Promise.resolve(),
      },
    });
    const error = await calcom.eventTypes
      .list('t1', {}, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBe(reason);
    expect(fake.requests).toHaveLength(0);
  });

  it('stops waiting when the caller aborts', async () => {
    const { calcom } = setup();
    await Promise.all(Array.from({ length: 120 }, () => calcom.eventTypes.list('t1')));
    const controller = new AbortController();
    const pending = calcom.eventTypes.list('t1', {}, { signal: controller.signal }).catch((e: unknown) => e);
    const reason = new Error('gave up');
    controller.abort(reason);
    expect(await pending).toBe(reason);
  });
});
