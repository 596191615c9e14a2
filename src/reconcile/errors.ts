import { BookingKitError, errorGuard } from '../errors/booking-kit-error.js';

/** Why a reconciliation stopped before it could trust what it read. */
export type ReconciliationAbortReason =
  /** A page could not be read (the calendar or the database failed): the listing is partial. */
  | 'listing_incomplete'
  /** The listing moved between pages (an item came twice or out of order): offsets shifted. */
  | 'listing_shifted';

/** Context of a {@link ReconciliationAbortedError}. */
export interface ReconciliationAbortedContext {
  readonly tenantId: string;
  readonly reason: ReconciliationAbortReason;
  /** Which listing: the local database or the calendar. */
  readonly side: 'local' | 'remote';
  /** What was seen, in words (the page, the item). */
  readonly detail: string;
}

/**
 * A reconciliation plan was abandoned because a listing was partial or changed under it. Nothing
 * is classified from such a read: an item that was not seen is never taken for one that is gone.
 * Run it again later; a persistent `listing_incomplete` carries the failure as `cause`.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare const logger: Logger;
 * // ---cut---
 * if (isReconciliationAbortedError(error)) logger.warn(error.context, 'reconciliation will run again');
 * ```
 */
export class ReconciliationAbortedError extends BookingKitError<
  'RECONCILIATION_ABORTED',
  ReconciliationAbortedContext
> {
  override name = 'ReconciliationAbortedError';

  constructor(context: ReconciliationAbortedContext, options: { cause?: unknown } = {}) {
    super(
      'RECONCILIATION_ABORTED',
      `Reconciliation of tenant ${context.tenantId} aborted: the ${context.side} listing ${
        context.reason === 'listing_shifted' ? 'shifted between pages' : 'could not be read in full'
      } (${context.detail})`,
      context,
      options,
    );
  }
}

/**
 * Whether `error` is a {@link ReconciliationAbortedError} (from any copy of bookingkit).
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isReconciliationAbortedError(error)) console.log(error.context.reason);
 * ```
 */
export const isReconciliationAbortedError = errorGuard<ReconciliationAbortedError>(
  'ReconciliationAbortedError',
  'RECONCILIATION_ABORTED',
);

/** Context of a {@link MassCancellationRefusedError}. */
export interface MassCancellationRefusedContext {
  readonly tenantId: string;
  readonly runId: string;
  /** Bookings the plan would cancel, on either side. */
  readonly cancellations: number;
  /** Bookings the plan compared. */
  readonly compared: number;
  /** The largest share of `compared` a plan may cancel without `force`. */
  readonly maxCancelShare: number;
}

/**
 * `apply` refused a plan that would cancel more than the allowed share of the bookings it
 * compared: a sign of a broken listing or a misconfigured tenant rather than of real
 * cancellations. Look at the plan; apply it with `{ force: true }` if it is right.
 *
 * @example
 * ```ts
 * declare const reconciler: Reconciler;
 * declare const plan: ReconciliationPlan;
 * // ---cut---
 * try {
 *   await reconciler.apply(plan);
 * } catch (error) {
 *   if (isMassCancellationRefusedError(error)) console.log(error.context.cancellations);
 * }
 * ```
 */
export class MassCancellationRefusedError extends BookingKitError<
  'MASS_CANCELLATION_REFUSED',
  MassCancellationRefusedContext
> {
  override name = 'MassCancellationRefusedError';

  constructor(context: MassCancellationRefusedContext, options: { cause?: unknown } = {}) {
    super(
      'MASS_CANCELLATION_REFUSED',
      `Reconciliation plan ${context.runId} of tenant ${context.tenantId} would cancel ${context.cancellations} of ${context.compared} bookings, more than ${Math.round(Number(context.maxCancelShare) * 100)}%; apply it with { force: true } if it is right`,
      context,
      options,
    );
  }
}

/**
 * Whether `error` is a {@link MassCancellationRefusedError} (from any copy of bookingkit).
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isMassCancellationRefusedError(error)) console.log(error.context.compared);
 * ```
 */
export const isMassCancellationRefusedError = errorGuard<MassCancellationRefusedError>(
  'MassCancellationRefusedError',
  'MASS_CANCELLATION_REFUSED',
);

/** Context of a {@link ReconciliationLockLostError}. */
export interface ReconciliationLockLostContext {
  readonly tenantId: string;
  /** The lock's key. */
  readonly key: string;
  /**
   * `taken`: the lock service said the lease is no longer held; `unrenewable`: the lease could not
   * be extended and would lapse before the next attempt.
   */
  readonly reason: 'taken' | 'unrenewable';
}

/**
 * A scheduled reconciliation run stopped because it could no longer be sure to hold its lock:
 * another instance may be reconciling the tenant, so this one applies nothing more. What it applied
 * before stays applied (and is replayed, not repeated, by the next run: its idempotency keys derive
 * from the drift). The next round runs again.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare const logger: Logger;
 * // ---cut---
 * if (isReconciliationLockLostError(error)) logger.warn(error.context, 'another instance took over');
 * ```
 */
export class ReconciliationLockLostError extends BookingKitError<
  'RECONCILIATION_LOCK_LOST',
  ReconciliationLockLostContext
> {
  override name = 'ReconciliationLockLostError';

  constructor(context: ReconciliationLockLostContext, options: { cause?: unknown } = {}) {
    super(
      'RECONCILIATION_LOCK_LOST',
      `Reconciliation of tenant ${context.tenantId} stopped: its lock ${context.key} ${
        context.reason === 'taken'
          ? 'is no longer held'
          : 'could not be extended and would lapse before the next attempt'
      }; nothing more is applied by this run`,
      context,
      options,
    );
  }
}

/**
 * Whether `error` is a {@link ReconciliationLockLostError} (from any copy of bookingkit).
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isReconciliationLockLostError(error)) console.log(error.context.reason);
 * ```
 */
export const isReconciliationLockLostError = errorGuard<ReconciliationLockLostError>(
  'ReconciliationLockLostError',
  'RECONCILIATION_LOCK_LOST',
);
