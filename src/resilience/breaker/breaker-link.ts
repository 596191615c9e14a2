import { VersionConflictError } from '../../errors/store-errors.js';
import {
  INITIAL_BREAKER_SNAPSHOT,
  type BreakerSnapshot,
  type CircuitState,
  type OutcomeKind,
  type OutcomeRun,
  type ProbeResult,
  type RecordResult,
  type TransitionResult,
} from './breaker-state-store.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { TimeoutError } from '../errors.js';
import type { NormalizedBreakerOptions } from './breaker-options.js';

/**
 * A breaker's connection to its store: a local copy of the shared snapshot trusted for
 * `cacheTtlMs`, successes buffered and written in batches, and a deadline on every store
 * operation on the call path. A store that fails or stalls is logged and otherwise ignored: the
 * breaker keeps serving calls from its last known state rather than block on its bookkeeping.
 *
 * @internal
 */
export class BreakerLink {
  /** The last snapshot read from (or written to) the store. */
  view: BreakerSnapshot = INITIAL_BREAKER_SNAPSHOT;
  /** Clock time after which `view` is read again (never, once read, on a store that watches). */
  expiresAt = Number.NEGATIVE_INFINITY;
  /** The store pushes changes, so `view` stays current without re-reading. */
  readonly watched: boolean;
  /**
   * Calls need the time: to expire the cached view, to age the success batch, or to place
   * outcomes in a time window. Not so on a watching store with a count window.
   */
  readonly clocked: boolean;
  /** Successes not yet written, and when the first and last of them happened. */
  pending = 0;
  pendingSince = 0;
  lastSuccessAt = 0;

  private refreshing: Promise<void> | undefined;
  private flushing: Promise<void> | undefined;
  private seedPending: boolean;

  constructor(
    private readonly options: NormalizedBreakerOptions,
    private readonly onChange: (from: BreakerSnapshot, to: BreakerSnapshot) => void,
  ) {
    this.seedPending = options.initialState !== undefined;
    const { store } = options;
    this.watched = typeof store.watch === 'function';
    this.clocked = !this.watched || options.policy.window.kind === 'time';
    // A breaker lives as long as its store; the subscription is never undone.
    if (this.watched) store.watch?.(options.name, (snapshot) => this.observe(snapshot));
  }

  /** Takes in a snapshot from the store; `authoritative` for a fresh read (accepted even if older). */
  observe(snapshot: BreakerSnapshot, authoritative = false): void {
    const previous = this.view;
    // Answers to concurrent operations may arrive out of order; never step back to an older one.
    if (!authoritative && snapshot.generation < previous.generation) return;
    this.view = snapshot;
    this.expiresAt = this.watched
      ? Number.POSITIVE_INFINITY
      : this.options.clock.now() + this.options.cacheTtlMs;
    if (snapshot.generation !== previous.generation) this.pending = 0; // they belong to a past state
    if (snapshot.state !== previous.state) this.onChange(previous, snapshot);
  }

  /** Reads the shared state again (concurrent callers share one read). */
  refresh(): Promise<void> {
    this.refreshing ??= this.read().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /**
   * Counts one success (at `now` when `clocked`), writing the batch in the background when it is
   * due: at `maxBatch` successes, or `flushIntervalMs` after the first when `clocked`.
   */
  addSuccess(now: number): void {
    if (this.pending === 0) this.pendingSince = now;
    this.pending += 1;
    this.lastSuccessAt = now;
    if (
      this.pending >= this.options.maxBatch ||
      (this.clocked && now - this.pendingSince >= this.options.flushIntervalMs)
    )
      this.flushInBackground();
  }

  /** Writes a failure or slow call (after the successes before it) and returns the window. */
  async recordBad(
    kind: Exclude<OutcomeKind, 'success'>,
    at: number,
    generation: number,
  ): Promise<RecordResult | undefined> {
    if (generation !== this.view.generation) return undefined; // the state moved on while the call ran
    const bad: OutcomeRun = { kind, count: 1, at };
    const runs =
      this.pending > 0
        ? [{ kind: 'success' as const, count: this.pending, at: this.lastSuccessAt }, bad]
        : [bad];
    this.pending = 0;
    return this.attempt('record an outcome', async () => {
      const result = await this.guard(
        this.options.store.record(this.options.name, this.batch(generation, runs)),
      );
      this.observe(result.snapshot);
      return result;
    });
  }

  /**
   * Moves the breaker from `from` to `state` if nobody else changed it first. With `probe` (for
   * half-open), the store hands this caller the first probe permit with the change. Resolves
   * with the store's answer, or `undefined` when the store did not answer.
   */
  async transition(
    state: CircuitState,
    reason: string | null,
    from: BreakerSnapshot,
    now: number,
    probe = false,
  ): Promise<TransitionResult | undefined> {
    const { store, name, openDuration, halfOpenMaxWaitMs } = this.options;
    const opens = state === 'open' ? from.opens + 1 : state === 'half-open' ? from.opens : 0;
    const until =
      state === 'open'
        ? now + Math.max(0, openDuration.delay(opens))
        : state === 'half-open'
          ? now + halfOpenMaxWaitMs
          : null;
    const change = {
      expectedGeneration: from.generation,
      state,
      since: now,
      until,
      opens,
      reason,
      ...(probe ? { probe } : {}),
    };
    return this.attempt(`move to ${state}`, async () => {
      const result = await this.guard(store.transition(name, change));
      this.observe(result.snapshot);
      return result;
    });
  }

  /** Takes a half-open probe permit for `generation`. */
  acquireProbe(generation: number): Promise<ProbeResult | undefined> {
    const { store, name, halfOpenMaxProbes } = this.options;
    return this.attempt('take a probe permit', async () => {
      const result = await this.guard(store.acquireProbe(name, { generation, maxProbes: halfOpenMaxProbes }));
      this.observe(result.snapshot);
      return result;
    });
  }

  /** Returns a probe permit, counting a successful probe. */
  settleProbe(generation: number, success: boolean): Promise<ProbeResult | undefined> {
    return this.attempt('return a probe permit', async () => {
      const result = await this.guard(
        this.options.store.settleProbe(this.options.name, { generation, success }),
      );
      this.observe(result.snapshot);
      return result;
    });
  }

  /** Sets the state by hand, retrying on concurrent changes. Store errors are thrown. */
  async force(state: CircuitState, reason: string, options: OperationOptions): Promise<BreakerSnapshot> {
    const { store, name, clock, openDuration } = this.options;
    for (let tries = 0; tries < 10; tries += 1) {
      throwIfAborted(options.signal);
      const current = await store.read(name, options);
      this.observe(current, true);
      const now = clock.now();
      const opens = state === 'open' ? current.opens + 1 : 0;
      const until = state === 'open' ? now + Math.max(0, openDuration.delay(opens)) : null;
      const change = {
        expectedGeneration: current.generation,
        state,
        since: now,
        until,
        opens,
        reason,
        signal: options.signal,
      };
      const result = await store.transition(name, change);
      this.observe(result.snapshot);
      if (result.applied) return result.snapshot;
    }
    throw new VersionConflictError({
      entity: 'circuit breaker',
      id: name,
      expectedVersion: this.view.generation,
      actualVersion: null,
    });
  }

  /** Writes buffered successes, then reads the shared state. Store errors are thrown. */
  async sync(options: OperationOptions): Promise<BreakerSnapshot> {
    await this.flushing;
    if (this.pending > 0) await this.flush(true);
    this.observe(await this.options.store.read(this.options.name, options), true);
    return this.view;
  }

  private async read(): Promise<void> {
    const { store, name, initialState } = this.options;
    const read = await this.attempt('read the state', async () => {
      let snapshot = await this.guard(store.read(name));
      if (this.seedPending && initialState !== undefined) {
        this.seedPending = false;
        if (snapshot.generation === 0)
          snapshot = (await this.guard(store.transition(name, seedFrom(initialState)))).snapshot;
      }
      this.observe(snapshot, true);
      return true;
    });
    // After a failed read, keep the last known state until the next read is due.
    if (read === undefined) {
      this.expiresAt = this.watched
        ? Number.NEGATIVE_INFINITY
        : this.options.clock.now() + Math.max(this.options.cacheTtlMs, 1);
    }
  }

  private flushInBackground(): void {
    if (this.flushing !== undefined) return; // one write in flight at a time; the batch grows meanwhile
    this.flushing = this.flush(false).finally(() => {
      this.flushing = undefined;
    });
  }

  private async flush(rethrow: boolean): Promise<void> {
    const runs = [{ kind: 'success' as const, count: this.pending, at: this.lastSuccessAt }];
    const generation = this.view.generation;
    this.pending = 0;
    const write = async (): Promise<void> => {
      this.observe(
        (await this.guard(this.options.store.record(this.options.name, this.batch(generation, runs))))
          .snapshot,
      );
    };
    if (rethrow) await write();
    else await this.attempt('record successes', write);
  }

  private batch(generation: number, runs: readonly OutcomeRun[]) {
    const { policy, instanceId } = this.options;
    return { generation, window: policy.window, instance: instanceId, runs };
  }

  /** Runs a store operation; a failure is logged and yields `undefined`. */
  private async attempt<T>(what: string, operation: () => Promise<T>): Promise<T | undefined> {
    try {
      return await operation();
    } catch (error) {
      this.options.logger.warn(
        { breaker: this.options.name, err: error },
        `circuit breaker could not ${what} in its store; carrying on with its last known state`,
      );
      return undefined;
    }
  }

  /** Abandons a store operation that takes longer than `storeTimeoutMs`. */
  private guard<T>(operation: Promise<T>): Promise<T> {
    const { storeTimeoutMs, clock } = this.options;
    if (storeTimeoutMs === Number.POSITIVE_INFINITY) return operation;
    return new Promise<T>((resolve, reject) => {
      const timer = clock.setTimer(
        () => reject(new TimeoutError({ timeoutMs: storeTimeoutMs })),
        storeTimeoutMs,
      );
      operation.then(
        (value) => {
          timer.clear();
          resolve(value);
        },
        (error: unknown) => {
          timer.clear();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }
}

/** The transition that writes a rehydrated state into an empty store. */
function seedFrom(state: BreakerSnapshot) {
  // A half-open trial cannot be resumed (its probes are gone): resume as open, due for probes.
  const halfOpen = state.state === 'half-open';
  return {
    expectedGeneration: 0,
    state: halfOpen ? ('open' as const) : state.state,
    since: state.since,
    until: halfOpen ? state.since : state.until,
    opens: state.opens,
    reason: state.reason,
  };
}
