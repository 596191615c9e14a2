/**
 * Redis adapters for bookingkit's ports (idempotency, circuit-breaker state, availability
 * cache, locks), written against the minimal {@link RedisClient} interface; ioredis fits through
 * {@link ioredisClient}.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { ioredisClient } from 'bookingkit/redis';
 * const client = ioredisClient(new Redis(process.env.REDIS_URL!));
 * ```
 *
 * @module bookingkit/redis
 */
// The client: ioredis (or any client) behind the minimal RedisClient interface
export {
  ioredisClient,
  defineScript,
  runScript,
  type RedisArgument,
  type RedisClient,
  type IoredisLike,
  type RedisScript,
} from './redis-client.js';

// Adapters
export { createRedisIdempotencyStore, type RedisIdempotencyStoreOptions } from './redis-idempotency-store.js';
export {
  createRedisBreakerStateStore,
  type RedisBreakerStateStoreOptions,
} from './redis-breaker-state-store.js';
export {
  createRedisAvailabilityCache,
  type RedisAvailabilityCacheOptions,
} from './redis-availability-cache.js';
export { createRedisLockService, type RedisLockServiceOptions } from './redis-lock-service.js';
export {
  ioredisSubscriber,
  createRedisInvalidationBroadcast,
  type RedisSubscriber,
  type IoredisSubscriberLike,
  type RedisInvalidationBroadcastOptions,
} from './redis-invalidation-broadcast.js';
export {
  createRedisRateLimiter,
  type RedisRateLimiter,
  type RedisRateLimiterOptions,
} from './redis-rate-limiter.js';
