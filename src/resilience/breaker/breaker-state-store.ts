import type { OperationOptions } from '../../util/abort.js';
import type { Disposable } from '../../util/disposable.js';
import type { BreakerSnapshot, CircuitState } from './breaker-snapshot.js';

// The schemas live in their own module: the breaker itself checks snapshots without zod
// (breaker-snapshot-check.ts), so importing it does not bundle zod (docs/decisions/0008).
export { CircuitState, BreakerSnapshot } from './breaker-snapshot.js';

/** The state every store reports for a breaker it has never seen: closed, generation 0. */
export const INITIAL_BREAKER_SNAPSHOT: BreakerSnapshot = Object.freeze({
  state: 'closed',
  generation: 0,
  since: 0,
  until: null,
  opens: 0,
  probes: 0,
  probeSuccesses: 0,
  reason: null,
});

/**
 * The sliding window a store keeps of a closed breaker's outcomes: the last `size` outcomes, or
 * the outcomes of the last `durationMs` in `buckets` slices (older slices drop out whole).
 */
export type WindowSpec =
  | { readonly kind: 'count'; readonly size: number }
  | { readonly kind: 'time'; readonly durationMs: number; readonly buckets: number };

/**
 * What one call came to: `success`, `failure`, or `slow` (it succeeded, but slower than the
 * policy's slow-call threshold).
 */
export type OutcomeKind = 'success' | 'failure' | 'slow';

/** A run of `count` outcomes of one kind, observed at `at` (epoch ms). */
export interface OutcomeRun {
  readonly kind: OutcomeKind;
  readonly count: number;
  readonly at: number;
}

/** Outcomes one breaker instance reports, in the order they happened. */
export interface OutcomeBatch extends OperationOptions {
  /** The generation the instance saw; a batch for another generation is dropped. */
  readonly generation: number;
  readonly window: WindowSpec;
  /** Identifies the reporting instance, for quorum counting. */
  readonly instance: string;
  readonly runs: readonly OutcomeRun[];
}

/** Counts over a breaker's current window. */
export interface WindowStats {
  /** Outcomes in the window. */
  readonly calls: number;
  readonly failures: number;
  /** Successful calls slower than the threshold (failed calls count as failures only). */
  readonly slowCalls: number;
  /** Distinct instances that reported a failure or a slow call in the window. */
  readonly failingInstances: number;
}

/** The counts of an empty window. */
export const EMPTY_WINDOW_STATS: WindowStats = Object.freeze({
  calls: 0,
  failures: 0,
  slowCalls: 0,
  failingInstances: 0,
});

/** What {@link BreakerStateStore.record} did. */
export interface RecordResult {
  /** `false` when the batch was dropped: the generation moved on or the breaker is not closed. */
  readonly recorded: boolean;
  readonly snapshot: BreakerSnapshot;
  /** The window after the batch (empty when it was dropped). */
  readonly stats: WindowStats;
}

/** A compare-and-set state change. */
export interface BreakerTransition extends OperationOptions {
  /** Applied only if the stored generation is still this one. */
  readonly expectedGeneration: number;
  readonly state: CircuitState;
  readonly since: number;
  readonly until: number | null;
  readonly opens: number;
  readonly reason: string | null;
  /**
   * With `state: 'half-open'`: hand the caller the first probe permit with the change, so that
   * the caller that ended the open period runs the first probe and no concurrent caller can take
   * the permit between the change and a separate `acquireProbe`. Ignored for other states.
   * @default false
   */
  readonly probe?: boolean;
}

/** The result of a compare-and-set. */
export interface TransitionResult {
  /** `false` when another writer changed the breaker first; `snapshot` is then theirs. */
  readonly applied: boolean;
  readonly snapshot: BreakerSnapshot;
}

/** Asks for a half-open probe permit. */
export interface ProbeRequest extends OperationOptions {
  readonly generation: number;
  /** Most permits out at once across every instance. */
  readonly maxProbes: number;
}

/** Returns a probe permit with the probe's outcome. */
export interface ProbeSettlement extends OperationOptions {
  readonly generation: number;
  readonly success: boolean;
}

/** The result of taking or returning a probe permit. */
export interface ProbeResult {
  /** Whether the permit was granted (for `acquireProbe`) or counted (for `settleProbe`). */
  readonly ok: boolean;
  readonly snapshot: BreakerSnapshot;
}

/**
 * Where circuit breakers keep their state, so that every instance of a service that shares a store
 * sees one breaker: the state machine's snapshot, the sliding window of outcomes, and the
 * half-open probe permits. Each method is atomic; the breaker decides *what* to do (its trip
 * policy runs in the breaker), the store makes concurrent writers safe.
 *
 * Contract (checked by `breakerStateStoreContract` in `bookingkit/testing`):
 * - `read` of an unknown key returns {@link INITIAL_BREAKER_SNAPSHOT}.
 * - `record` appends the batch's runs to the window only when the stored generation equals the
 *   batch's and the breaker is closed; it returns the window's stats. A window spec different from
 *   the stored one starts an empty window.
 * - `transition` applies only when `expectedGeneration` matches; it bumps the generation, empties
 *   the window and returns every probe permit (then takes one for the caller, for a half-open
 *   change with `probe`).
 * - `acquireProbe` grants a permit only in `half-open`, for the current generation, while fewer
 *   than `maxProbes` are out; `settleProbe` returns one and counts a success.
 * - `watch`, where implemented, reports every snapshot change of the key to its listeners.
 *
 * @example
 * ```ts
 * declare const client: RedisClient;
 * // ---cut---
 * const store: BreakerStateStore = createRedisBreakerStateStore({ client });
 * const breaker = circuitBreaker({ name: 'calcom', store });
 * ```
 */
export interface BreakerStateStore {
  /** Reads the breaker's snapshot. */
  read(key: string, options?: OperationOptions): Promise<BreakerSnapshot>;
  /** Appends outcomes to the window of a closed breaker and returns the window's counts. */
  record(key: string, batch: OutcomeBatch): Promise<RecordResult>;
  /** Changes the state if nobody else did since `expectedGeneration`. */
  transition(key: string, change: BreakerTransition): Promise<TransitionResult>;
  /** Takes a half-open probe permit, if one is free. */
  acquireProbe(key: string, request: ProbeRequest): Promise<ProbeResult>;
  /** Returns a probe permit, counting a successful probe. */
  settleProbe(key: string, settlement: ProbeSettlement): Promise<ProbeResult>;
  /**
   * Optional: calls `listener` synchronously with every new snapshot of breaker `key`, until the
   * returned handle is disposed or `signal` aborts. A breaker on a store that watches trusts its
   * copy of the state without re-reading it (no clock read on its hot path); on a store without
   * `watch` (Redis) it re-reads after `cacheTtlMs`.
   */
  watch?(key: string, listener: (snapshot: BreakerSnapshot) => void, options?: OperationOptions): Disposable;
}
