import {
  createReconciler,
  scheduleReconciliation,
  type BookingKit,
  type BookingKitStores,
  type CalendarProvider,
  type Reconciler,
  type ReconciliationSchedule,
} from 'bookingkit';
import type { ReconcileFunction } from 'bookingkit/http';
import { createPostgresLockService, type SqlClient } from 'bookingkit/postgres';
import type { ReconciliationCursorStore } from 'bookingkit';
import type { Logger as PinoLogger } from 'pino';

/** The reconciler behind `POST /admin/reconcile`, and its schedule once started. */
export interface Reconciliation {
  readonly reconciler: Reconciler;
  /** `POST /admin/reconcile`: `dryRun` plans (writes nothing), otherwise plans and applies. */
  readonly reconcile: ReconcileFunction;
  /** Starts the schedule (nothing when the interval is 0); call once the kit has started. */
  start(): void;
  /** Stops the schedule: aborts a round in progress and waits for it. */
  stop(): Promise<void>;
}

/**
 * Reconciliation between the database and Cal.com: a reconciler acting through the kit's booking
 * service (origin `reconciliation`, so events, sagas and the outbox see every change), with the
 * tenants' cursors in the database, and a schedule that runs every tenant every `intervalMs`
 * (a full run at start, then incremental ones, a full one daily). A tenant's run holds a lock in
 * the database, so several instances on one database take turns.
 */
export function createReconciliation(parts: {
  readonly kit: BookingKit<CalendarProvider, BookingKitStores>;
  /** The raw provider (not the kit's wrapped one): reconciliation pages through listings itself. */
  readonly calendar: CalendarProvider;
  readonly sql: SqlClient;
  /** Where each tenant's incremental cursor is kept. */
  readonly cursors: ReconciliationCursorStore;
  readonly tenantIds: readonly string[];
  readonly intervalMs: number;
  readonly graceMs: number;
  readonly logger: PinoLogger;
}): Reconciliation {
  const { kit, logger } = parts;
  const reconciler = createReconciler({
    appointments: kit.stores.appointments,
    calendar: parts.calendar,
    bookings: kit.service,
    bus: kit.bus,
    cursors: parts.cursors,
    graceMs: parts.graceMs,
    logger,
  });
  let schedule: ReconciliationSchedule | null = null;
  return {
    reconciler,
    reconcile: async ({ tenantId, from, to, dryRun }, { signal }) => {
      const plan = await reconciler.plan({ tenant: tenantId, from, to, signal });
      if (dryRun) return { dryRun, plan };
      return { dryRun, report: await reconciler.apply(plan, { signal }) };
    },
    start() {
      if (parts.intervalMs === 0 || schedule) return;
      schedule = scheduleReconciliation({
        reconciler,
        locks: createPostgresLockService({ sql: parts.sql }),
        tenants: parts.tenantIds,
        intervalMs: parts.intervalMs,
        logger,
        onReport: (report) =>
          logger.info(
            {
              tenantId: report.tenantId,
              mode: report.mode,
              taken: report.taken,
              failed: report.failed.length,
            },
            'reconciliation run',
          ),
      });
    },
    stop: async () => {
      await schedule?.stop();
    },
  };
}
