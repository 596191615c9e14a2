import { applyPlan, type ApplyOptions } from './apply-plan.js';
import { planChanges, type ChangesPlanRequest } from './plan-changes.js';
import { planWindow, type PlanRequest } from './plan-window.js';
import type { ReconciliationPlan } from './plan-types.js';
import type { ReconciliationReport } from './reconcile-report.js';
import { resolveReconcilerOptions, type ReconcilerOptions } from './reconciler-options.js';
import { traceReconcile } from './reconcile-telemetry.js';

/** Options of `run`. */
export interface ReconcileRunOptions {
  readonly tenant: string;
  /**
   * `full`: both sides over the window around now; `incremental`: what changed since the
   * tenant's cursor; `auto`: incremental, full when there is no cursor or the last full run is
   * older than `fullRunEveryMs`. @default 'auto'
   */
  readonly mode?: 'auto' | 'full' | 'incremental';
  /** Passed to `apply`: apply a plan the mass-cancel guard would refuse. @default false */
  readonly force?: boolean;
  readonly signal?: AbortSignal;
}

/** Finds drift between the local database and the calendar, and heals what the policy says. */
export interface Reconciler {
  /**
   * Compares both sides over `[from, to)` and proposes one action per drifted pair. Writes
   * nothing. @throws {@link ReconciliationAbortedError} when a listing was partial or shifted.
   */
  plan(request: PlanRequest): Promise<ReconciliationPlan>;
  /** Compares what either side changed since the given instants (an incremental plan). Writes nothing. */
  planChanges(request: ChangesPlanRequest): Promise<ReconciliationPlan>;
  /**
   * Carries out a plan through BookingService (origin `reconciliation`), with idempotency keys
   * derived from each item: applying an interrupted plan again, or a new plan of the same
   * drift, replays what was done instead of doing it twice.
   * @throws {@link MassCancellationRefusedError} unless `force`, for a plan that cancels too much.
   */
  apply(plan: ReconciliationPlan, options?: ApplyOptions): Promise<ReconciliationReport>;
  /**
   * Plans and applies one run for a tenant, full or incremental from its cursor, and moves the
   * cursor on when the run succeeded (a full run with failures leaves the next run full).
   */
  run(options: ReconcileRunOptions): Promise<ReconciliationReport>;
}

/**
 * Creates a reconciler: `plan` (a dry run), `apply`, and `run` (both, with the per-tenant cursor
 * for incremental runs and a periodic full run). Memory is bounded by the page size (and the
 * drift found), not by the window: see `plan`.
 *
 * @throws {@link InvalidOptionError} for a missing dependency or a bad option.
 * @example
 * ```ts
 * declare const stores: MemoryStores;
 * declare const calendar: CalendarProvider;
 * declare const service: BookingService;
 * // ---cut---
 * const reconciler = createReconciler({ appointments: stores.appointments, calendar, bookings: service });
 * const plan = await reconciler.plan({ tenant: 'acme', from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' });
 * const report = await reconciler.apply(plan);
 * console.log(report.counts.classes, report.taken, report.failed.length);
 * ```
 */
export function createReconciler(options: ReconcilerOptions): Reconciler {
  const resolved = resolveReconcilerOptions(options);
  const { clock, cursors } = resolved;

  const reconciler: Reconciler = {
    plan: (request) => planWindow(resolved, request),
    planChanges: (request) => planChanges(resolved, request),
    apply: (plan, applyOptions) => applyPlan(resolved, plan, applyOptions),
    async run({ tenant, mode = 'auto', force = false, signal }) {
      const callOptions = signal ? { signal } : {};
      const now = clock.now();
      const cursor = cursors ? await cursors.get(tenant, callOptions) : null;
      const full =
        mode === 'full' ||
        (mode === 'auto' &&
          (cursor === null ||
            cursor.lastFullRunAt === null ||
            cursor.localUpdatedSince === null ||
            now - Date.parse(cursor.lastFullRunAt) >= resolved.fullRunEveryMs));
      const plan = full
        ? await planWindow(resolved, {
            tenant,
            from: new Date(now - resolved.pastMs).toISOString(),
            to: new Date(now + resolved.futureMs).toISOString(),
            ...callOptions,
          })
        : await planChanges(resolved, {
            tenant,
            localSince: cursor?.localUpdatedSince ?? null,
            remoteSince: cursor?.remoteUpdatedSince ?? null,
            ...callOptions,
          });
      const report = await applyPlan(resolved, plan, { force, ...callOptions });
      if (cursors) {
        const ok = report.failed.length === 0;
        // Skipped items and anything within the grace period are looked at again next time.
        const started = Date.parse(plan.startedAt);
        const oldestSkipped =
          plan.oldestSkippedUpdate === null ? Infinity : Date.parse(plan.oldestSkippedUpdate);
        const watermark = new Date(Math.min(started - resolved.graceMs, oldestSkipped)).toISOString();
        await cursors.save(
          {
            tenantId: tenant,
            localUpdatedSince: ok ? watermark : (cursor?.localUpdatedSince ?? null),
            remoteUpdatedSince: ok ? watermark : (cursor?.remoteUpdatedSince ?? null),
            lastFullRunAt: full && ok ? plan.startedAt : (cursor?.lastFullRunAt ?? null),
            updatedAt: new Date(clock.now()).toISOString(),
          },
          callOptions,
        );
      }
      return report;
    },
  };
  return {
    ...reconciler,
    apply: (plan, applyOptions) =>
      traceReconcile('apply', plan.tenantId, plan.runId, () => reconciler.apply(plan, applyOptions)),
    run: (runOptions) =>
      traceReconcile('run', runOptions.tenant, undefined, () => reconciler.run(runOptions)),
  };
}
