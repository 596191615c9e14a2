import { isBookingKitError } from '../errors/booking-kit-error.js';
import { isTransientError } from '../resilience/http.js';
import { throwIfAborted } from '../util/abort.js';
import type { ReconcileAction } from './drift.js';
import { MassCancellationRefusedError } from './errors.js';
import { applyItem } from './apply-item.js';
import type { ReconciliationPlan } from './plan-types.js';
import { reconcileEvents } from './reconcile-events.js';
import type { ReconcileFailure, ReconciliationReport } from './reconcile-report.js';
import { recordReconciliation } from './reconcile-telemetry.js';
import type { ResolvedReconcilerOptions } from './reconciler-options.js';

/** Options of `apply`. */
export interface ApplyOptions {
  /** Apply a plan that cancels more than `maxCancelShare` of the compared bookings. @default false */
  readonly force?: boolean;
  readonly signal?: AbortSignal;
}

/** Failures worth another run: the calendar or a twin command was busy, not wrong. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'CALENDAR_UNAVAILABLE',
  'BROKEN_CIRCUIT',
  'BULKHEAD_REJECTED',
  'TIMEOUT',
  'IDEMPOTENCY_IN_PROGRESS',
  'SAGA_IN_PROGRESS',
  'VERSION_CONFLICT',
]);

const isRetryable = (error: unknown): boolean =>
  isTransientError(error) || (isBookingKitError(error) && RETRYABLE_CODES.has(error.code));

/**
 * The mass-cancel guard: refuses a plan that would cancel more than the allowed share of the
 * bookings it compared.
 *
 * @internal
 */
export function checkCancellations(options: ResolvedReconcilerOptions, plan: ReconciliationPlan): void {
  const { cancellations, compared } = plan;
  if (cancellations < options.cancelGuardMinimum) return;
  if (cancellations <= options.maxCancelShare * compared) return;
  throw new MassCancellationRefusedError({
    tenantId: plan.tenantId,
    runId: plan.runId,
    cancellations,
    compared,
    maxCancelShare: options.maxCancelShare,
  });
}

/**
 * Carries out a plan item by item, each through BookingService with an idempotency key derived
 * from the item; a failed item is reported and the rest go on.
 *
 * @internal
 */
export async function applyPlan(
  options: ResolvedReconcilerOptions,
  plan: ReconciliationPlan,
  applyOptions: ApplyOptions = {},
): Promise<ReconciliationReport> {
  const { signal } = applyOptions;
  if (applyOptions.force !== true) checkCancellations(options, plan);
  const began = options.clock.now();
  const events = reconcileEvents(options.bus, options.logger, plan.tenantId, plan.runId);
  const taken: Record<ReconcileAction, number> = {
    heal_remote: 0,
    import_local: 0,
    accept_remote: 0,
    accept_local: 0,
    flag_manual_review: 0,
  };
  const failed: ReconcileFailure[] = [];
  for (const item of plan.items) {
    throwIfAborted(signal);
    events.driftDetected(item);
    if (item.action === 'flag_manual_review') {
      events.manualReview(item, `reconciliation found ${item.cause}: ${item.details}`);
      events.healed(item);
      taken.flag_manual_review += 1;
      continue;
    }
    try {
      await applyItem(options, plan.tenantId, item, signal);
      taken[item.action] += 1;
      events.healed(item);
    } catch (error) {
      if (signal?.aborted) throw error;
      const retryable = isRetryable(error);
      const failure: ReconcileFailure = {
        itemId: item.id,
        action: item.action,
        appointmentId: item.local?.id ?? null,
        calendarBookingUid: item.remote?.uid ?? item.local?.calendarBookingUid ?? null,
        error: {
          name: error instanceof Error ? error.name : 'Error',
          code: isBookingKitError(error) ? error.code : null,
          message: error instanceof Error ? error.message : String(error),
        },
        retryable,
      };
      failed.push(failure);
      options.logger.warn({ runId: plan.runId, ...failure }, 'reconciliation could not apply an item');
      if (!retryable) {
        events.manualReview(
          item,
          `reconciliation could not ${item.action} (${item.cause}): ${failure.error.message}`,
        );
      }
    }
  }
  const applyMs = options.clock.now() - began;
  const report: ReconciliationReport = {
    runId: plan.runId,
    tenantId: plan.tenantId,
    mode: plan.mode,
    counts: plan.counts,
    taken,
    failed,
    planMs: plan.durationMs,
    applyMs,
    durationMs: plan.durationMs + applyMs,
  };
  recordReconciliation(report);
  return report;
}
