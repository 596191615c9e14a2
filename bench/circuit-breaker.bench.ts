/**
 * Overhead of a closed circuit breaker around an async no-op: bookingkit against a bare
 * `await fn()`, cockatiel and opossum, in one run (ratios to the bare call). Then bookingkit's breaker
 * with its state in Redis, as a ratio of the same breaker on the memory store (skipped, with the
 * reason printed, when REDIS_URL is not set), in two cases:
 *
 * - the cached path, with the defaults (`cacheTtlMs` 1,000, successes written in batches of 100):
 *   most calls read the breaker's local copy of the shared state and touch no network, one call in
 *   about a second reads Redis again, and one in 100 writes a batch in the background;
 * - the Redis round trip, with `cacheTtlMs: 0`: the shared state is read from Redis (one `EVALSHA`)
 *   before every call, as a breaker that trusts no local copy would (successes still batched).
 */
import { ConsecutiveBreaker, circuitBreaker as cockatielBreaker, handleAll } from 'cockatiel';
import { Redis } from 'ioredis';
import CircuitBreaker from 'opossum';
import { measureGroup, type BenchCase } from './harness.js';
import { circuitBreaker } from '../src/index.js';
import { createRedisBreakerStateStore, ioredisClient } from '../src/adapters/redis/index.js';

const noop = async (): Promise<number> => 1;

export async function run(): Promise<BenchCase[]> {
  const cases: BenchCase[] = [];

  const ours = circuitBreaker({ name: 'bench' });
  const cockatiel = cockatielBreaker(handleAll, {
    halfOpenAfter: 60_000,
    breaker: new ConsecutiveBreaker(5),
  });
  // opossum's own call timeout is off, as neither other breaker has one.
  const opossum = new CircuitBreaker(noop, { timeout: false, resetTimeout: 60_000 });

  cases.push(
    ...(await measureGroup('circuit-breaker: closed, async no-op', 'bare await fn()', [
      { name: 'bare await fn()', async: true, op: () => noop() },
      { name: 'bookingkit circuitBreaker', async: true, op: () => ours.execute(noop) },
      { name: 'cockatiel circuitBreaker', async: true, op: () => cockatiel.execute(noop) },
      { name: 'opossum', async: true, op: () => opossum.fire() },
    ])),
  );
  opossum.shutdown();

  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    console.log(
      '\ncircuit-breaker: Redis state store skipped: REDIS_URL is not set (cached path and round trip not measured)',
    );
    return cases;
  }
  const connection = new Redis(redisUrl);
  const keyPrefix = `bench:${process.pid}:`;
  try {
    const memory = circuitBreaker({ name: 'bench-memory' });
    const store = createRedisBreakerStateStore({ client: ioredisClient(connection), keyPrefix });
    const cached = circuitBreaker({ name: 'bench-redis-cached', store });
    const uncached = circuitBreaker({ name: 'bench-redis-uncached', store, cacheTtlMs: 0 });
    await cached.execute(noop); // first read of the shared state
    await uncached.execute(noop);
    cases.push(
      ...(await measureGroup('circuit-breaker: state store, closed, async no-op', 'memory store', [
        { name: 'memory store', async: true, op: () => memory.execute(noop) },
        {
          name: 'Redis store, cached path (default cacheTtlMs 1,000)',
          async: true,
          op: () => cached.execute(noop),
        },
        {
          name: 'Redis store, round trip per call (cacheTtlMs 0)',
          async: true,
          op: () => uncached.execute(noop),
        },
      ])),
    );
    await cached.sync();
    await uncached.sync();
  } finally {
    const keys = await connection.keys(`${keyPrefix}*`);
    if (keys.length > 0) await connection.del(...keys);
    await connection.quit();
  }
  return cases;
}
