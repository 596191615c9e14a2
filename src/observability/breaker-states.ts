import type { ObservableResult } from '@opentelemetry/api';
import { TelemetryAttributes } from './attributes.js';

/** The states a breaker reports, as the gauge lists them (kept here: observability sits below resilience). */
const STATES = ['closed', 'open', 'half-open', 'isolated', 'disabled'] as const;

/** What the breaker-state gauge reads from a breaker. @internal */
export interface ObservedBreaker {
  readonly name: string;
  readonly state: string;
}

/**
 * The breakers the `bookingkit.breaker.state` gauge reports, held weakly: a breaker that is no
 * longer used is collected as if it were never observed.
 */
const breakers = new Set<WeakRef<ObservedBreaker>>();

/**
 * Adds a breaker to the `bookingkit.breaker.state` gauge (see {@link bookingkitInstruments}).
 *
 * @example
 * ```ts
 * observeBreakerState({ name: 'calendar', state: 'closed' });
 * ```
 * @internal
 */
export function observeBreakerState(breaker: ObservedBreaker): void {
  breakers.add(new WeakRef(breaker));
}

/**
 * Reports every live breaker: 1 for its current state, 0 for the others (one series per state,
 * so a dashboard can sum `open` over breakers). Breakers sharing a name (one per instance of the
 * same service) report once, the last one read winning: they share their state through the store.
 *
 * @internal
 */
export function reportBreakerStates(result: ObservableResult): void {
  for (const ref of breakers) {
    const breaker = ref.deref();
    if (!breaker) {
      breakers.delete(ref);
      continue;
    }
    for (const state of STATES) {
      result.observe(state === breaker.state ? 1 : 0, {
        [TelemetryAttributes.breaker]: breaker.name,
        [TelemetryAttributes.breakerState]: state,
      });
    }
  }
}
