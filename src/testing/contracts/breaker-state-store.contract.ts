import assert from 'node:assert/strict';
import {
  INITIAL_BREAKER_SNAPSHOT,
  type BreakerStateStore,
  type BreakerTransition,
  type OutcomeBatch,
  type OutcomeRun,
  type WindowSpec,
} from '../../resilience/breaker/breaker-state-store.js';
import { useSubject, type ContractFactory, type ContractTestApi } from './test-api.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');
const COUNT_10: WindowSpec = { kind: 'count', size: 10 };
const TIME_60S: WindowSpec = { kind: 'time', durationMs: 60_000, buckets: 6 };

function batch(
  generation: number,
  runs: readonly OutcomeRun[],
  overrides: Partial<OutcomeBatch> = {},
): OutcomeBatch {
  return { generation, window: COUNT_10, instance: 'i1', runs, ...overrides };
}

function run(kind: OutcomeRun['kind'], count = 1, at = T0): OutcomeRun {
  return { kind, count, at };
}

function change(expectedGeneration: number, overrides: Partial<BreakerTransition> = {}): BreakerTransition {
  return {
    expectedGeneration,
    state: 'open',
    since: T0,
    until: T0 + 60_000,
    opens: 1,
    reason: '5 consecutive failures',
    ...overrides,
  };
}

/** What a store under test declares about itself. */
export interface BreakerStateStoreCapabilities {
  /** The store implements `watch` (pushes changes). @default false */
  readonly watches?: boolean;
}

/**
 * The {@link BreakerStateStore} contract: every adapter (memory, Redis, ...) must pass it. Each
 * test uses its own breaker key, so the factory may hand out a store over a shared server.
 *
 * @example
 * ```ts
 * import { describe, it, beforeEach, afterEach } from 'vitest';
 * import { breakerStateStoreContract } from 'bookingkit/testing';
 * breakerStateStoreContract({ describe, it, beforeEach, afterEach }, 'memory', () => createMemoryBreakerStateStore(), { watches: true });
 * ```
 */
export function breakerStateStoreContract(
  api: ContractTestApi,
  name: string,
  factory: ContractFactory<BreakerStateStore>,
  capabilities: BreakerStateStoreCapabilities = {},
): void {
  api.describe(`BreakerStateStore contract: ${name}`, () => {
    const store = useSubject(api, factory);
    let counter = 0;
    let key = '';
    api.beforeEach(() => {
      counter += 1;
      key = `breaker-${counter}-${Math.random().toString(36).slice(2, 8)}`;
    });

    /** Opens then half-opens the breaker; returns the half-open generation. */
    const halfOpen = async (): Promise<number> => {
      await store().transition(key, change(0));
      const { snapshot } = await store().transition(
        key,
        change(1, { state: 'half-open', until: T0 + 120_000 }),
      );
      return snapshot.generation;
    };

    api.it('reads a breaker it has never seen as closed at generation 0', async () => {
      assert.deepEqual(await store().read(key), INITIAL_BREAKER_SNAPSHOT);
    });

    api.it('applies a transition from the current generation and bumps the generation', async () => {
      const result = await store().transition(key, change(0, { reason: 'failure rate 60% – «Cal.com»' }));
      assert.equal(result.applied, true);
      const expected = {
        state: 'open',
        generation: 1,
        since: T0,
        until: T0 + 60_000,
        opens: 1,
        probes: 0,
        probeSuccesses: 0,
        reason: 'failure rate 60% – «Cal.com»',
      };
      assert.deepEqual(result.snapshot, expected);
      assert.deepEqual(await store().read(key), expected);
    });

    api.it('keeps null until and reason as null', async () => {
      await store().transition(key, change(0));
      const { snapshot } = await store().transition(
        key,
        change(1, { state: 'closed', until: null, reason: null, opens: 0 }),
      );
      assert.equal(snapshot.until, null);
      assert.equal(snapshot.reason, null);
      assert.deepEqual(await store().read(key), snapshot);
    });

    api.it('refuses a transition from a stale generation and returns the current snapshot', async () => {
      await store().transition(key, change(0));
      const result = await store().transition(key, change(0, { state: 'isolated', until: null }));
      assert.equal(result.applied, false);
      assert.equal(result.snapshot.state, 'open');
      assert.equal(result.snapshot.generation, 1);
    });

    api.it('applies exactly one of many concurrent transitions from the same generation', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store().transition(key, change(0, { since: T0 + i }))),
      );
      assert.equal(results.filter((r) => r.applied).length, 1);
      assert.equal((await store().read(key)).generation, 1);
    });

    api.it('records outcomes in a count window and reports its counts', async () => {
      const result = await store().record(key, batch(0, [run('success', 3), run('failure'), run('slow')]));
      assert.equal(result.recorded, true);
      assert.deepEqual(result.stats, { calls: 5, failures: 1, slowCalls: 1, failingInstances: 1 });
      assert.equal(result.snapshot.state, 'closed');
    });

    api.it('keeps only the last `size` outcomes in a count window', async () => {
      await store().record(key, batch(0, [run('failure', 4)], { instance: 'sick' }));
      const result = await store().record(key, batch(0, [run('success', 8)], { instance: 'healthy' }));
      assert.deepEqual(result.stats, { calls: 10, failures: 2, slowCalls: 0, failingInstances: 1 });
      const later = await store().record(key, batch(0, [run('success', 2)]));
      assert.deepEqual(later.stats, { calls: 10, failures: 0, slowCalls: 0, failingInstances: 0 });
    });

    api.it('fills a count window with the tail of a run longer than the window', async () => {
      await store().record(key, batch(0, [run('failure', 3)]));
      const result = await store().record(key, batch(0, [run('success', 25_000)]));
      assert.deepEqual(result.stats, { calls: 10, failures: 0, slowCalls: 0, failingInstances: 0 });
    });

    api.it('counts the distinct instances that reported failures or slow calls', async () => {
      await store().record(key, batch(0, [run('failure')], { instance: 'a' }));
      await store().record(key, batch(0, [run('failure', 2)], { instance: 'b' }));
      const result = await store().record(key, batch(0, [run('slow'), run('success')], { instance: 'c' }));
      assert.deepEqual(result.stats, { calls: 5, failures: 3, slowCalls: 1, failingInstances: 3 });
    });

    api.it('drops a batch for another generation or for a breaker that is not closed', async () => {
      const stale = await store().record(key, batch(3, [run('failure')]));
      assert.equal(stale.recorded, false);
      assert.deepEqual(stale.stats, { calls: 0, failures: 0, slowCalls: 0, failingInstances: 0 });
      await store().transition(key, change(0));
      const open = await store().record(key, batch(1, [run('failure')]));
      assert.equal(open.recorded, false);
      assert.equal(open.snapshot.state, 'open');
    });

    api.it('starts an empty window after every transition', async () => {
      await store().record(key, batch(0, [run('failure', 3)]));
      await store().transition(key, change(0, { state: 'closed', until: null, opens: 0, reason: null }));
      const result = await store().record(key, batch(1, [run('success')]));
      assert.deepEqual(result.stats, { calls: 1, failures: 0, slowCalls: 0, failingInstances: 0 });
    });

    api.it('starts an empty window when the window spec changes', async () => {
      await store().record(key, batch(0, [run('failure', 3)]));
      const result = await store().record(
        key,
        batch(0, [run('success')], { window: { kind: 'count', size: 20 } }),
      );
      assert.deepEqual(result.stats, { calls: 1, failures: 0, slowCalls: 0, failingInstances: 0 });
    });

    api.it('drops whole slices of a time window once they are older than its duration', async () => {
      const timed = (runs: OutcomeRun[], instance = 'i1') =>
        store().record(key, batch(0, runs, { window: TIME_60S, instance }));
      await timed([run('failure', 2, T0)], 'early');
      await timed([run('success', 3, T0 + 30_000)]);
      const within = await timed([run('slow', 1, T0 + 59_000)], 'late');
      assert.deepEqual(within.stats, { calls: 6, failures: 2, slowCalls: 1, failingInstances: 2 });
      const after = await timed([run('success', 1, T0 + 61_000)]);
      assert.deepEqual(after.stats, { calls: 5, failures: 0, slowCalls: 1, failingInstances: 1 });
      const much = await timed([run('success', 1, T0 + 600_000)]);
      assert.deepEqual(much.stats, { calls: 1, failures: 0, slowCalls: 0, failingInstances: 0 });
    });

    api.it('grants probe permits only in half-open, up to the maximum', async () => {
      const closed = await store().acquireProbe(key, { generation: 0, maxProbes: 1 });
      assert.equal(closed.ok, false);
      const generation = await halfOpen();
      assert.equal((await store().acquireProbe(key, { generation, maxProbes: 2 })).ok, true);
      const second = await store().acquireProbe(key, { generation, maxProbes: 2 });
      assert.equal(second.ok, true);
      assert.equal(second.snapshot.probes, 2);
      assert.equal((await store().acquireProbe(key, { generation, maxProbes: 2 })).ok, false);
      assert.equal((await store().acquireProbe(key, { generation: generation - 1, maxProbes: 5 })).ok, false);
    });

    api.it('grants exactly `maxProbes` permits to many concurrent requests', async () => {
      const generation = await halfOpen();
      const results = await Promise.all(
        Array.from({ length: 12 }, () => store().acquireProbe(key, { generation, maxProbes: 3 })),
      );
      assert.equal(results.filter((r) => r.ok).length, 3);
      assert.equal((await store().read(key)).probes, 3);
    });

    api.it('hands the first probe permit to the caller of a half-open change that asks for it', async () => {
      await store().transition(key, change(0));
      const moved = await store().transition(
        key,
        change(1, { state: 'half-open', until: T0 + 120_000, probe: true }),
      );
      assert.equal(moved.applied, true);
      assert.equal(moved.snapshot.probes, 1);
      const { generation } = moved.snapshot;
      assert.equal((await store().acquireProbe(key, { generation, maxProbes: 1 })).ok, false);
      const settled = await store().settleProbe(key, { generation, success: true });
      assert.deepEqual([settled.snapshot.probes, settled.snapshot.probeSuccesses], [0, 1]);
      const closed = await store().transition(
        key,
        change(generation, { state: 'closed', until: null, opens: 0, probe: true }),
      );
      assert.equal(closed.snapshot.probes, 0);
    });

    api.it('returns a permit on settle and counts successful probes', async () => {
      const generation = await halfOpen();
      await store().acquireProbe(key, { generation, maxProbes: 1 });
      const first = await store().settleProbe(key, { generation, success: true });
      assert.equal(first.ok, true);
      assert.equal(first.snapshot.probes, 0);
      assert.equal(first.snapshot.probeSuccesses, 1);
      await store().acquireProbe(key, { generation, maxProbes: 1 });
      const failed = await store().settleProbe(key, { generation, success: false });
      assert.equal(failed.snapshot.probes, 0);
      assert.equal(failed.snapshot.probeSuccesses, 1);
    });

    api.it('ignores a settle for another generation and resets probes on transition', async () => {
      const generation = await halfOpen();
      await store().acquireProbe(key, { generation, maxProbes: 1 });
      const stale = await store().settleProbe(key, { generation: generation + 5, success: true });
      assert.equal(stale.ok, false);
      assert.equal(stale.snapshot.probes, 1);
      const { snapshot } = await store().transition(
        key,
        change(generation, { state: 'closed', until: null, opens: 0, reason: '2 successful probes' }),
      );
      assert.equal(snapshot.probes, 0);
      assert.equal(snapshot.probeSuccesses, 0);
    });

    if (capabilities.watches === true) {
      api.it('pushes every change of a key to its watchers until they unsubscribe', async () => {
        const watch = store().watch?.bind(store());
        assert.ok(watch, 'the store declares that it watches, but has no watch method');
        const seen: string[] = [];
        const controller = new AbortController();
        const subscription = watch(key, (snapshot) =>
          seen.push(`${snapshot.state}@${snapshot.generation}/${snapshot.probes}`),
        );
        watch(`${key}-other`, (snapshot) => seen.push(`other ${snapshot.state}`));
        watch(key, () => seen.push('aborted watcher'), { signal: controller.signal });
        controller.abort();
        const generation = await halfOpen();
        await store().acquireProbe(key, { generation, maxProbes: 1 });
        await store().record(key, batch(generation, [run('failure')]));
        subscription.dispose();
        await store().settleProbe(key, { generation, success: true });
        assert.deepEqual(seen, ['open@1/0', 'half-open@2/0', 'half-open@2/1']);
      });
    } else {
      api.it('declares no watch method, so breakers know to re-read it', () => {
        assert.equal(typeof store().watch, 'undefined');
      });
    }

    api.it('keeps breakers of different keys apart', async () => {
      await store().transition(key, change(0));
      assert.deepEqual(await store().read(`${key}-other`), INITIAL_BREAKER_SNAPSHOT);
    });

    api.it('rejects at once when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      const { signal } = controller;
      await assert.rejects(store().read(key, { signal }), /stop/);
      await assert.rejects(store().record(key, batch(0, [run('failure')], { signal })), /stop/);
      await assert.rejects(store().transition(key, change(0, { signal })), /stop/);
      await assert.rejects(store().acquireProbe(key, { generation: 0, maxProbes: 1, signal }), /stop/);
      await assert.rejects(store().settleProbe(key, { generation: 0, success: true, signal }), /stop/);
      assert.deepEqual(await store().read(key), INITIAL_BREAKER_SNAPSHOT);
    });
  });
}
