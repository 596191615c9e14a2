import type { WindowSpec, WindowStats } from './breaker-state-store.js';
import { InvalidOptionError, type InvalidOptionDetails } from '../../errors/invalid-option-error.js';
import { checkNumberOption, numberOption } from '../../util/options.js';

/**
 * Decides when a closed circuit breaker opens. The breaker's store keeps the policy's `window` of
 * outcomes (shared by every instance when the store is), and after each failure or slow call
 * the breaker asks `trip` with the window's counts.
 *
 * Implement it to write your own policy; it works with every store, shared ones included.
 *
 * @example
 * ```ts
 * const threeFailuresInTen: TripPolicy = {
 *   window: { kind: 'count', size: 10 },
 *   trip: ({ failures }) => (failures >= 3 ? `${failures} of the last 10 calls failed` : undefined),
 * };
 * ```
 */
export interface TripPolicy {
  /** The window of outcomes the policy reads. */
  readonly window: WindowSpec;
  /**
   * Successful calls that take at least this long are recorded as slow; `undefined` when the
   * policy does not care about durations (they are then not measured).
   */
  readonly slowCallDurationMs?: number | undefined;
  /** Why the breaker should open now, or `undefined` to stay closed. */
  trip(stats: WindowStats): string | undefined;
}

/**
 * Validates a window spec and returns it frozen; errors name `details.factory`.
 *
 * @internal
 */
export function checkWindow(option: string, window: unknown, details: InvalidOptionDetails): WindowSpec {
  if (typeof window !== 'object' || window === null) {
    throw new InvalidOptionError(
      option,
      window,
      "{ kind: 'count', size } or { kind: 'time', durationMs, buckets }",
      details,
    );
  }
  const spec = window as Partial<Record<string, unknown>>;
  if (spec.kind === 'count') {
    return Object.freeze({
      kind: 'count',
      size: checkNumberOption(`${option}.size`, spec.size, { integer: true, min: 1, max: 10_000 }, details),
    });
  }
  if (spec.kind === 'time') {
    return Object.freeze({
      kind: 'time',
      durationMs: checkNumberOption(
        `${option}.durationMs`,
        spec.durationMs,
        { min: 1_000, max: 86_400_000 },
        details,
      ),
      buckets: numberOption(
        `${option}.buckets`,
        spec.buckets,
        10,
        { integer: true, min: 1, max: 120 },
        details,
      ),
    });
  }
  throw new InvalidOptionError(`${option}.kind`, spec.kind, "'count' or 'time'", details);
}

/**
 * Formats a share as a percentage for reasons (`0.5` -> `50%`).
 *
 * @internal
 */
export function percent(share: number): string {
  return `${Math.round(share * 1_000) / 10}%`;
}

/**
 * Describes a window for reasons: `the last 100 calls` or `the last 60 s`.
 *
 * @internal
 */
export function describeWindow(window: WindowSpec): string {
  return window.kind === 'count'
    ? `the last ${window.size} calls`
    : `the last ${window.durationMs / 1_000} s`;
}
