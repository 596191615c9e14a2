import { BookingKitError, errorGuard } from '../errors/booking-kit-error.js';
import type { SerializedError } from './saga-store.js';

/** Context of a {@link SagaCompensatedError}. */
export interface SagaCompensatedContext {
  readonly sagaId: string;
  readonly saga: string;
  /** The step whose failure was compensated. */
  readonly failedStep: string;
  /** That step's error, as logged. */
  readonly error: SerializedError;
}

/**
 * `start` rejects with this when a step failed and every completed step before it was undone:
 * the saga had no lasting effect. `cause` is the step's original error when it failed in this
 * process (after a restart only `context.error`, the logged form, is left).
 *
 * @example
 * ```ts
 * declare const coordinator: SagaCoordinator;
 * declare const transferSaga: SagaDefinition<{ from: string; to: string; cents: number }>;
 * declare const input: { from: string; to: string; cents: number };
 * declare const sagaId: string;
 * // ---cut---
 * async function transfer(): Promise<{ ok: boolean; reason?: string }> {
 *   try {
 *     await coordinator.start(transferSaga, input, { sagaId });
 *     return { ok: true };
 *   } catch (error) {
 *     if (isSagaCompensatedError(error)) return { ok: false, reason: error.context.error.message };
 *     throw error;
 *   }
 * }
 * ```
 */
export class SagaCompensatedError extends BookingKitError<'SAGA_COMPENSATED', SagaCompensatedContext> {
  override name = 'SagaCompensatedError';

  constructor(context: SagaCompensatedContext, options: { cause?: unknown } = {}) {
    super(
      'SAGA_COMPENSATED',
      `Saga ${context.saga} (${context.sagaId}) was compensated after step "${context.failedStep}" failed: ${context.error.message}`,
      context,
      options,
    );
  }
}

/**
 * Tells whether `error` is a {@link SagaCompensatedError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isSagaCompensatedError(error)) console.log(error.context.failedStep);
 * ```
 */
export const isSagaCompensatedError = errorGuard<SagaCompensatedError>(
  'SagaCompensatedError',
  'SAGA_COMPENSATED',
);

/** Context of a {@link SagaFailedError}. */
export interface SagaFailedContext {
  readonly sagaId: string;
  readonly saga: string;
  /**
   * `compensation_failed` when a compensation gave up; `failed` when a step's effect is unknown or
   * the run no longer matches its definition.
   */
  readonly state: 'failed' | 'compensation_failed';
  /** The step whose failure started compensation (`null` if none failed). */
  readonly step: string | null;
  /** That step's error, as logged. */
  readonly error: SerializedError | null;
  /** The compensation that gave up, when `state` is `compensation_failed`. */
  readonly compensationStep: string | null;
  /** Its last error. */
  readonly compensationError: SerializedError | null;
}

/**
 * `start` rejects with this when a saga ended without its effects being fully undone: a
 * compensation kept failing (`compensation_failed`), or an interrupted non-idempotent step left an
 * unknown effect or the definition changed under a live run (`failed`). A manual-review event was emitted; an operator must finish the job.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function pageOperator(sagaId: string, stuckStep: string | null): void;
 * // ---cut---
 * if (isSagaFailedError(error)) pageOperator(error.context.sagaId, error.context.compensationStep);
 * ```
 */
export class SagaFailedError extends BookingKitError<'SAGA_FAILED', SagaFailedContext> {
  override name = 'SagaFailedError';

  constructor(context: SagaFailedContext, options: { cause?: unknown } = {}) {
    const detail =
      context.state === 'compensation_failed'
        ? `compensation of step "${context.compensationStep ?? '?'}" failed: ${context.compensationError?.message ?? 'unknown error'}`
        : `it stopped without being undone: ${context.error?.message ?? 'unknown error'}`;
    super(
      'SAGA_FAILED',
      `Saga ${context.saga} (${context.sagaId}) needs manual review; ${detail}`,
      context,
      options,
    );
  }
}

/**
 * Tells whether `error` is a {@link SagaFailedError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isSagaFailedError(error)) console.log(error.context.state);
 * ```
 */
export const isSagaFailedError = errorGuard<SagaFailedError>('SagaFailedError', 'SAGA_FAILED');

/** Context of a {@link SagaInProgressError}. */
export interface SagaInProgressContext {
  readonly sagaId: string;
  readonly saga: string;
  /** The worker running it. */
  readonly leaseOwner: string | null;
  /** When its lease ends (epoch ms); after that a new `start` or `recover()` takes it over. */
  readonly leaseExpiresAt: number | null;
}

/**
 * `start` was called for a saga id that another worker is running right now (its lease is
 * valid). The saga is not run twice; ask again later, or read its record.
 *
 * @example
 * ```ts
 * function toResponse(error: unknown): Response {
 *   if (isSagaInProgressError(error)) return new Response('still working on it', { status: 409 });
 *   throw error;
 * }
 * ```
 */
export class SagaInProgressError extends BookingKitError<'SAGA_IN_PROGRESS', SagaInProgressContext> {
  override name = 'SagaInProgressError';

  constructor(context: SagaInProgressContext) {
    super(
      'SAGA_IN_PROGRESS',
      `Saga ${context.saga} (${context.sagaId}) is being run by ${context.leaseOwner ?? 'another worker'}`,
      context,
    );
  }
}

/**
 * Tells whether `error` is a {@link SagaInProgressError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isSagaInProgressError(error)) console.log(error.context.leaseExpiresAt);
 * ```
 */
export const isSagaInProgressError = errorGuard<SagaInProgressError>(
  'SagaInProgressError',
  'SAGA_IN_PROGRESS',
);

/** Context of a {@link SagaLeaseLostError}. */
export interface SagaLeaseLostContext {
  readonly sagaId: string;
  readonly saga: string;
  /** This worker, which lost the lease. */
  readonly owner: string;
}

/**
 * This worker lost a saga's lease (it was too slow, and another worker took the saga over), so
 * it stopped driving the saga: the other worker finishes it. Seen by `start` callers and by the
 * step's `signal`.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare const logger: Logger;
 * // ---cut---
 * if (isSagaLeaseLostError(error)) logger.warn(error.context, 'saga taken over by another worker');
 * ```
 */
export class SagaLeaseLostError extends BookingKitError<'SAGA_LEASE_LOST', SagaLeaseLostContext> {
  override name = 'SagaLeaseLostError';

  constructor(context: SagaLeaseLostContext, options: { cause?: unknown } = {}) {
    super(
      'SAGA_LEASE_LOST',
      `Worker ${context.owner} lost the lease of saga ${context.saga} (${context.sagaId})`,
      context,
      options,
    );
  }
}

/**
 * Tells whether `error` is a {@link SagaLeaseLostError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (!isSagaLeaseLostError(error)) throw error; // a lost lease is fine: another worker finishes the saga
 * ```
 */
export const isSagaLeaseLostError = errorGuard<SagaLeaseLostError>('SagaLeaseLostError', 'SAGA_LEASE_LOST');

/** Context of a {@link SagaIdConflictError}. */
export interface SagaIdConflictContext {
  readonly sagaId: string;
  /** The saga `start` was asked to run. */
  readonly saga: string;
  /** The saga stored under that id. */
  readonly storedSaga: string;
  /** What differs. */
  readonly field: 'name' | 'input' | 'tenantId';
}

/**
 * `start` was called with a saga id that is already used by a different saga, or by the same saga
 * with a different input or tenant: reusing an id for another request is a bug, not a retry.
 *
 * @example
 * ```ts
 * function toResponse(error: unknown): Response {
 *   if (isSagaIdConflictError(error)) return new Response('idempotency key reused', { status: 422 });
 *   throw error;
 * }
 * ```
 */
export class SagaIdConflictError extends BookingKitError<'SAGA_ID_CONFLICT', SagaIdConflictContext> {
  override name = 'SagaIdConflictError';

  constructor(context: SagaIdConflictContext) {
    super(
      'SAGA_ID_CONFLICT',
      `Saga id ${context.sagaId} is already used by saga ${context.storedSaga} with a different ${context.field}`,
      context,
    );
  }
}

/**
 * Tells whether `error` is a {@link SagaIdConflictError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isSagaIdConflictError(error)) console.log(error.context.field);
 * ```
 */
export const isSagaIdConflictError = errorGuard<SagaIdConflictError>(
  'SagaIdConflictError',
  'SAGA_ID_CONFLICT',
);
