import type { BookingKit, BookingKitStores, CalendarProvider, CircuitBreaker } from 'bookingkit';
import type { Database, SharedState } from './storage.js';

/** What `/ready` reports. */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Record<string, { readonly ok: boolean; readonly detail?: string }>;
  /** The calendar breaker's state as this instance sees it (an open breaker fails calendar calls fast). */
  readonly breakers: Record<string, string>;
  /** Age of the oldest undelivered outbox message, ms (0 when none waits). */
  readonly outboxLagMs: number | null;
}

export interface Readiness {
  /** Called once the kit has started (relay running, recovery done). */
  started(): void;
  check(): Promise<ReadinessReport>;
}

const TIME_LIMIT_MS = 2_000;

/** Runs `check` within a time limit, as `{ ok, detail }`. */
async function probe(check: () => Promise<void>): Promise<{ ok: boolean; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIME_LIMIT_MS} ms`)), TIME_LIMIT_MS);
      }),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Readiness: the kit started, the database answers, Redis answers (when configured); with the
 * calendar breaker's state and the outbox lag for operators.
 */
export function createReadiness(parts: {
  readonly kit: BookingKit<CalendarProvider, BookingKitStores>;
  readonly database: Database;
  readonly redis: SharedState | null;
  readonly breaker: CircuitBreaker;
}): Readiness {
  let started = false;
  return {
    started: () => void (started = true),
    async check() {
      const checks: ReadinessReport['checks'] = {
        kit: started ? { ok: true } : { ok: false, detail: 'starting' },
        [parts.database.kind]: await probe(() => parts.database.ping()),
      };
      const { redis } = parts;
      if (redis) checks.redis = await probe(() => redis.ping());
      let outboxLagMs: number | null = null;
      try {
        const [oldest] = await parts.kit.stores.outbox.list({ status: 'pending', limit: 1 });
        outboxLagMs = oldest ? Math.max(0, Date.now() - oldest.createdAt) : 0;
      } catch {
        outboxLagMs = null;
      }
      return {
        ready: Object.values(checks).every((c) => c.ok),
        checks,
        breakers: { [parts.breaker.name]: parts.breaker.state },
        outboxLagMs,
      };
    },
  };
}
