import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryAvailabilityCache } from '../../src/adapters/memory/memory-availability-cache.js';
import { ioredisClient } from '../../src/adapters/redis/redis-client.js';
import {
  createRedisInvalidationBroadcast,
  ioredisSubscriber,
} from '../../src/adapters/redis/redis-invalidation-broadcast.js';
import { createBroadcastingCache } from '../../src/booking/availability/broadcasting-cache.js';
import type { InvalidationBroadcast, InvalidationMessage } from '../../src/ports/invalidation-broadcast.js';
import { redisSkipReason, redisUrl, uniqueName } from '../support/servers.js';

describe.skipIf(!redisUrl)(`Redis invalidation broadcast ${redisSkipReason ?? ''}`, () => {
  let connections: Redis[];
  let channel: string;

  const instance = (): InvalidationBroadcast => {
    const client = new Redis(redisUrl!);
    const subscriber = new Redis(redisUrl!);
    connections.push(client, subscriber);
    return createRedisInvalidationBroadcast({
      client: ioredisClient(client),
      subscriber: ioredisSubscriber(subscriber),
      channel,
    });
  };

  /**
   * Subscribes a probe; `heard` resolves with the next message `broadcast` hears (handlers run in
   * subscription order, so earlier subscribers have run by then).
   */
  const nextMessage = async (
    broadcast: InvalidationBroadcast,
  ): Promise<{ heard: Promise<InvalidationMessage> }> => {
    let resolve: (message: InvalidationMessage) => void = () => undefined;
    const heard = new Promise<InvalidationMessage>((r) => (resolve = r));
    const probe = await broadcast.subscribe((message) => {
      probe.dispose();
      resolve(message);
    });
    return { heard };
  };

  beforeEach(() => {
    connections = [];
    channel = uniqueName('invalidations');
  });
  afterEach(async () => {
    await Promise.all(connections.map((connection) => connection.quit()));
  });

  it('drops the entry from the memory caches of two other instances', async () => {
    const [a, b, c] = [instance(), instance(), instance()];
    const caches = [a, b, c].map((broadcast) =>
      createBroadcastingCache(createMemoryAvailabilityCache(), broadcast),
    );
    await Promise.all(caches.map((cache) => cache.ready));
    const entry = { ttlMs: 60_000, tags: ['eventType:cut'] };
    for (const cache of caches) await cache.set('t', 'slots:cut:2026-01-06', ['slot'], entry);
    const heardByB = await nextMessage(b);
    const heardByC = await nextMessage(c);
    await caches[0]!.invalidateTags('t', ['eventType:cut']);
    expect(await heardByB.heard).toEqual({ tenantId: 't', tags: ['eventType:cut'] });
    await heardByC.heard;
    for (const cache of caches) expect(await cache.get('t', 'slots:cut:2026-01-06')).toBeUndefined();
    for (const cache of caches) cache.dispose();
  });

  it('does not deliver an instance its own invalidations', async () => {
    const [a, b] = [instance(), instance()];
    const heardByA: InvalidationMessage[] = [];
    await a.subscribe((message) => void heardByA.push(message));
    const heardByB = await nextMessage(b);
    await a.publish('t', ['eventType:own']);
    await heardByB.heard;
    const again = await nextMessage(b);
    await a.publish('t', ['eventType:second']);
    await again.heard;
    expect(heardByA).toEqual([]);
  });
});
