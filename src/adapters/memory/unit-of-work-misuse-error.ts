import { BookingKitError, errorGuard } from '../../errors/booking-kit-error.js';

/** Context of a {@link UnitOfWorkMisuseError}. */
export interface UnitOfWorkMisuseContext {
  /**
   * `nested`: a write through the shared stores, or a nested `run`, inside a running unit of work
   * (it would wait for that unit of work forever). `closed`: the stores of a unit of work that has
   * already finished were used. `lock_timeout`: a write or unit of work waited longer than
   * `lockTimeoutMs` for the write lock (a unit of work held it too long, e.g. awaiting a slow call).
   */
  readonly reason: 'nested' | 'closed' | 'lock_timeout';
  /** The wait limit, for `lock_timeout`. */
  readonly lockTimeoutMs?: number;
}

const MESSAGES: Record<UnitOfWorkMisuseContext['reason'], string> = {
  nested:
    'A write through the shared stores (or a nested unitOfWork.run) inside a running unit of work would wait for it forever; use the stores passed to the work',
  closed: 'The stores of a unit of work were used after it finished',
  lock_timeout:
    'Waited too long for the write lock of the memory stores: a unit of work held it too long (keep slow calls out of unitOfWork.run)',
};

/**
 * The memory stores were used in a way that would deadlock or write outside any transaction:
 * inside `unitOfWork.run`, write through the stores passed to the work, stop using them once it
 * has finished, and keep slow calls out of it.
 *
 * @example
 * ```ts
 * declare const unitOfWork: UnitOfWork;
 * declare const appointment: Appointment;
 * // ---cut---
 * await unitOfWork.run(async (tx) => {
 *   await tx.appointments.insert(appointment); // not stores.appointments
 * });
 * ```
 */
export class UnitOfWorkMisuseError extends BookingKitError<'UNIT_OF_WORK_MISUSE', UnitOfWorkMisuseContext> {
  override name = 'UnitOfWorkMisuseError';

  constructor(context: UnitOfWorkMisuseContext) {
    super('UNIT_OF_WORK_MISUSE', MESSAGES[context.reason], context);
  }
}

/**
 * Tells whether `error` is a {@link UnitOfWorkMisuseError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isUnitOfWorkMisuseError(error)) console.error(error.context.reason);
 * ```
 */
export const isUnitOfWorkMisuseError = errorGuard<UnitOfWorkMisuseError>(
  'UnitOfWorkMisuseError',
  'UNIT_OF_WORK_MISUSE',
);
