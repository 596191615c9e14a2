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
export * from './redis-client.js';
export * from './redis-idempotency-store.js';
export * from './redis-availability-cache.js';
export * from './redis-lock-service.js';
export * from './redis-breaker-state-store.js';
export * from './redis-invalidation-broadcast.js';
