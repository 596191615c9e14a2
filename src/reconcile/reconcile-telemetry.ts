import { TelemetryAttributes as A } from '../observability/attributes.js';
import { bookingkitInstruments } from '../observability/instruments.js';
import { withSpan } from '../observability/with-span.js';
import type { DriftClass, ReconcileAction } from './drift.js';
import type { ReconciliationReport } from './reconcile-report.js';

/**
 * Records an applied plan: the pairs compared by drift class (`bookingkit.reconcile.pairs`), the
 * actions taken and failed (`bookingkit.reconcile.actions`), and the run's duration, planning
 * included (`bookingkit.reconcile.duration`). A plan that is only planned records nothing.
 *
 * @internal
 */
export function recordReconciliation(report: ReconciliationReport): void {
  const instruments = bookingkitInstruments();
  const tenant = { [A.tenant]: report.tenantId };
  for (const [driftClass, count] of Object.entries(report.counts.classes) as [DriftClass, number][]) {
    if (count > 0)
      instruments.reconcilePairs.add(count, {
        ...tenant,
        [A.reconcileMode]: report.mode,
        [A.driftClass]: driftClass,
      });
  }
  const failed = new Map<ReconcileAction, number>();
  for (const failure of report.failed) failed.set(failure.action, (failed.get(failure.action) ?? 0) + 1);
  const actions = new Set([...Object.keys(report.taken), ...failed.keys()] as ReconcileAction[]);
  for (const action of actions) {
    const applied = report.taken[action] ?? 0;
    const unapplied = failed.get(action) ?? 0;
    if (applied > 0)
      instruments.reconcileActions.add(applied, {
        ...tenant,
        [A.reconcileAction]: action,
        [A.outcome]: 'applied',
      });
    if (unapplied > 0)
      instruments.reconcileActions.add(unapplied, {
        ...tenant,
        [A.reconcileAction]: action,
        [A.outcome]: 'failed',
      });
  }
  instruments.reconcileDuration.record(report.durationMs / 1000, {
    ...tenant,
    [A.reconcileMode]: report.mode,
  });
}

/**
 * Runs a reconciliation step (`reconcile.run`, `reconcile.apply`) inside a span with the tenant
 * and, when known, the run id (the correlation id of the events the run publishes).
 *
 * @internal
 */
export function traceReconcile<T>(
  name: 'run' | 'apply',
  tenantId: string,
  runId: string | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  return withSpan(
    `reconcile.${name}`,
    { attributes: { [A.tenant]: tenantId, ...(runId ? { [A.runId]: runId } : {}) }, correlationId: runId },
    () => fn(),
  );
}
