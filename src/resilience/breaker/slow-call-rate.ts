import type { WindowSpec, WindowStats } from './breaker-state-store.js';
import { checkNumberOption, numberOption, requireOption } from '../../util/options.js';
import { checkMinimumCalls } from './failure-rate.js';
import { checkWindow, describeWindow, percent, type TripPolicy } from './trip-policy.js';

/** Options of {@link slowCallRate}. */
export interface SlowCallRateOptions {
  /** A call that takes at least this long counts against the breaker, even when it succeeds. */
  readonly slowCallDurationMs: number;
  /**
   * Opens when at least this share of the window's calls were slow or failed, from 0 (exclusive)
   * to 1. @default 0.5
   */
  readonly rateThreshold?: number;
  /** Calls the window must hold before the policy may open the breaker. @default 20 */
  readonly minimumCalls?: number;
  /** The window of calls the rate is taken over. @default { kind: 'count', size: 100 } */
  readonly window?: WindowSpec;
}

/**
 * Opens the breaker when too many calls are slow: calls slower than `slowCallDurationMs` count
 * against it even when they succeed, as failures do. A service that answers in 20 s instead of
 * 200 ms is failing its callers, who time out and pile up, long before it returns errors.
 *
 * @throws {@link InvalidOptionError} for an option out of range.
 * @example
 * ```ts
 * const breaker = circuitBreaker({ policy: slowCallRate({ slowCallDurationMs: 2_000, rateThreshold: 0.5 }) });
 * ```
 */
export function slowCallRate(options: SlowCallRateOptions): TripPolicy {
  const details = { factory: 'slowCallRate' };
  const bounds = { min: 1, max: 3_600_000 };
  requireOption(details.factory, options, 'slowCallDurationMs', 'a number from 1 to 3600000');
  const slowCallDurationMs = checkNumberOption(
    'slowCallDurationMs',
    options.slowCallDurationMs,
    bounds,
    details,
  );
  const threshold = numberOption(
    'rateThreshold',
    options.rateThreshold,
    0.5,
    { min: Number.EPSILON, max: 1 },
    details,
  );
  const window =
    options.window === undefined
      ? Object.freeze({ kind: 'count' as const, size: 100 })
      : checkWindow('window', options.window, details);
  const minimumCalls = checkMinimumCalls(options.minimumCalls, window, details);
  const over = describeWindow(window);
  return Object.freeze({
    window,
    slowCallDurationMs,
    trip({ calls, failures, slowCalls }: WindowStats): string | undefined {
      const bad = failures + slowCalls;
      if (calls < minimumCalls || bad / calls < threshold) return undefined;
      return `slow or failed calls ${percent(bad / calls)} over ${over} (${slowCalls} slow, ${failures} failed of ${calls}; threshold ${percent(threshold)})`;
    },
  });
}
