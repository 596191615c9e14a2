import { describe, expect, it } from 'vitest';
import { createMemoryBreakerStateStore } from './memory-breaker-state-store.js';
import type { BreakerStateStore } from './breaker-state-store.js';
import type { Logger } from '../../ports/logger.js';
import { createFakeClock, type FakeClock } from '../../testing/fake-clock.js';
import { isBrokenCircuitError } from '../errors.js';
import type { CircuitBreakerOptions } from './breaker-options.js';
import { circuitBreaker } from './circuit-breaker.js';
import type { CircuitBreaker } from './circuit-breaker-policy.js';
import { consecutiveFailures } from './consecutive-failures.js';
import { deferred } from '../../../test/support/deferred.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');
const boom = (): Promise<never> => Promise.reject(new Error('boom'));

async function failTimes(breaker: CircuitBreaker, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) await expect(breaker.execute(boom)).rejects.toThrow('boom');
}

/** A memory store without `watch`: it behaves like a remote store, whose changes must be read. */
function remoteLikeStore(): BreakerStateStore {
  const { watch: _watch, ...rest } = createMemoryBreakerStateStore();
  return rest;
}

function pair(
  options: Omit<CircuitBreakerOptions, 'clock' | 'store' | 'name'> = {},
  store: BreakerStateStore = remoteLikeStore(),
): { clock: FakeClock; store: BreakerStateStore; a: CircuitBreaker; b: CircuitBreaker } {
  const clock = createFakeClock(T0);
  const make = (instanceId: string) =>
    circuitBreaker({ clock, store, name: 'calcom', instanceId, ...options });
  return { clock, store, a: make('a'), b: make('b') };
}

function warnings(): Logger & { warned: string[] } {
  const warned: string[] = [];
  const ignore = (): void => {};
  return {
    warned,
    trace: ignore,
    debug: ignore,
    info: ignore,
    error: ignore,
    warn: (_object: unknown, message?: unknown) => void warned.push(String(message)),
  };
}

describe('circuitBreaker: state shared through a store', () => {
  it('opens every breaker of the same name when failures through one trip it', async () => {
    const { a, b } = pair({ cacheTtlMs: 0 });
    await failTimes(a, 5);
    const error: unknown = await b.execute(() => 'ran').catch((caught: unknown) => caught);
    expect(isBrokenCircuitError(error) && error.context.reason).toBe('5 consecutive failures');
    expect(b.state).toBe('open');
  });

  it('sees another instance change only once its cached copy expires', async () => {
    const { clock, a, b } = pair({ cacheTtlMs: 1_000 });
    await b.execute(() => 'warm');
    await failTimes(a, 5);
    await expect(b.execute(() => 'still closed here')).resolves.toBe('still closed here');
    await clock.advance(1_000);
    await expect(b.execute(() => 'ran')).rejects.toThrow(/open/);
  });

  it('reads the shared state again when its state is read after the cached copy expired, without a call', async () => {
    const { clock, a, b } = pair({ cacheTtlMs: 1_000 });
    await b.execute(() => 'warm');
    await failTimes(a, 5);
    expect(b.state).toBe('closed'); // its copy is still fresh
    await clock.advance(1_000);
    // A readiness check polls the state of an instance that makes no calls: the first read after
    // the copy expired answers the copy and reads the store, the next one answers what it read.
    expect(b.state).toBe('closed');
    await clock.advance(0);
    expect(b.state).toBe('open');
    await a.reset();
    await clock.advance(1_000);
    expect(b.state).toBe('open');
    await clock.advance(0);
    expect(b.state).toBe('closed');
  });

  it('sees a change at once, however long the cache, when the store pushes changes', async () => {
    const { a, b } = pair({ cacheTtlMs: 3_600_000 }, createMemoryBreakerStateStore());
    await b.execute(() => 'warm');
    const seen: string[] = [];
    b.onStateChange(({ to }) => seen.push(to));
    await failTimes(a, 5);
    expect(seen).toEqual(['open']);
    await expect(b.execute(() => 'ran')).rejects.toThrow(/open/);
  });

  it('writes successes to a store that pushes changes every maxBatch calls, without reading the clock', async () => {
    const clock = createFakeClock(T0);
    let reads = 0;
    const counting = { ...clock, now: () => ((reads += 1), clock.now()) };
    const store = createMemoryBreakerStateStore();
    const breaker = circuitBreaker({ clock: counting, store, name: 'calcom', maxBatch: 4 });
    await breaker.execute(() => 'first');
    const afterFirst = reads;
    for (let i = 0; i < 7; i += 1) await breaker.execute(() => i);
    expect(reads).toBe(afterFirst);
    const { stats } = await store.record('calcom', {
      generation: 0,
      window: { kind: 'count', size: 5 },
      instance: 'probe',
      runs: [],
    });
    expect(stats.calls).toBe(5); // 8 successes, written in batches of 4, in a window of 5
  });

  it('counts failures from every instance in one window', async () => {
    const { a, b } = pair({ cacheTtlMs: 0 });
    await failTimes(a, 2);
    await failTimes(b, 2);
    await failTimes(a, 1);
    expect(a.state).toBe('open');
    await expect(b.execute(() => 'ran')).rejects.toThrow(/open/);
  });

  it('needs failures from the quorum of instances: one sick instance cannot trip the rest', async () => {
    const { a, b } = pair({ cacheTtlMs: 0, minInstances: 2 });
    await failTimes(a, 12);
    expect(a.state).toBe('closed');
    await failTimes(b, 1);
    expect(b.state).toBe('open');
    const error: unknown = await a.execute(() => 'ran').catch((caught: unknown) => caught);
    expect(isBrokenCircuitError(error) && error.context.reason).toBe(
      '5 consecutive failures from 2 instances',
    );
  });

  it('shares the half-open probe permits between instances', async () => {
    const { clock, a, b } = pair({ cacheTtlMs: 0, halfOpenMaxProbes: 1 });
    await failTimes(a, 5);
    await clock.advance(60_000);
    let release!: (value: string) => void;
    const probe = a.execute(() => new Promise<string>((resolve) => (release = resolve)));
    await clock.advance(0);
    const error: unknown = await b.execute(() => 'second probe').catch((caught: unknown) => caught);
    expect(isBrokenCircuitError(error) && error.context.state).toBe('half-open');
    release('first probe');
    await expect(probe).resolves.toBe('first probe');
    await expect(b.execute(() => 'second probe')).resolves.toBe('second probe');
    expect(b.state).toBe('closed');
  });

  it('lets the caller that ends the open period run the first probe, though a peer asks while its change is on the wire', async () => {
    const inner = remoteLikeStore();
    const answer = deferred();
    const store: BreakerStateStore = {
      ...inner,
      // The store applies the half-open change at once, but its answer reaches the caller late.
      async transition(key, change) {
        const result = await inner.transition(key, change);
        if (change.state === 'half-open') await answer.promise;
        return result;
      },
    };
    const { clock, a, b } = pair({ cacheTtlMs: 0, halfOpenMaxProbes: 1 }, store);
    await failTimes(a, 5);
    await clock.advance(60_000);
    const ran: string[] = [];
    const call = (breaker: CircuitBreaker, name: string) =>
      breaker.execute(() => {
        ran.push(name);
        return name;
      });
    const first = call(a, 'first');
    await clock.advance(0);
    expect((await inner.read('calcom')).state).toBe('half-open');
    const second = await call(b, 'second').catch((caught: unknown) => caught);
    answer.resolve();
    await expect(first).resolves.toBe('first');
    expect(ran).toEqual(['first']);
    expect(isBrokenCircuitError(second) && second.context.state).toBe('half-open');
  });

  it('still probes through a store that ignores the permit asked for with the half-open change', async () => {
    const inner = remoteLikeStore();
    const store: BreakerStateStore = {
      ...inner,
      transition: (key, { probe: _probe, ...change }) => inner.transition(key, change),
    };
    const { clock, a } = pair({ cacheTtlMs: 0, halfOpenSuccessThreshold: 1 }, store);
    await failTimes(a, 5);
    await clock.advance(60_000);
    await expect(a.execute(() => 'probe')).resolves.toBe('probe');
    expect(a.state).toBe('closed');
    expect((await store.read('calcom')).probes).toBe(0);
  });

  it('writes successes in batches, and failures at once after the successes before them', async () => {
    const { clock, store, a } = pair({
      policy: consecutiveFailures(3),
      maxBatch: 3,
      flushIntervalMs: 10_000,
    });
    const windowCalls = async (): Promise<number> =>
      (
        await store.record('calcom', {
          generation: 0,
          window: { kind: 'count', size: 3 },
          instance: 'probe',
          runs: [],
        })
      ).stats.calls;
    await a.execute(() => 1);
    await a.execute(() => 2);
    expect(await windowCalls()).toBe(0);
    await a.execute(() => 3);
    await clock.advance(0);
    expect(await windowCalls()).toBe(3);
    await a.execute(() => 4);
    await failTimes(a, 2);
    expect(a.state).toBe('closed'); // the success between counts: s f f
    await failTimes(a, 1);
    expect(a.state).toBe('open');
  });

  it('writes waiting successes on the first call after the flush interval, and on sync()', async () => {
    const { clock, store, a } = pair({ maxBatch: 1_000, flushIntervalMs: 5_000 });
    const windowCalls = async (): Promise<number> =>
      (
        await store.record('calcom', {
          generation: 0,
          window: { kind: 'count', size: 5 },
          instance: 'probe',
          runs: [],
        })
      ).stats.calls;
    await a.execute(() => 1);
    await clock.advance(5_000);
    await a.execute(() => 2);
    await clock.advance(0);
    expect(await windowCalls()).toBe(2);
    await a.execute(() => 3);
    expect((await a.sync()).state).toBe('closed');
    expect(await windowCalls()).toBe(3);
  });
});

describe('circuitBreaker: a failing store', () => {
  const failingStore = (): BreakerStateStore => {
    const down = (): Promise<never> => Promise.reject(new Error('ECONNREFUSED'));
    return { read: down, record: down, transition: down, acquireProbe: down, settleProbe: down };
  };

  it('lets calls through on its last known state and logs the store errors', async () => {
    const clock = createFakeClock(T0);
    const logger = warnings();
    const breaker = circuitBreaker({ clock, store: failingStore(), name: 'calcom', logger });
    await expect(breaker.execute(() => 'served')).resolves.toBe('served');
    await failTimes(breaker, 6);
    expect(breaker.state).toBe('closed');
    expect(logger.warned.some((message) => message.includes('could not read the state'))).toBe(true);
    expect(logger.warned.some((message) => message.includes('could not record an outcome'))).toBe(true);
  });

  it('abandons a store operation that does not answer within storeTimeoutMs', async () => {
    const clock = createFakeClock(T0);
    const logger = warnings();
    const hang = (): Promise<never> => new Promise<never>(() => {});
    const store = { read: hang, record: hang, transition: hang, acquireProbe: hang, settleProbe: hang };
    const breaker = circuitBreaker({ clock, store, name: 'calcom', logger, storeTimeoutMs: 250 });
    const call = breaker.execute(() => 'served');
    await clock.advance(249);
    expect(logger.warned).toHaveLength(0);
    await clock.advance(1);
    await expect(call).resolves.toBe('served');
    expect(logger.warned).toHaveLength(1);
  });

  it('throws store errors from the manual controls, which have no one else to tell', async () => {
    const breaker = circuitBreaker({ clock: createFakeClock(T0), store: failingStore(), name: 'calcom' });
    await expect(breaker.isolate()).rejects.toThrow('ECONNREFUSED');
    await expect(breaker.sync()).rejects.toThrow('ECONNREFUSED');
  });
});
