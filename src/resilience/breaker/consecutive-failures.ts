import { numberOption } from '../../util/options.js';
import type { TripPolicy } from './trip-policy.js';

/**
 * Opens the breaker after `threshold` failures in a row; a success in between starts the count
 * again. The breaker's default, with 5. (It may trip only after `threshold` calls, which is its
 * minimum number of calls.)
 *
 * @throws {@link InvalidOptionError} for a threshold that is not an integer from 1 to 10 000.
 * @example
 * ```ts
 * const breaker = circuitBreaker({ policy: consecutiveFailures(3) });
 * ```
 */
export function consecutiveFailures(threshold = 5): TripPolicy {
  const size = numberOption(
    'threshold',
    threshold,
    5,
    { integer: true, min: 1, max: 10_000 },
    { factory: 'consecutiveFailures' },
  );
  return Object.freeze({
    window: Object.freeze({ kind: 'count', size }),
    trip: ({ failures }: { failures: number }) =>
      failures >= size ? `${size} consecutive failures` : undefined,
  });
}
