import type { SagaRecord } from './saga-store.js';
import { SagaCompensatedError, SagaFailedError, SagaInProgressError } from './saga-errors.js';
import { resultsBefore } from './transitions.js';

/** What `start` resolves with: the saga completed. */
export interface SagaCompletion<Results> {
  readonly sagaId: string;
  /** The saga's name. */
  readonly saga: string;
  /** Every step's output, by step name (as logged). */
  readonly output: Results;
}

/**
 * Turns a final record into what `start` returns: the outputs when completed, else the error
 * that describes the end (with the live error of the failed step as `cause`, when known).
 *
 * @internal
 */
export function toOutcome<Results>(
  record: SagaRecord,
  errors: ReadonlyMap<string, unknown>,
): SagaCompletion<Results> {
  const base = { sagaId: record.id, saga: record.name };
  const cause = record.failedStep === null ? undefined : errors.get(record.failedStep);
  const causeOption = cause === undefined ? {} : { cause };
  switch (record.state) {
    case 'completed':
      return { ...base, output: resultsBefore(record, record.steps.length) as Results };
    case 'compensated':
      throw new SagaCompensatedError(
        {
          ...base,
          failedStep: record.failedStep ?? '',
          error: record.error ?? { name: 'Error', message: 'unknown failure', code: null },
        },
        causeOption,
      );
    case 'failed':
    case 'compensation_failed': {
      const stuck = record.steps.find((s) => s.status === 'compensation_failed');
      throw new SagaFailedError(
        {
          ...base,
          state: record.state,
          step: record.failedStep,
          error: record.error,
          compensationStep: stuck?.name ?? null,
          compensationError: stuck?.error ?? null,
        },
        causeOption,
      );
    }
    default:
      throw new SagaInProgressError({
        ...base,
        leaseOwner: record.leaseOwner,
        leaseExpiresAt: record.leaseExpiresAt,
      });
  }
}
