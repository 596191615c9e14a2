import {
  EMPTY_WINDOW_STATS,
  INITIAL_BREAKER_SNAPSHOT,
  type BreakerSnapshot,
  type BreakerStateStore,
  type BreakerTransition,
  type OutcomeBatch,
  type OutcomeKind,
  type ProbeRequest,
  type ProbeResult,
  type ProbeSettlement,
  type RecordResult,
  type TransitionResult,
  type WindowSpec,
  type WindowStats,
} from './breaker-state-store.js';
import { onAbort, throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { toDisposable, type Disposable } from '../../util/disposable.js';

/** A window kept in memory: outcomes go in, counts come out. */
interface MemoryWindow {
  /** Adds `count` outcomes of one kind observed at `at`. */
  add(kind: OutcomeKind, count: number, instance: string, at: number): void;
  stats(): WindowStats;
}

const SUCCESS = 0;
const FAILURE = 1;
const SLOW = 2;
const KIND_CODE: Record<OutcomeKind, number> = { success: SUCCESS, failure: FAILURE, slow: SLOW };

/** The last `size` outcomes, in a ring. */
function countWindow(size: number): MemoryWindow {
  const kinds = new Uint8Array(size);
  const instances: (string | undefined)[] = new Array<string | undefined>(size);
  const badByInstance = new Map<string, number>();
  let next = 0;
  let length = 0;
  let failures = 0;
  let slowCalls = 0;

  const adjust = (code: number, instance: string | undefined, delta: number): void => {
    if (code === FAILURE) failures += delta;
    else if (code === SLOW) slowCalls += delta;
    if (code === SUCCESS || instance === undefined) return;
    const left = (badByInstance.get(instance) ?? 0) + delta;
    if (left > 0) badByInstance.set(instance, left);
    else badByInstance.delete(instance);
  };

  return {
    add(kind, count, instance) {
      const code = KIND_CODE[kind];
      // Only the last `size` outcomes of a run can remain in the window.
      for (let i = Math.min(count, size); i > 0; i -= 1) {
        if (length === size) adjust(kinds[next] ?? SUCCESS, instances[next], -1);
        else length += 1;
        kinds[next] = code;
        instances[next] = code === SUCCESS ? undefined : instance;
        adjust(code, instance, 1);
        next = (next + 1) % size;
      }
    },
    stats: () => ({ calls: length, failures, slowCalls, failingInstances: badByInstance.size }),
  };
}

interface Bucket {
  calls: number;
  failures: number;
  slowCalls: number;
}

/** The outcomes of the last `durationMs`, in `buckets` slices that drop out whole. */
function timeWindow(durationMs: number, bucketCount: number): MemoryWindow {
  const width = Math.ceil(durationMs / bucketCount);
  const buckets = new Map<number, Bucket>();
  const lastBadSlice = new Map<string, number>();
  let newest = Number.NEGATIVE_INFINITY;

  const live = (slice: number): boolean => slice > newest - bucketCount;

  return {
    add(kind, count, instance, at) {
      const slice = Math.floor(at / width);
      newest = Math.max(newest, slice);
      if (!live(slice)) return;
      let bucket = buckets.get(slice);
      if (!bucket) buckets.set(slice, (bucket = { calls: 0, failures: 0, slowCalls: 0 }));
      bucket.calls += count;
      if (kind === 'success') return;
      if (kind === 'failure') bucket.failures += count;
      else bucket.slowCalls += count;
      lastBadSlice.set(instance, Math.max(slice, lastBadSlice.get(instance) ?? slice));
    },
    stats() {
      let calls = 0;
      let failures = 0;
      let slowCalls = 0;
      for (const [slice, bucket] of buckets) {
        if (!live(slice)) {
          buckets.delete(slice);
          continue;
        }
        calls += bucket.calls;
        failures += bucket.failures;
        slowCalls += bucket.slowCalls;
      }
      for (const [instance, slice] of lastBadSlice) if (!live(slice)) lastBadSlice.delete(instance);
      return { calls, failures, slowCalls, failingInstances: lastBadSlice.size };
    },
  };
}

function specKey(spec: WindowSpec): string {
  return spec.kind === 'count' ? `count:${spec.size}` : `time:${spec.durationMs}:${spec.buckets}`;
}

function makeWindow(spec: WindowSpec): MemoryWindow {
  return spec.kind === 'count' ? countWindow(spec.size) : timeWindow(spec.durationMs, spec.buckets);
}

interface Entry {
  snapshot: BreakerSnapshot;
  spec: string | undefined;
  window: MemoryWindow | undefined;
  watchers: readonly ((snapshot: BreakerSnapshot) => void)[];
}

/**
 * The embedded {@link BreakerStateStore}: a real implementation of the contract, kept in process
 * memory. It is every breaker's default (each breaker gets its own); share one between breakers
 * of the same process to make them one breaker, or use the Redis store to share state between
 * processes.
 *
 * @example
 * ```ts
 * const store = createMemoryBreakerStateStore();
 * const a = circuitBreaker({ name: 'calcom', store });
 * const b = circuitBreaker({ name: 'calcom', store }); // same breaker state as `a`
 * ```
 */
export function createMemoryBreakerStateStore(): BreakerStateStore {
  const entries = new Map<string, Entry>();

  const entry = (key: string): Entry => {
    let found = entries.get(key);
    if (!found)
      entries.set(
        key,
        (found = { snapshot: INITIAL_BREAKER_SNAPSHOT, spec: undefined, window: undefined, watchers: [] }),
      );
    return found;
  };

  const update = (target: Entry, changes: Partial<BreakerSnapshot>): BreakerSnapshot => {
    const snapshot = Object.freeze({ ...target.snapshot, ...changes });
    target.snapshot = snapshot;
    for (const watcher of target.watchers) {
      try {
        watcher(snapshot);
      } catch (error) {
        // Like an EventTarget listener's error: reported as uncaught, never failing the update.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
    return snapshot;
  };

  return {
    async read(key: string, options: OperationOptions = {}): Promise<BreakerSnapshot> {
      throwIfAborted(options.signal);
      return entries.get(key)?.snapshot ?? INITIAL_BREAKER_SNAPSHOT;
    },

    async record(key: string, batch: OutcomeBatch): Promise<RecordResult> {
      throwIfAborted(batch.signal);
      const target = entry(key);
      const { snapshot } = target;
      if (snapshot.generation !== batch.generation || snapshot.state !== 'closed') {
        return { recorded: false, snapshot, stats: EMPTY_WINDOW_STATS };
      }
      const spec = specKey(batch.window);
      if (target.spec !== spec || !target.window) {
        target.spec = spec;
        target.window = makeWindow(batch.window);
      }
      for (const run of batch.runs) target.window.add(run.kind, run.count, batch.instance, run.at);
      return { recorded: true, snapshot, stats: target.window.stats() };
    },

    async transition(key: string, change: BreakerTransition): Promise<TransitionResult> {
      throwIfAborted(change.signal);
      const target = entry(key);
      if (target.snapshot.generation !== change.expectedGeneration)
        return { applied: false, snapshot: target.snapshot };
      target.window = undefined;
      target.spec = undefined;
      const snapshot = update(target, {
        state: change.state,
        generation: target.snapshot.generation + 1,
        since: change.since,
        until: change.until,
        opens: change.opens,
        probes: change.probe === true && change.state === 'half-open' ? 1 : 0,
        probeSuccesses: 0,
        reason: change.reason,
      });
      return { applied: true, snapshot };
    },

    async acquireProbe(key: string, request: ProbeRequest): Promise<ProbeResult> {
      throwIfAborted(request.signal);
      const target = entry(key);
      const { snapshot } = target;
      if (
        snapshot.state !== 'half-open' ||
        snapshot.generation !== request.generation ||
        snapshot.probes >= request.maxProbes
      ) {
        return { ok: false, snapshot };
      }
      return { ok: true, snapshot: update(target, { probes: snapshot.probes + 1 }) };
    },

    async settleProbe(key: string, settlement: ProbeSettlement): Promise<ProbeResult> {
      throwIfAborted(settlement.signal);
      const target = entry(key);
      const { snapshot } = target;
      if (snapshot.state !== 'half-open' || snapshot.generation !== settlement.generation)
        return { ok: false, snapshot };
      const probeSuccesses = snapshot.probeSuccesses + (settlement.success ? 1 : 0);
      return {
        ok: true,
        snapshot: update(target, { probes: Math.max(0, snapshot.probes - 1), probeSuccesses }),
      };
    },

    watch(
      key: string,
      listener: (snapshot: BreakerSnapshot) => void,
      opts: OperationOptions = {},
    ): Disposable {
      const target = entry(key);
      let unlink = (): void => {};
      const subscription = toDisposable(() => {
        target.watchers = target.watchers.filter((w) => w !== listener);
        unlink();
      });
      if (opts.signal?.aborted) return subscription;
      target.watchers = [...target.watchers, listener];
      unlink = onAbort(opts.signal, () => subscription.dispose());
      return subscription;
    },
  };
}
