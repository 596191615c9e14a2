import type { BookingKit, BookingKitStores, CalendarProvider, CircuitBreaker } from 'bookingkit';
import { breakerCheck, createHealthHandlers, outboxLagCheck, type HealthHandlers } from 'bookingkit/http';
import type { Database, SharedState } from './storage.js';

/** `/health` and `/ready`, and the switch that tells readiness the kit has started. */
export interface Readiness extends HealthHandlers {
  /** Called once the kit has started (relay running, recovery done). */
  started(): void;
}

/**
 * Liveness, and readiness: the kit started (relay running, recovery done), the database and Redis
 * (when configured) answer, the calendar breaker is not open, and the outbox is delivered within a
 * minute. A load balancer sends traffic only while `/ready` answers 200.
 */
export function createReadiness(parts: {
  readonly kit: BookingKit<CalendarProvider, BookingKitStores>;
  readonly database: Database;
  readonly redis: SharedState | null;
  readonly breaker: CircuitBreaker;
}): Readiness {
  let started = false;
  const { redis } = parts;
  const handlers = createHealthHandlers({
    logger: parts.kit.logger,
    checks: {
      kit: async () => (started ? { ok: true } : { ok: false, detail: 'starting' }),
      [parts.database.kind]: () => parts.database.ping(),
      ...(redis ? { redis: () => redis.ping() } : {}),
      calendarBreaker: breakerCheck(parts.breaker),
      outbox: outboxLagCheck({ store: parts.kit.stores.outbox, maxLagMs: 60_000 }),
    },
  });
  return { ...handlers, started: () => void (started = true) };
}
