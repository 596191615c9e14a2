import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisBreakerStateStore } from '../../src/adapters/redis/redis-breaker-state-store.js';
import { ioredisClient } from '../../src/adapters/redis/redis-client.js';
import { circuitBreaker } from '../../src/resilience/breaker/circuit-breaker.js';
import type { CircuitBreaker } from '../../src/resilience/breaker/circuit-breaker-policy.js';
import type { CircuitBreakerOptions } from '../../src/resilience/breaker/breaker-options.js';
import { countWindow } from '../../src/resilience/breaker/count-window.js';
import { isBrokenCircuitError } from '../../src/resilience/errors.js';
import { createFakeClock, type FakeClock } from '../../src/testing/fake-clock.js';
import { redisSkipReason, redisUrl, uniqueName } from '../support/servers.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');
const boom = (): Promise<never> => Promise.reject(new Error('Cal.com 503'));

async function failTimes(breaker: CircuitBreaker, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) await expect(breaker.execute(boom)).rejects.toThrow('Cal.com 503');
}

/** Lets the event loop turn (Redis replies arrive) until `condition` holds, or gives up after many turns. */
async function eventLoopUntil(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100_000 && !condition(); turn += 1)
    await new Promise((resolve) => setImmediate(resolve));
}

async function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => value,
    (error: unknown) => error,
  );
}

describe.skipIf(!redisUrl)(`circuit breaker state shared through Redis ${redisSkipReason ?? ''}`, () => {
  let connections: Redis[];
  let keyPrefix: string;
  let clock: FakeClock;

  beforeEach(() => {
    connections = [new Redis(redisUrl!), new Redis(redisUrl!)];
    keyPrefix = `${uniqueName('breaker')}:`;
    clock = createFakeClock(T0);
  });

  afterEach(async () => {
    const [first] = connections;
    const keys = await first!.keys(`${keyPrefix}*`);
    if (keys.length > 0) await first!.del(...keys);
    await Promise.all(connections.map((connection) => connection.quit()));
  });

  /** Two instances of one service: same breaker name, separate Redis connections. */
  function instances(
    options: Omit<CircuitBreakerOptions, 'clock' | 'store' | 'name' | 'instanceId'> = {},
  ): [CircuitBreaker, CircuitBreaker] {
    const make = (connection: Redis, instanceId: string) =>
      circuitBreaker({
        name: 'calcom',
        instanceId,
        clock,
        cacheTtlMs: 0,
        store: createRedisBreakerStateStore({ client: ioredisClient(connection), keyPrefix }),
        ...options,
      });
    return [make(connections[0]!, 'api-1'), make(connections[1]!, 'api-2')];
  }

  it('opens both instances when failures through one of them trip the breaker', async () => {
    const [a, b] = instances();
    await expect(b.execute(() => 'ok')).resolves.toBe('ok');
    await failTimes(a, 5);
    let ran = false;
    const error = await outcome(b.execute(() => (ran = true)));
    expect(ran).toBe(false);
    expect(isBrokenCircuitError(error) && error.context).toEqual({
      breaker: 'calcom',
      state: 'open',
      retryAt: T0 + 60_000,
      retryAfterMs: 60_000,
      reason: '5 consecutive failures',
    });
  });

  it('counts the failures of both instances in one window', async () => {
    const [a, b] = instances();
    await failTimes(a, 2);
    await failTimes(b, 2);
    await failTimes(a, 1);
    expect(isBrokenCircuitError(await outcome(b.execute(() => 'ok')))).toBe(true);
  });

  it('runs only the permitted number of probes across both instances, then closes both', async () => {
    const [a, b] = instances({ halfOpenMaxProbes: 2, halfOpenSuccessThreshold: 2 });
    await failTimes(a, 5);
    await clock.advance(60_000);
    const releases: (() => void)[] = [];
    const probe = () => new Promise<string>((resolve) => releases.push(() => resolve('probed')));
    let settled = 0;
    const calls = [a, b, a, b, a, b].map((breaker) =>
      outcome(breaker.execute(probe)).finally(() => (settled += 1)),
    );
    await eventLoopUntil(() => settled === 4);
    expect(releases).toHaveLength(2);
    for (const release of releases) release();
    const results = await Promise.all(calls);
    expect(results.filter((r) => r === 'probed')).toHaveLength(2);
    expect(results.filter((r) => isBrokenCircuitError(r) && r.context.state === 'half-open')).toHaveLength(4);
    await expect(a.execute(() => 'closed for a')).resolves.toBe('closed for a');
    await expect(b.execute(() => 'closed for b')).resolves.toBe('closed for b');
    expect([a.state, b.state]).toEqual(['closed', 'closed']);
  });

  it('holds the quorum: failures from one instance alone never open the breaker', async () => {
    const [a, b] = instances({ minInstances: 2 });
    await failTimes(a, 15);
    expect((await b.sync()).state).toBe('closed');
    await failTimes(b, 1);
    const error = await outcome(a.execute(() => 'ok'));
    expect(isBrokenCircuitError(error) && error.context.reason).toBe(
      '5 consecutive failures from 2 instances',
    );
  });

  it('opens exactly once when many calls fail at the same time on both instances', async () => {
    const [a, b] = instances({ policy: countWindow({ size: 10, minimumCalls: 5 }) });
    const opened: number[] = [];
    a.onStateChange(({ to, snapshot }) => to === 'open' && opened.push(snapshot.generation));
    b.onStateChange(({ to, snapshot }) => to === 'open' && opened.push(snapshot.generation));
    await Promise.all(Array.from({ length: 30 }, (_, i) => outcome((i % 2 ? a : b).execute(boom))));
    expect(new Set(opened)).toEqual(new Set([1]));
    expect((await a.sync()).generation).toBe(1);
  });

  it('reads the shared state through the local cache, refreshing it after cacheTtlMs', async () => {
    const [a, b] = instances({ cacheTtlMs: 2_000 });
    await b.execute(() => 'warm the cache');
    await failTimes(a, 5);
    await expect(b.execute(() => 'served from the cached closed state')).resolves.toBe(
      'served from the cached closed state',
    );
    await clock.advance(2_000);
    expect(isBrokenCircuitError(await outcome(b.execute(() => 'ok')))).toBe(true);
  });

  it('isolates every instance from one of them, until reset', async () => {
    const [a, b] = instances();
    await a.isolate({ reason: 'Cal.com incident #42' });
    const error = await outcome(b.execute(() => 'ok'));
    expect(isBrokenCircuitError(error) && error.context.state).toBe('isolated');
    await b.reset();
    await expect(a.execute(() => 'ok')).resolves.toBe('ok');
  });
});
