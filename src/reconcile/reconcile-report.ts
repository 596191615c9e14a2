import type { ReconcileAction } from './drift.js';
import type { PlanCounts } from './plan-types.js';

/** An action of `apply` that failed. */
export interface ReconcileFailure {
  /** The plan item's id. */
  readonly itemId: string;
  readonly action: ReconcileAction;
  readonly appointmentId: string | null;
  readonly calendarBookingUid: string | null;
  readonly error: { readonly name: string; readonly code: string | null; readonly message: string };
  /**
   * `true` when trying again may work (the calendar was unavailable): the next run retries it.
   * `false`: it cannot be healed as it stands; `appointment.manual_review_required` was raised.
   */
  readonly retryable: boolean;
}

/** What a reconciliation did. */
export interface ReconciliationReport {
  readonly runId: string;
  readonly tenantId: string;
  readonly mode: 'full' | 'incremental';
  /** Pairs per class, and what was skipped as in flight (from the plan). */
  readonly counts: PlanCounts;
  /** Actions carried out, per action (`flag_manual_review` counts the flags raised). */
  readonly taken: Readonly<Record<ReconcileAction, number>>;
  readonly failed: readonly ReconcileFailure[];
  /** Time spent planning, applying, and in all (ms). */
  readonly planMs: number;
  readonly applyMs: number;
  readonly durationMs: number;
}
