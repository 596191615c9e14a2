import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisAvailabilityCache } from '../../src/adapters/redis/redis-availability-cache.js';
import { ioredisClient } from '../../src/adapters/redis/redis-client.js';
import { createRedisLockService } from '../../src/adapters/redis/redis-lock-service.js';
import { isCorruptRecordError } from '../../src/errors/store-errors.js';
import { isInvalidOptionError } from '../../src/errors/invalid-option-error.js';
import { availabilityCacheContract } from '../../src/testing/contracts/availability-cache.contract.js';
import { lockServiceContract } from '../../src/testing/contracts/lock.contract.js';
import { redisSkipReason, redisUrl, uniqueName } from '../support/servers.js';

/** Redis keeps its own time: the contracts wait for real, with their 50 ms TTLs. */
const realWait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!redisUrl)(
  `Redis storage adapters${redisSkipReason ? ` (skipped: ${redisSkipReason})` : ''}`,
  () => {
    const connections: Redis[] = [];
    let redis: Redis;
    let prefix = '';

    function connect(): Redis {
      const connection = new Redis(redisUrl!, { maxRetriesPerRequest: 1 });
      connections.push(connection);
      return connection;
    }

    async function deleteKeys(pattern: string): Promise<void> {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }

    beforeAll(() => {
      redis = connect();
    });
    beforeEach(() => {
      prefix = `${uniqueName('bkstore')}:`;
    });
    afterEach(async () => {
      await deleteKeys(`${prefix}*`);
    });
    afterAll(async () => {
      await Promise.all(connections.map((connection) => connection.quit()));
    });

    const cache = (connection: Redis = redis) =>
      createRedisAvailabilityCache({ client: ioredisClient(connection), prefix: `${prefix}cache:` });
    const locks = (connection: Redis = redis) =>
      createRedisLockService({ client: ioredisClient(connection), prefix: `${prefix}lock:` });

    availabilityCacheContract({ describe, it, beforeEach, afterEach }, 'redis', () => ({
      subject: cache(),
      advance: realWait,
    }));
    lockServiceContract({ describe, it, beforeEach, afterEach }, 'redis', () => ({
      subject: locks(),
      advance: realWait,
    }));

    describe('createRedisAvailabilityCache', () => {
      it('reports a garbage value as a CorruptRecordError naming the key', async () => {
        await redis.set(`${prefix}cache:{tenant-a}:e:slots`, 'not json at all');
        const error: unknown = await cache()
          .get('tenant-a', 'slots')
          .catch((e: unknown) => e);
        expect(isCorruptRecordError(error) && error.context.key).toBe(`${prefix}cache:{tenant-a}:e:slots`);
        await redis.set(`${prefix}cache:{tenant-a}:e:slots`, '["t"]\n{broken');
        await expect(cache().get('tenant-a', 'slots')).rejects.toMatchObject({ code: 'CORRUPT_RECORD' });
      });

      it('reports a key of another type as a CorruptRecordError', async () => {
        await redis.sadd(`${prefix}cache:{tenant-a}:e:slots`, 'member');
        await expect(cache().get('tenant-a', 'slots')).rejects.toMatchObject({ code: 'CORRUPT_RECORD' });
      });

      it('gives Redis the entry TTL, and tag sets a TTL at least as long as their entries', async () => {
        await cache().set('tenant-a', 'slots', [1], { ttlMs: 60_000, tags: ['eventType:cut'] });
        await cache().set('tenant-a', 'other', [2], { ttlMs: 5_000, tags: ['eventType:cut'] });
        expect(await redis.pttl(`${prefix}cache:{tenant-a}:e:slots`)).toBeGreaterThan(55_000);
        expect(await redis.pttl(`${prefix}cache:{tenant-a}:t:eventType%3Acut`)).toBeGreaterThan(55_000);
      });

      it('keeps one tenant in one hash slot, whatever its id holds', async () => {
        await cache().set('a{b}:c', 'k', 1, { ttlMs: 60_000, tags: ['t'] });
        const keys = await redis.keys(`${prefix}cache:*`);
        expect(keys.sort()).toEqual([
          `${prefix}cache:{a%7Bb%7D%3Ac}:e:k`,
          `${prefix}cache:{a%7Bb%7D%3Ac}:t:t`,
        ]);
      });

      it('drops an unreadable entry found under an invalidated tag', async () => {
        await cache().set('tenant-a', 'slots', [1], { ttlMs: 60_000, tags: ['t'] });
        await redis.set(`${prefix}cache:{tenant-a}:e:slots`, 'garbage');
        await cache().invalidateTags('tenant-a', ['t']);
        expect(await cache().get('tenant-a', 'slots')).toBeUndefined();
      });

      it('requires a client', () => {
        let error: unknown;
        try {
          createRedisAvailabilityCache({} as never);
        } catch (caught) {
          error = caught;
        }
        expect(isInvalidOptionError(error) && error.context.option).toBe('client');
      });
    });

    describe('createRedisLockService', () => {
      it('grants a lock to exactly one of 100 acquirers over 4 connections', async () => {
        const services = Array.from({ length: 4 }, () => locks(connect()));
        const leases = await Promise.all(
          Array.from({ length: 100 }, (_, i) => services[i % 4]!.acquire('job', { ttlMs: 60_000 })),
        );
        expect(leases.filter((lease) => lease !== null)).toHaveLength(1);
      });

      it('stores the token with a PX expiry, and release deletes only its own', async () => {
        const lease = await locks().acquire('job', { ttlMs: 60_000 });
        expect(await redis.get(`${prefix}lock:job`)).toBe(lease!.token);
        expect(await redis.pttl(`${prefix}lock:job`)).toBeGreaterThan(55_000);
        await redis.set(`${prefix}lock:job`, 'someone-else');
        await lease!.release();
        expect(await redis.get(`${prefix}lock:job`)).toBe('someone-else');
      });

      it('requires a client', () => {
        expect(() => createRedisLockService({ client: undefined as never })).toThrow(
          /^createRedisLockService: option "client" is required/,
        );
      });
    });
  },
);
