import type { BreakerSnapshot, CircuitState } from './breaker-state-store.js';
import type { Clock } from '../../ports/clock.js';
import { abortReason, type OperationOptions } from '../../util/abort.js';
import { TelemetryAttributes as A } from '../../observability/attributes.js';
import { observeBreakerState } from '../../observability/breaker-states.js';
import { bookingkitInstruments } from '../../observability/instruments.js';
import { BrokenCircuitError } from '../errors.js';
import { EventEmitter, type PolicyEvent } from '../event.js';
import { contextFor, type ExecuteOptions, type PolicyContext } from '../policy.js';
import { BreakerLink } from './breaker-link.js';
import type { NormalizedBreakerOptions } from './breaker-options.js';
import type {
  BreakerFailureEvent,
  BreakerRejectedEvent,
  BreakerStateChangeEvent,
  BreakerSuccessEvent,
} from './breaker-events.js';
import type { CircuitBreaker, ManualControlOptions } from './circuit-breaker-policy.js';

type ProbeOutcome = 'success' | 'failure' | 'ignored';

/**
 * The circuit breaker's state machine over a {@link BreakerLink}: the closed hot path, open and
 * half-open handling, probes, events and the manual controls. Built by `circuitBreaker()`.
 *
 * @internal
 */
export class BreakerEngine implements CircuitBreaker {
  readonly name: string;
  readonly instanceId: string;
  private readonly link: BreakerLink;
  private readonly clock: Clock;
  private readonly stateChanges: EventEmitter<BreakerStateChangeEvent>;
  private readonly successes: EventEmitter<BreakerSuccessEvent>;
  private readonly failures: EventEmitter<BreakerFailureEvent>;
  private readonly rejections: EventEmitter<BreakerRejectedEvent>;
  readonly onStateChange: PolicyEvent<BreakerStateChangeEvent>;
  readonly onSuccess: PolicyEvent<BreakerSuccessEvent>;
  readonly onFailure: PolicyEvent<BreakerFailureEvent>;
  readonly onRejected: PolicyEvent<BreakerRejectedEvent>;
  private readonly slowMs: number | undefined;

  constructor(private readonly options: NormalizedBreakerOptions) {
    this.name = options.name;
    this.slowMs = options.policy.slowCallDurationMs;
    this.instanceId = options.instanceId;
    this.clock = options.clock;
    const report = (error: unknown): void =>
      options.logger.error({ breaker: options.name, err: error }, 'circuit breaker event listener threw');
    this.stateChanges = new EventEmitter(report);
    this.successes = new EventEmitter(report);
    this.failures = new EventEmitter(report);
    this.rejections = new EventEmitter(report);
    this.onStateChange = this.stateChanges.event;
    this.onSuccess = this.successes.event;
    this.onFailure = this.failures.event;
    this.onRejected = this.rejections.event;
    this.link = new BreakerLink(options, (from, to) => {
      const retryAt = to.state === 'open' ? to.until : null;
      bookingkitInstruments().breakerTransitions.add(1, {
        [A.breaker]: this.name,
        [A.breakerState]: to.state,
      });
      this.stateChanges.emit({
        breaker: this.name,
        from: from.state,
        to: to.state,
        reason: to.reason,
        retryAt,
        snapshot: to,
      });
    });
    // `bookingkit.breaker.state` reads the state while this breaker lives.
    observeBreakerState(this);
  }

  /**
   * The state as this instance last saw it, as a caller would find it: an open breaker whose open
   * period has ended reads half-open (the next call runs as a probe), so that a readiness check
   * does not keep traffic away from a breaker that waits for a call to probe with. Read once the
   * copy of a shared state has expired, it starts a read of the store in the background (shared
   * with a call's), so a poller follows what other instances did though this one makes no calls.
   */
  get state(): CircuitState {
    const link = this.link;
    const now = this.clock.now();
    if (now >= link.expiresAt) void link.refresh(); // logs and swallows a store error
    const { state, until } = link.view;
    return state === 'open' && until !== null && now >= until ? 'half-open' : state;
  }

  async execute<T>(
    fn: (context: PolicyContext) => PromiseLike<T> | T,
    executeOptions?: ExecuteOptions,
  ): Promise<T> {
    const signal = executeOptions?.signal;
    if (signal?.aborted) throw abortReason(signal);
    const link = this.link;
    // The clock is read only when something needs the time (see BreakerLink.clocked).
    let now = link.clocked ? this.clock.now() : 0;
    if (now >= link.expiresAt) {
      await link.refresh();
      if (signal?.aborted) throw abortReason(signal);
      if (link.clocked) now = this.clock.now();
    }
    const { generation, state } = link.view;
    if (state !== 'closed') return this.executeSlow(fn, signal, link.clocked ? now : this.clock.now(), 0);

    // Closed: the hot path. Durations are measured only when a policy or a listener needs them.
    const slowMs = this.slowMs;
    const measure = slowMs !== undefined || this.successes.size > 0 || this.failures.size > 0;
    if (measure && !link.clocked) now = this.clock.now();
    let result: T;
    try {
      result = await fn(contextFor(signal));
    } catch (error) {
      const durationMs = measure ? this.clock.now() - now : 0;
      await this.closedFailure(
        error,
        signal,
        link.clocked || measure ? now + durationMs : this.clock.now(),
        durationMs,
        generation,
      );
      throw error;
    }
    const durationMs = measure ? this.clock.now() - now : 0;
    const failed = this.options.isFailureResult(result);
    const slow = !failed && slowMs !== undefined && durationMs >= slowMs;
    if (failed) this.emitFailure(result, durationMs, 'failure', false);
    else if (this.successes.size > 0)
      this.successes.emit({ breaker: this.name, durationMs, slow, probe: false });
    if (failed || slow)
      await this.recordAndMaybeTrip(
        failed ? 'failure' : 'slow',
        link.clocked || measure ? now + durationMs : this.clock.now(),
        generation,
      );
    else link.addSuccess(now);
    return result;
  }

  private async closedFailure(
    error: unknown,
    signal: AbortSignal | undefined,
    at: number,
    durationMs: number,
    generation: number,
  ): Promise<void> {
    const counted = !signal?.aborted && this.options.isFailure(error);
    this.emitFailure(error, durationMs, counted ? 'failure' : 'excused', false);
    if (counted) await this.recordAndMaybeTrip('failure', at, generation);
    else if (!signal?.aborted) this.link.addSuccess(at); // the service answered; not its fault
  }

  private async recordAndMaybeTrip(kind: 'failure' | 'slow', at: number, generation: number): Promise<void> {
    const result = await this.link.recordBad(kind, at, generation);
    if (!result?.recorded || result.snapshot.state !== 'closed') return;
    const { minInstances, policy } = this.options;
    if (result.stats.failingInstances < minInstances) return;
    const reason = policy.trip(result.stats);
    if (reason === undefined) return;
    const quorum = minInstances > 1 ? ` from ${result.stats.failingInstances} instances` : '';
    await this.link.transition('open', `${reason}${quorum}`, result.snapshot, this.clock.now());
  }

  private async executeSlow<T>(
    fn: (context: PolicyContext) => PromiseLike<T> | T,
    signal: AbortSignal | undefined,
    now: number,
    depth: number,
  ): Promise<T> {
    const view = this.link.view;
    switch (view.state) {
      case 'closed':
        return this.execute(fn, { signal });
      case 'disabled':
        return fn(contextFor(signal));
      case 'isolated':
        throw this.reject(view, now, null);
      case 'open': {
        if ((view.until !== null && now < view.until) || depth > 2) throw this.reject(view, now, view.until);
        // The caller that ends the open period runs the first probe: the store hands it the
        // permit with the change, so no concurrent caller can take it in between.
        const moved = await this.link.transition('half-open', 'open period ended; probing', view, now, true);
        const halfOpen = moved?.applied ? moved.snapshot : undefined;
        if (halfOpen?.state === 'half-open' && halfOpen.probes > 0)
          return this.runProbe(fn, signal, halfOpen);
        if (this.link.view === view) throw this.reject(view, now, null); // the store did not answer
        // Someone else moved first (or a store that ignores `probe`): ask for a permit as usual.
        return this.executeSlow(fn, signal, this.clock.now(), depth + 1);
      }
      case 'half-open': {
        if (view.until !== null && now >= view.until && depth <= 2) {
          await this.link.transition('open', 'half-open trial did not conclude in time', view, now);
          return this.executeSlow(fn, signal, this.clock.now(), depth + 1);
        }
        // Every permit is out as far as this instance knows: refuse without asking the store.
        if (view.probes >= this.options.halfOpenMaxProbes) throw this.reject(view, now, null);
        return this.probe(fn, signal, view, now, depth);
      }
    }
  }

  private async probe<T>(
    fn: (context: PolicyContext) => PromiseLike<T> | T,
    signal: AbortSignal | undefined,
    view: BreakerSnapshot,
    now: number,
    depth: number,
  ): Promise<T> {
    const grant = await this.link.acquireProbe(view.generation);
    if (!grant?.ok) {
      const current = this.link.view;
      if (current.generation !== view.generation && depth <= 2) {
        return this.executeSlow(fn, signal, this.clock.now(), depth + 1);
      }
      throw this.reject(current, now, null);
    }
    return this.runProbe(fn, signal, view);
  }

  /** Runs `fn` as a probe under a permit taken for `view`'s generation, then returns the permit. */
  private async runProbe<T>(
    fn: (context: PolicyContext) => PromiseLike<T> | T,
    signal: AbortSignal | undefined,
    view: BreakerSnapshot,
  ): Promise<T> {
    const started = this.clock.now();
    let result: T;
    try {
      result = await fn(contextFor(signal));
    } catch (error) {
      const outcome: ProbeOutcome = signal?.aborted
        ? 'ignored'
        : this.options.isFailure(error)
          ? 'failure'
          : 'success';
      this.emitFailure(
        error,
        this.clock.now() - started,
        outcome === 'failure' ? 'failure' : 'excused',
        true,
      );
      await this.settleProbe(view.generation, outcome);
      throw error;
    }
    const durationMs = this.clock.now() - started;
    const failed = this.options.isFailureResult(result);
    const slow = !failed && this.slowMs !== undefined && durationMs >= this.slowMs;
    if (failed) this.emitFailure(result, durationMs, 'failure', true);
    else this.successes.emit({ breaker: this.name, durationMs, slow, probe: true });
    await this.settleProbe(view.generation, failed || slow ? 'failure' : 'success');
    return result;
  }

  private async settleProbe(generation: number, outcome: ProbeOutcome): Promise<void> {
    const settled = await this.link.settleProbe(generation, outcome === 'success');
    const current = settled?.snapshot ?? this.link.view;
    if (current.state !== 'half-open' || current.generation !== generation) return;
    if (outcome === 'failure') {
      await this.link.transition('open', 'probe failed', current, this.clock.now());
    } else if (
      outcome === 'success' &&
      settled?.ok &&
      current.probeSuccesses >= this.options.halfOpenSuccessThreshold
    ) {
      await this.link.transition(
        'closed',
        `${current.probeSuccesses} successful probes`,
        current,
        this.clock.now(),
      );
    }
  }

  private reject(view: BreakerSnapshot, now: number, retryAt: number | null): BrokenCircuitError {
    const state = view.state === 'closed' || view.state === 'disabled' ? 'open' : view.state;
    const retryAfterMs = retryAt === null ? null : Math.max(0, retryAt - now);
    const error = new BrokenCircuitError({
      breaker: this.name,
      state,
      retryAt,
      retryAfterMs,
      reason: view.reason,
    });
    bookingkitInstruments().breakerRejections.add(1, { [A.breaker]: this.name, [A.breakerState]: state });
    if (this.rejections.size > 0) this.rejections.emit({ breaker: this.name, error });
    return error;
  }

  private emitFailure(
    error: unknown,
    durationMs: number,
    kind: BreakerFailureEvent['kind'],
    probe: boolean,
  ): void {
    if (this.failures.size > 0) this.failures.emit({ breaker: this.name, error, durationMs, kind, probe });
  }

  async isolate(options: ManualControlOptions = {}): Promise<void> {
    await this.link.force('isolated', options.reason ?? 'isolated by hand', options);
  }

  async open(options: ManualControlOptions = {}): Promise<void> {
    await this.link.force('open', options.reason ?? 'opened by hand', options);
  }

  async disable(options: ManualControlOptions = {}): Promise<void> {
    await this.link.force('disabled', options.reason ?? 'disabled by hand', options);
  }

  async reset(options: ManualControlOptions = {}): Promise<void> {
    await this.link.force('closed', options.reason ?? 'reset by hand', options);
  }

  sync(options: OperationOptions = {}): Promise<BreakerSnapshot> {
    return this.link.sync(options);
  }

  toJSON(): BreakerSnapshot {
    return this.link.view;
  }
}
