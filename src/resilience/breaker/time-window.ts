import { numberOption } from '../../util/options.js';
import { failureRatePolicy, type FailureRateOptions } from './failure-rate.js';
import type { TripPolicy } from './trip-policy.js';

/** Options of {@link timeWindow}. */
export interface TimeWindowOptions extends FailureRateOptions {
  /** How far back the window reaches. @default 60_000 */
  readonly durationMs?: number;
  /** Slices the window is kept in; the oldest slice drops out whole as time moves on. @default 10 */
  readonly buckets?: number;
}

/**
 * Opens the breaker when the failure rate over the last `durationMs` reaches
 * `failureRateThreshold`, once at least `minimumCalls` calls were counted in that time.
 *
 * @throws {@link InvalidOptionError} for an option out of range.
 * @example
 * ```ts
 * const breaker = circuitBreaker({ policy: timeWindow({ durationMs: 30_000, failureRateThreshold: 0.5, minimumCalls: 10 }) });
 * ```
 */
export function timeWindow(options: TimeWindowOptions = {}): TripPolicy {
  const details = { factory: 'timeWindow' };
  const durationMs = numberOption(
    'durationMs',
    options.durationMs,
    60_000,
    { min: 1_000, max: 86_400_000 },
    details,
  );
  const buckets = numberOption('buckets', options.buckets, 10, { integer: true, min: 1, max: 120 }, details);
  return failureRatePolicy(Object.freeze({ kind: 'time', durationMs, buckets }), options, details.factory);
}
