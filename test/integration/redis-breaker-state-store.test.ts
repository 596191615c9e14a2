import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisBreakerStateStore } from '../../src/adapters/redis/redis-breaker-state-store.js';
import { ioredisClient } from '../../src/adapters/redis/redis-client.js';
import { isCorruptRecordError } from '../../src/errors/store-errors.js';
import { isInvalidOptionError } from '../../src/errors/invalid-option-error.js';
import { breakerStateStoreContract } from '../../src/testing/contracts/breaker-state-store.contract.js';
import { redisSkipReason, redisUrl, uniqueName } from '../support/servers.js';

describe.skipIf(!redisUrl)(`Redis breaker state store ${redisSkipReason ?? ''}`, () => {
  breakerStateStoreContract({ describe, it, beforeEach, afterEach }, 'redis', () => {
    const redis = new Redis(redisUrl!);
    const keyPrefix = `${uniqueName('breaker')}:`;
    return {
      subject: createRedisBreakerStateStore({ client: ioredisClient(redis), keyPrefix }),
      cleanup: async () => {
        const keys = await redis.keys(`${keyPrefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        await redis.quit();
      },
    };
  });

  describe('specific to Redis', () => {
    let redis: Redis;
    let keyPrefix: string;
    beforeEach(() => {
      redis = new Redis(redisUrl!);
      keyPrefix = `${uniqueName('breaker')}:`;
    });
    afterEach(async () => {
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    });

    it('reports a state hash written by something else as a corrupt record', async () => {
      const store = createRedisBreakerStateStore({ client: ioredisClient(redis), keyPrefix });
      await redis.hset(`${keyPrefix}{calcom}:state`, {
        state: 'melted',
        generation: '1',
        since: '0',
        opens: '0',
        probes: '0',
        probeSuccesses: '0',
      });
      const error: unknown = await store.read('calcom').catch((caught: unknown) => caught);
      expect(isCorruptRecordError(error)).toBe(true);
      expect((error as Error).message).toContain('redis:breaker');
      expect((error as Error).message).toContain('state');
    });

    it('keeps every key of a breaker in one hash slot and lets them expire', async () => {
      const store = createRedisBreakerStateStore({
        client: ioredisClient(redis),
        keyPrefix,
        keyTtlMs: 5_000,
      });
      await store.record('calcom', {
        generation: 0,
        window: { kind: 'count', size: 5 },
        instance: 'a',
        runs: [{ kind: 'failure', count: 1, at: 1 }],
      });
      await store.transition('calcom', {
        expectedGeneration: 0,
        state: 'open',
        since: 1,
        until: 2,
        opens: 1,
        reason: null,
      });
      const keys = await redis.keys(`${keyPrefix}*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(key).toContain('{calcom}');
        const ttl = await redis.pttl(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(5_000);
      }
    });

    it('rejects a missing client and a bad key prefix eagerly', () => {
      expect(() => createRedisBreakerStateStore({ client: undefined as never })).toThrow(/client/);
      const error: unknown = (() => {
        try {
          createRedisBreakerStateStore({ client: ioredisClient(redis), keyPrefix: '' });
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(isInvalidOptionError(error)).toBe(true);
    });
  });
});
