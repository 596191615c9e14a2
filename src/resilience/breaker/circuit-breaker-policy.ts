import type { BreakerSnapshot, CircuitState } from './breaker-state-store.js';
import type { OperationOptions } from '../../util/abort.js';
import type { PolicyEvent } from '../event.js';
import type { Policy } from '../policy.js';
import type {
  BreakerFailureEvent,
  BreakerRejectedEvent,
  BreakerStateChangeEvent,
  BreakerSuccessEvent,
} from './breaker-events.js';

/** Options of the manual controls ({@link CircuitBreaker.isolate} and the others). */
export interface ManualControlOptions extends OperationOptions {
  /** Recorded as the state's reason and reported in events and errors. @default e.g. `isolated by hand` */
  readonly reason?: string;
}

/**
 * A circuit breaker: a {@link Policy} that stops calling a failing service, rejects calls at once
 * with a {@link BrokenCircuitError} while it is open, and lets a few probe calls test the
 * service before closing again. See {@link circuitBreaker}.
 */
export interface CircuitBreaker extends Policy {
  readonly name: string;
  /** This instance's id in a shared window. */
  readonly instanceId: string;
  /**
   * The state as this instance last saw it, as the next call would find it: `half-open` once an
   * open period has ended, though no call has moved it yet. With a shared store, reading it after
   * the local copy is `cacheTtlMs` old also starts a read of the store in the background, so a
   * poller (a readiness check) follows changes other instances make without making calls.
   */
  readonly state: CircuitState;
  /** The breaker changed state (as this instance observed it). */
  readonly onStateChange: PolicyEvent<BreakerStateChangeEvent>;
  readonly onSuccess: PolicyEvent<BreakerSuccessEvent>;
  readonly onFailure: PolicyEvent<BreakerFailureEvent>;
  /** A call was refused without running. */
  readonly onRejected: PolicyEvent<BreakerRejectedEvent>;
  /**
   * Holds the breaker open (for every instance sharing the store) until {@link CircuitBreaker.reset}.
   * @throws the store's error, or `VersionConflictError` if the state keeps changing under it.
   */
  isolate(options?: ManualControlOptions): Promise<void>;
  /** Opens the breaker now, as if it had tripped; it half-opens after the open duration as usual. */
  open(options?: ManualControlOptions): Promise<void>;
  /** Lets every call through uncounted until {@link CircuitBreaker.reset}. */
  disable(options?: ManualControlOptions): Promise<void>;
  /** Closes the breaker with an empty window (also ends `isolate` and `disable`). */
  reset(options?: ManualControlOptions): Promise<void>;
  /** Writes buffered successes and reads the shared state; resolves with it. */
  sync(options?: OperationOptions): Promise<BreakerSnapshot>;
  /** The last known state, to persist and pass back as `initialState` (e.g. between serverless invocations). */
  toJSON(): BreakerSnapshot;
}
