import type { WindowSpec, WindowStats } from './breaker-state-store.js';
import { InvalidOptionError, type InvalidOptionDetails } from '../../errors/invalid-option-error.js';
import { numberOption } from '../../util/options.js';
import { describeWindow, percent, type TripPolicy } from './trip-policy.js';

/** Thresholds shared by the failure-rate policies. */
export interface FailureRateOptions {
  /** Opens when at least this share of the window's calls failed, from 0 (exclusive) to 1. @default 0.5 */
  readonly failureRateThreshold?: number;
  /** Calls the window must hold before the policy may open the breaker. @default 20 */
  readonly minimumCalls?: number;
}

/**
 * The failure-rate rule over any window; errors name `factory` (the policy's factory).
 *
 * @internal
 */
export function failureRatePolicy(
  window: WindowSpec,
  options: FailureRateOptions,
  factory: string,
): TripPolicy {
  const details = { factory };
  const threshold = numberOption(
    'failureRateThreshold',
    options.failureRateThreshold,
    0.5,
    { min: Number.EPSILON, max: 1 },
    details,
  );
  const minimumCalls = checkMinimumCalls(options.minimumCalls, window, details);
  const over = describeWindow(window);
  return Object.freeze({
    window,
    trip({ calls, failures }: WindowStats): string | undefined {
      if (calls < minimumCalls || failures / calls < threshold) return undefined;
      return `failure rate ${percent(failures / calls)} over ${over} (${failures} of ${calls}; threshold ${percent(threshold)})`;
    },
  });
}

/**
 * Validates `minimumCalls` (@default 20): at most the window's size for a count window.
 *
 * @internal
 */
export function checkMinimumCalls(
  minimumCalls: number | undefined,
  window: WindowSpec,
  details: InvalidOptionDetails,
): number {
  const checked = numberOption(
    'minimumCalls',
    minimumCalls,
    20,
    { integer: true, min: 1, max: 1_000_000 },
    details,
  );
  if (window.kind === 'count' && checked > window.size) {
    throw new InvalidOptionError(
      'minimumCalls',
      checked,
      `at most the window size (${window.size})`,
      details,
    );
  }
  return checked;
}
