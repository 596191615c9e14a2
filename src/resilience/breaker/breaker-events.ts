import type { BreakerSnapshot, CircuitState } from './breaker-state-store.js';
import type { BrokenCircuitError } from '../errors.js';

/**
 * A breaker changed state, as this instance observed it: by its own transition, or by reading a
 * change another instance made in the shared store (`snapshot.generation` tells them apart
 * across instances: every instance reports the same generation for the same change).
 */
export interface BreakerStateChangeEvent {
  readonly breaker: string;
  readonly from: CircuitState;
  readonly to: CircuitState;
  /** Why, e.g. `5 consecutive failures`, `2 successful probes`. */
  readonly reason: string | null;
  /** `open`: when probes may start (epoch ms); otherwise `null`. */
  readonly retryAt: number | null;
  readonly snapshot: BreakerSnapshot;
}

/** A call through the breaker succeeded. */
export interface BreakerSuccessEvent {
  readonly breaker: string;
  /** How long the call took (`0` when durations are not measured: no slow-call policy and no listener). */
  readonly durationMs: number;
  /** It took at least the policy's slow-call duration, and so counted against the breaker. */
  readonly slow: boolean;
  /** The call was a half-open probe. */
  readonly probe: boolean;
}

/** A call through the breaker failed. */
export interface BreakerFailureEvent {
  readonly breaker: string;
  /** The error thrown, or the result that was classified as a failure. */
  readonly error: unknown;
  readonly durationMs: number;
  /**
   * `failure`: it counted against the breaker. `excused`: it did not (an error that is not the
   * service's fault, such as an HTTP 404, counts as a success; a call the caller aborted is not
   * counted at all).
   */
  readonly kind: 'failure' | 'excused';
  readonly probe: boolean;
}

/** A call was refused without running. */
export interface BreakerRejectedEvent {
  readonly breaker: string;
  readonly error: BrokenCircuitError;
}
