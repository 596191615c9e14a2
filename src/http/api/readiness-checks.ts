import type { CircuitState } from '../../resilience/breaker/breaker-snapshot.js';
import type { OutboxAdmin } from '../../ports/outbox-store.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { checkNumberOption } from '../../util/options.js';
import type { ReadinessCheck } from './health.js';

/**
 * A readiness check that fails while a circuit breaker is open (or held open): the service it
 * guards is failing, so this instance cannot do its work. Half-open passes, so probe calls reach it.
 *
 * @example
 * ```ts
 * declare const breaker: CircuitBreaker;
 * // ---cut---
 * const checks = { calendarBreaker: breakerCheck(breaker) };
 * ```
 */
export function breakerCheck(breaker: {
  readonly name: string;
  readonly state: CircuitState;
}): ReadinessCheck {
  return () => {
    const state = breaker.state;
    return Promise.resolve(
      state === 'open' || state === 'isolated'
        ? { ok: false, detail: `breaker ${breaker.name} is ${state}` }
        : { ok: true },
    );
  };
}

/** Options of {@link outboxLagCheck}. */
export interface OutboxLagCheckOptions {
  /** The outbox (any `OutboxStore`). */
  readonly store: Pick<OutboxAdmin, 'list'>;
  /** Longest time the oldest pending message may have been due before the check fails, in ms. */
  readonly maxLagMs: number;
  /** @default systemClock */
  readonly clock?: Pick<Clock, 'now'>;
}

/**
 * A readiness check that fails when the outbox falls behind: its oldest pending message has been
 * due for longer than `maxLagMs` (the relay is stopped, stuck, or cannot keep up).
 *
 * @throws {@link bookingkit!InvalidOptionError} when `maxLagMs` is not a number of 0 or more.
 * @example
 * ```ts
 * declare const kit: { stores: { outbox: OutboxAdmin } };
 * // ---cut---
 * const checks = { outbox: outboxLagCheck({ store: kit.stores.outbox, maxLagMs: 60_000 }) };
 * ```
 */
export function outboxLagCheck(options: OutboxLagCheckOptions): ReadinessCheck {
  const maxLagMs = checkNumberOption('maxLagMs', options.maxLagMs, { min: 0 }, { factory: 'outboxLagCheck' });
  const clock = options.clock ?? systemClock;
  return async (signal) => {
    const [oldest] = await options.store.list({ status: 'pending', limit: 1, signal });
    const lagMs = oldest ? Math.max(0, clock.now() - oldest.availableAt) : 0;
    return lagMs > maxLagMs
      ? { ok: false, detail: `outbox lag ${lagMs} ms is over ${maxLagMs} ms` }
      : { ok: true };
  };
}
