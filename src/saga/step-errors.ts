import { BookingKitError, errorGuard, isBookingKitError } from '../errors/booking-kit-error.js';

/** Context of a {@link NonRetryableError}. */
export interface NonRetryableContext {
  /** `name` of the wrapped error (`Error` for a message). */
  readonly causeName: string;
}

/**
 * Marks a step's (or a compensation's) failure as final: the coordinator does not retry it, and
 * moves straight on to compensation. Throw it from `run` for failures that another attempt
 * cannot fix (bad input, a business rule, a conflict). The log records the wrapped error, not
 * this wrapper.
 *
 * @example
 * ```ts
 * declare const url: string;
 * // ---cut---
 * const reserve = defineSaga<{ slot: string }>({ name: 'reserve' }).step('reserve', {
 *   run: async ({ input }) => {
 *     const response = await fetch(url, { method: 'POST', body: JSON.stringify(input) });
 *     if (response.status === 409) throw new NonRetryableError(new Error('slot already taken'));
 *     return (await response.json()) as { id: string };
 *   },
 * });
 * ```
 */
export class NonRetryableError extends BookingKitError<'NON_RETRYABLE', NonRetryableContext> {
  override name = 'NonRetryableError';

  /** @param cause - the failure to report, or a message. */
  constructor(cause: unknown) {
    const error = typeof cause === 'string' ? new Error(cause) : cause;
    const causeName = error instanceof Error ? error.name : 'Error';
    super(
      'NON_RETRYABLE',
      error instanceof Error ? error.message : String(error),
      { causeName },
      { cause: error },
    );
  }
}

/**
 * Tells whether `error` is a {@link NonRetryableError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isNonRetryableError(error)) console.log('will not retry:', error.cause);
 * ```
 */
export const isNonRetryableError = errorGuard<NonRetryableError>('NonRetryableError', 'NON_RETRYABLE');

/** Context of a {@link StepTimeoutError}. */
export interface StepTimeoutContext {
  readonly sagaId: string;
  readonly saga: string;
  readonly step: string;
  /** The step's `timeoutMs`. */
  readonly timeoutMs: number;
  readonly attempt: number;
  /** `true` when the compensation, not the step's run, timed out. */
  readonly compensation: boolean;
}

/**
 * A step (or compensation) ran longer than its `timeoutMs`. Its `signal` is aborted with this
 * error and the attempt counts as failed (and is retried like any other failure).
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isStepTimeoutError(error)) console.warn(`${error.context.step} took over ${error.context.timeoutMs} ms`);
 * ```
 */
export class StepTimeoutError extends BookingKitError<'SAGA_STEP_TIMEOUT', StepTimeoutContext> {
  override name = 'StepTimeoutError';

  constructor(context: StepTimeoutContext) {
    const what = context.compensation ? 'Compensation of step' : 'Step';
    super(
      'SAGA_STEP_TIMEOUT',
      `${what} "${context.step}" of saga ${context.sagaId} timed out after ${context.timeoutMs} ms`,
      context,
    );
  }
}

/**
 * Tells whether `error` is a {@link StepTimeoutError}.
 *
 * @example
 * ```ts
 * declare const signal: AbortSignal;
 * // ---cut---
 * if (signal.aborted && !isStepTimeoutError(signal.reason)) throw signal.reason; // a timeout: the coordinator retries
 * ```
 */
export const isStepTimeoutError = errorGuard<StepTimeoutError>('StepTimeoutError', 'SAGA_STEP_TIMEOUT');

/** Context of a {@link StepInDoubtError}. */
export interface StepInDoubtContext {
  readonly sagaId: string;
  readonly saga: string;
  readonly step: string;
  /** Runs of the step recorded before the crash. */
  readonly attempts: number;
}

/**
 * Recovery found a step declared `idempotent: false` that had started but never recorded an
 * outcome: it may or may not have taken effect, and running it again could apply it twice. The
 * saga compensates the steps before it and ends `failed`, for an operator to check that step.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function alertOperator(details: unknown): void;
 * // ---cut---
 * if (isSagaFailedError(error) && isStepInDoubtError(error.cause)) alertOperator(error.context.sagaId);
 * ```
 */
export class StepInDoubtError extends BookingKitError<'SAGA_STEP_IN_DOUBT', StepInDoubtContext> {
  override name = 'StepInDoubtError';

  constructor(context: StepInDoubtContext) {
    super(
      'SAGA_STEP_IN_DOUBT',
      `Step "${context.step}" of saga ${context.sagaId} was interrupted and is not idempotent; its effect is unknown`,
      context,
    );
  }
}

/**
 * Tells whether `error` is a {@link StepInDoubtError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isStepInDoubtError(error)) console.log(error.context.step);
 * ```
 */
export const isStepInDoubtError = errorGuard<StepInDoubtError>('StepInDoubtError', 'SAGA_STEP_IN_DOUBT');

/**
 * Tells whether an error should be retried by default: everything except a
 * {@link NonRetryableError} and other bookingkit errors that input or state cannot change
 * (validation and invalid options).
 *
 * @internal
 */
export function isRetryableByDefault(error: unknown): boolean {
  if (isNonRetryableError(error)) return false;
  if (isBookingKitError(error) && (error.code === 'VALIDATION' || error.code === 'INVALID_OPTION'))
    return false;
  return true;
}
