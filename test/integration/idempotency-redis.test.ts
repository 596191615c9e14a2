import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ioredisClient } from '../../src/adapters/redis/redis-client.js';
import { createRedisIdempotencyStore } from '../../src/adapters/redis/redis-idempotency-store.js';
import { isCorruptRecordError } from '../../src/errors/store-errors.js';
import { idempotencyStoreContract } from '../../src/testing/contracts/idempotency-store.contract.js';
import { redisSkipReason, redisUrl, uniqueName } from '../support/servers.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');
const claim = { fingerprint: 'fp-1', ttlMs: 60_000, lockTtlMs: 10_000, now: T0 };

describe.skipIf(!redisUrl)(
  `Redis idempotency store${redisSkipReason ? ` (skipped: ${redisSkipReason})` : ''}`,
  () => {
    const connections: Redis[] = [];
    let prefix = '';

    function connect(): Redis {
      const redis = new Redis(redisUrl!, { lazyConnect: false, maxRetriesPerRequest: 1 });
      connections.push(redis);
      return redis;
    }

    async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }

    let redis: Redis;
    beforeAll(() => {
      redis = connect();
    });
    beforeEach(() => {
      prefix = `${uniqueName('bkidem')}:`;
    });
    afterEach(async () => {
      await deleteKeys(redis, `${prefix}*`);
    });
    afterAll(async () => {
      await Promise.all(connections.map((c) => c.quit()));
    });

    const store = (connection: Redis = redis) =>
      createRedisIdempotencyStore({ client: ioredisClient(connection), prefix });

    idempotencyStoreContract({ describe, it, beforeEach, afterEach }, 'redis', () => store());

    it('gives a key to exactly one of 200 concurrent callers across 4 connections', async () => {
      const stores = Array.from({ length: 4 }, () => store(connect()));
      const scope = { tenantId: 'tenant-a', key: 'race' };
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) => stores[i % 4]!.begin(scope, claim)),
      );
      expect(answers.filter((a) => a.status === 'new')).toHaveLength(1);
      expect(answers.filter((a) => a.status === 'in_progress')).toHaveLength(199);
    });

    it('lets Redis drop the key after the TTL', async () => {
      await store().begin({ tenantId: 'tenant-a', key: 'k' }, claim);
      const ttl = await redis.pttl(`${prefix}tenant-a:k`);
      expect(ttl).toBeGreaterThan(55_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    });

    it.each([
      ['a value that is not JSON', 'not json at all', /the value is not JSON/],
      ['JSON of another shape', JSON.stringify({ hello: 'world', expiresAt: T0 + 60_000 }), /state/],
      [
        'a record of a future format version',
        JSON.stringify({
          version: 2,
          state: 'completed',
          fingerprint: 'fp-1',
          token: 't',
          expiresAt: T0 + 60_000,
          result: 1,
        }),
        /version/,
      ],
      [
        'an unfinished claim without a lock expiry',
        JSON.stringify({
          version: 1,
          state: 'in_progress',
          fingerprint: 'fp-1',
          token: 't',
          expiresAt: T0 + 60_000,
        }),
        /lockExpiresAt/,
      ],
    ])('reports %s as a corrupt record on begin', async (_name, value, problem) => {
      await redis.set(`${prefix}tenant-a:bad`, value);
      const error: unknown = await store()
        .begin({ tenantId: 'tenant-a', key: 'bad' }, claim)
        .catch((e: unknown) => e);
      expect(isCorruptRecordError(error)).toBe(true);
      expect(String(error)).toMatch(/redis:idempotency/);
      expect(String(error)).toMatch(problem);
    });

    it('reports a key of another Redis type as a corrupt record', async () => {
      await redis.hset(`${prefix}tenant-a:hash`, 'field', 'value');
      const error: unknown = await store()
        .begin({ tenantId: 'tenant-a', key: 'hash' }, claim)
        .catch((e: unknown) => e);
      expect(isCorruptRecordError(error)).toBe(true);
      expect(String(error)).toMatch(/not a string/);
    });

    it('refuses to complete or release over a foreign value, and leaves it alone', async () => {
      await redis.set(`${prefix}tenant-a:foreign`, '{"some":"thing","expiresAt":99999999999999}');
      const scope = { tenantId: 'tenant-a', key: 'foreign' };
      await expect(store().complete(scope, { token: 't', result: 1, now: T0 })).rejects.toSatisfy(
        isCorruptRecordError,
      );
      await expect(store().release(scope, { token: 't', now: T0 })).rejects.toSatisfy(isCorruptRecordError);
      expect(await redis.get(`${prefix}tenant-a:foreign`)).toBe(
        '{"some":"thing","expiresAt":99999999999999}',
      );
    });

    it('takes an expired record of an unknown format over', async () => {
      await redis.set(`${prefix}tenant-a:old`, JSON.stringify({ version: 0, expiresAt: T0 - 1 }));
      expect((await store().begin({ tenantId: 'tenant-a', key: 'old' }, claim)).status).toBe('new');
    });

    it('stores the result JSON as given, empty arrays and long numbers included', async () => {
      const scope = { tenantId: 'tenant-a', key: 'exact' };
      const first = await store().begin(scope, claim);
      const result = { empty: [], big: 1234567890123456, small: 0.1 };
      await store().complete(scope, { token: first.status === 'new' ? first.token : '', result, now: T0 });
      expect(await store().begin(scope, claim)).toEqual({ status: 'replay', result });
    });
  },
);
