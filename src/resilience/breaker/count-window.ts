import { numberOption } from '../../util/options.js';
import { failureRatePolicy, type FailureRateOptions } from './failure-rate.js';
import type { TripPolicy } from './trip-policy.js';

/** Options of {@link countWindow}. */
export interface CountWindowOptions extends FailureRateOptions {
  /** How many of the most recent calls the window holds. @default 100 */
  readonly size?: number;
}

/**
 * Opens the breaker when the failure rate over the last `size` calls reaches
 * `failureRateThreshold`, once at least `minimumCalls` calls were counted.
 *
 * @throws {@link InvalidOptionError} for an option out of range.
 * @example
 * ```ts
 * const breaker = circuitBreaker({ policy: countWindow({ size: 50, failureRateThreshold: 0.3, minimumCalls: 10 }) });
 * ```
 */
export function countWindow(options: CountWindowOptions = {}): TripPolicy {
  const factory = 'countWindow';
  const size = numberOption('size', options.size, 100, { integer: true, min: 1, max: 10_000 }, { factory });
  return failureRatePolicy(Object.freeze({ kind: 'count', size }), options, factory);
}
