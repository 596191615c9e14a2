import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ioredisClient } from '../../src/adapters/redis/redis-client.js';
import { createRedisRateLimiter } from '../../src/adapters/redis/redis-rate-limiter.js';
import { createCalcomClient } from '../../src/calcom/client/client.js';
import { isCalcomRateLimitedError } from '../../src/calcom/client/errors.js';
import { createFakeCalcom, ok } from '../support/fake-calcom-api.js';
import type { RateLimiter } from '../../src/calcom/client/rate-limiter.js';
import { redisSkipReason, redisUrl, uniqueName } from '../support/servers.js';

describe.skipIf(!redisUrl)(`Redis rate limiter ${redisSkipReason ?? ''}`, () => {
  let connections: Redis[];
  let prefix: string;

  /** A limiter of its own instance: its own connection, the same Redis and prefix. */
  const instance = (limit: number, windowMs = 60_000): RateLimiter => {
    const redis = new Redis(redisUrl!);
    connections.push(redis);
    return createRedisRateLimiter({ client: ioredisClient(redis), limit, windowMs, prefix });
  };

  beforeEach(() => {
    connections = [];
    prefix = `${uniqueName('ratelimit')}:`;
  });
  afterEach(async () => {
    const [first] = connections;
    if (first) {
      const keys = await first.keys(`${prefix}*`);
      if (keys.length > 0) await first.del(...keys);
    }
    await Promise.all(connections.map((connection) => connection.quit()));
  });

  it('counts the permits of one key across instances and refuses the one beyond the limit', async () => {
    const [a, b] = [instance(3), instance(3)];
    expect((await a.take('key')).allowed).toBe(true);
    expect((await b.take('key')).allowed).toBe(true);
    expect((await a.take('key')).allowed).toBe(true);
    const refused = await b.take('key');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect((await b.take('other-key')).allowed).toBe(true);
  });

  it('frees a permit once the oldest leaves the window', async () => {
    const limiter = instance(1, 100);
    expect((await limiter.take('key')).allowed).toBe(true);
    const refused = await limiter.take('key');
    expect(refused.allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, refused.retryAfterMs + 20));
    expect((await limiter.take('key')).allowed).toBe(true);
  });

  it('holds every permit of a key during a pause, for every instance', async () => {
    const [a, b] = [instance(100), instance(100)];
    await a.pause('key', 30_000);
    const refused = await b.take('key');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(30_000);
    await a.pause('key', 10); // a shorter pause never shortens a longer one
    expect((await b.take('key')).allowed).toBe(false);
  });

  it('keeps two Cal.com clients sharing an API key under one limit', async () => {
    const fake = createFakeCalcom();
    fake.on('GET /v2/event-types', () => ok([]));
    const client = () =>
      createCalcomClient({
        credentials: async () => ({ apiKey: 'cal_live_shared', webhookSecret: 's' }),
        fetch: fake.fetch,
        rateLimiter: instance(2),
        rateLimitMaxWaitMs: 0,
      });
    const [one, two] = [client(), client()];
    await one.eventTypes.list('t1');
    await two.eventTypes.list('t2');
    const error = await one.eventTypes.list('t1').catch((e: unknown) => e);
    expect(isCalcomRateLimitedError(error) && error.context.source).toBe('client');
    expect(fake.requests).toHaveLength(2);
  });
});
