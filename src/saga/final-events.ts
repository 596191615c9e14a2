import type { SagaRecord } from './saga-store.js';
import type { SagaEvent, SagaEventBase } from './saga-events.js';

/**
 * The events that announce a final record: `completed`, `compensated`, or `failed` followed by
 * `manual_review_required`.
 *
 * @internal
 */
export function finalEvents(record: SagaRecord, base: SagaEventBase): SagaEvent[] {
  switch (record.state) {
    case 'completed':
      return [{ type: 'completed', ...base }];
    case 'compensated':
      return [
        {
          type: 'compensated',
          ...base,
          failedStep: record.failedStep ?? '',
          error: record.error ?? { name: 'Error', message: 'unknown failure', code: null },
        },
      ];
    case 'failed':
    case 'compensation_failed': {
      const stuck = record.steps.find((s) => s.status === 'compensation_failed');
      const failed: SagaEvent = {
        type: 'failed',
        ...base,
        state: record.state,
        step: record.failedStep,
        error: record.error,
        compensationStep: stuck?.name ?? null,
        compensationError: stuck?.error ?? null,
      };
      return [failed, { type: 'manual_review_required', ...base, reason: manualReviewReason(record) }];
    }
    default:
      return [];
  }
}

/** What an operator must look at, in words. @internal */
export function manualReviewReason(record: SagaRecord): string {
  const stuck = record.steps.find((s) => s.status === 'compensation_failed');
  if (stuck) {
    return (
      `Compensation of step "${stuck.name}" failed ${stuck.compensationAttempts} time(s) (${stuck.error?.message ?? 'unknown error'}); ` +
      `undo it and the steps before it by hand`
    );
  }
  if (record.error?.code === 'SAGA_STEP_IN_DOUBT') {
    return `Step "${record.failedStep ?? '?'}" was interrupted and is not idempotent; check whether it took effect and undo it by hand`;
  }
  return `Saga stopped without being undone: ${record.error?.message ?? 'unknown error'}`;
}
