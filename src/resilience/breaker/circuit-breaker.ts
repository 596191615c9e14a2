import { BreakerEngine } from './breaker-engine.js';
import { normalizeBreakerOptions, type CircuitBreakerOptions } from './breaker-options.js';
import type { CircuitBreaker } from './circuit-breaker-policy.js';

/**
 * Creates a circuit breaker. Closed, it counts outcomes in its trip policy's window; when the
 * policy trips (by default after 5 consecutive failures) it opens and rejects every call at once
 * with a {@link BrokenCircuitError} that says when to retry. After the open duration (60 s by
 * default) the next call finds it half-open: up to `halfOpenMaxProbes` probe calls run, and
 * `halfOpenSuccessThreshold` successes close it while a failure reopens it.
 *
 * There are no background timers: every transition happens on the next call, so the breaker
 * suits short-lived processes and serverless functions and never keeps the event loop alive.
 * With a shared store (`createRedisBreakerStateStore` from `bookingkit/redis`) every instance of
 * a service sees one breaker: outcomes go into one window, probe permits are shared, and
 * `minInstances` can require failures from several instances before it opens.
 *
 * @throws {@link InvalidOptionError} for an option out of range.
 * @example
 * ```ts
 * declare const logger: Logger;
 * declare const input: CreateCalendarBookingRequest;
 * declare const calcom: CalendarProvider;
 * declare function queueForLater(input: CreateCalendarBookingRequest, retryAt: number | null): void;
 * // ---cut---
 * const breaker = circuitBreaker({ name: 'calcom', policy: consecutiveFailures(5), openDuration: 60_000 });
 * breaker.onStateChange(({ to, reason }) => logger.warn({ to, reason }, 'Cal.com breaker'));
 * try {
 *   const booking = await breaker.execute(({ signal }) => calcom.createBooking(input, { signal }));
 * } catch (error) {
 *   if (!isBrokenCircuitError(error)) throw error;
 *   queueForLater(input, error.context.retryAt);
 * }
 * ```
 */
export function circuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  return new BreakerEngine(normalizeBreakerOptions(options));
}
