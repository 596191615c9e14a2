/**
 * Overhead of a closed circuit breaker around an async no-op: bookingkit against a bare
 * `await fn()`, cockatiel and opossum, in one run (ratios to the bare call). Then the throughput of
 * bookingkit's breaker with its state in Redis as a ratio of the same breaker with the memory store
 * (skipped, with a note, when REDIS_URL is not set).
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
    console.log('\ncircuit-breaker: Redis state skipped (REDIS_URL is not set)');
    return cases;
  }
  const connection = new Redis(redisUrl);
  const keyPrefix = `bench:${process.pid}:`;
  try {
    const memory = circuitBreaker({ name: 'bench-memory' });
    const shared = circuitBreaker({
      name: 'bench-redis',
      store: createRedisBreakerStateStore({ client: ioredisClient(connection), keyPrefix }),
    });
    await shared.execute(noop); // first read of the shared state
    cases.push(
      ...(await measureGroup('circuit-breaker: state store, closed, async no-op', 'memory store', [
        { name: 'memory store', async: true, op: () => memory.execute(noop) },
        { name: 'Redis store (shared state)', async: true, op: () => shared.execute(noop) },
      ])),
    );
    await shared.sync();
  } finally {
    const keys = await connection.keys(`${keyPrefix}*`);
    if (keys.length > 0) await connection.del(...keys);
    await connection.quit();
  }
  return cases;
}
