import type { AvailabilityCache, CacheEntryOptions } from '../../ports/availability-cache.js';
import type { InvalidationBroadcast } from '../../ports/invalidation-broadcast.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import type { OperationOptions } from '../../util/abort.js';
import { toDisposable, type Disposable } from '../../util/disposable.js';
import { requireOption } from '../../util/options.js';

/** Options of {@link createBroadcastingCache}. */
export interface BroadcastingCacheOptions {
  /**
   * Where failures to apply an invalidation from another instance, or to subscribe, are reported.
   * @default silentLogger
   */
  readonly logger?: Logger;
}

/** An {@link AvailabilityCache} whose invalidations reach every instance. */
export interface BroadcastingCache extends AvailabilityCache, Disposable {
  /**
   * Resolves once invalidations from other instances are being received; rejects when
   * subscribing failed (the cache still works locally, and entries then live until their TTL).
   */
  readonly ready: Promise<void>;
}

/**
 * Wraps a per-process cache (memory) so that invalidations reach every instance: `invalidateTags`
 * drops the entries here and then publishes the tags on `broadcast`, and invalidations published
 * by other instances are applied here. `invalidateTags` rejects when publishing fails, after the
 * local entries were dropped, so a durable caller (a queued listener) retries and the other
 * instances hear of it. Dispose to stop listening.
 *
 * @throws `InvalidOptionError` naming `createBroadcastingCache` and `cache` or `broadcast` when one is
 *   missing or unusable.
 * @example
 * ```ts
 * declare const client: RedisClient;
 * declare const url: string;
 * declare const logger: Logger;
 * // ---cut---
 * import { Redis } from 'ioredis';
 * const broadcast = createRedisInvalidationBroadcast({ client, subscriber: ioredisSubscriber(new Redis(url)) });
 * const cache = createBroadcastingCache(createMemoryAvailabilityCache(), broadcast, { logger });
 * await cache.ready;
 * ```
 */
export function createBroadcastingCache(
  cache: AvailabilityCache,
  broadcast: InvalidationBroadcast,
  options: BroadcastingCacheOptions = {},
): BroadcastingCache {
  const args = { cache, broadcast };
  requireOption(
    'createBroadcastingCache',
    args,
    'cache',
    'an AvailabilityCache, e.g. createMemoryAvailabilityCache()',
    (value) => typeof (value as Partial<AvailabilityCache>).invalidateTags === 'function',
  );
  requireOption(
    'createBroadcastingCache',
    args,
    'broadcast',
    'an InvalidationBroadcast, e.g. createRedisInvalidationBroadcast({ client, subscriber })',
    (value) => typeof (value as Partial<InvalidationBroadcast>).subscribe === 'function',
  );
  const logger = options.logger ?? silentLogger;
  let disposed = false;
  let subscription: Disposable | undefined;

  const ready = broadcast
    .subscribe(async ({ tenantId, tags }) => {
      try {
        await cache.invalidateTags(tenantId, tags);
      } catch (error) {
        logger.error({ err: error, tenantId, tags }, 'could not apply an invalidation from another instance');
      }
    })
    .then(
      (subscribed) => {
        subscription = subscribed;
        if (disposed) subscribed.dispose();
      },
      (error: unknown) => {
        logger.error(
          { err: error },
          'could not subscribe to cache invalidations; entries expire by TTL only',
        );
        throw error;
      },
    );
  // A caller that never awaits `ready` must not crash the process with an unhandled rejection.
  ready.catch(() => undefined);

  const stop = toDisposable(() => {
    disposed = true;
    subscription?.dispose();
  });

  return {
    ready,
    get: (tenantId: string, key: string, opts?: OperationOptions) => cache.get(tenantId, key, opts),
    set: (tenantId: string, key: string, value: unknown, opts: CacheEntryOptions) =>
      cache.set(tenantId, key, value, opts),
    async invalidateTags(tenantId: string, tags: readonly string[], opts: OperationOptions = {}) {
      await cache.invalidateTags(tenantId, tags, opts);
      if (tags.length > 0) await broadcast.publish(tenantId, tags, opts);
    },
    dispose: () => stop.dispose(),
    [Symbol.dispose]: () => stop.dispose(),
  };
}
