import { BookingKitError, errorGuard } from '../errors/booking-kit-error.js';

/** Context of an {@link IdempotencyInProgressError}. */
export interface IdempotencyInProgressContext {
  readonly tenantId: string;
  readonly key: string;
  /** When the current holder's lock runs out (epoch ms); after it, the key can be claimed again. */
  readonly lockExpiresAt: number;
  /** How long this caller waited for the holder before giving up (0 when it did not wait). */
  readonly waitedMs: number;
}

/**
 * Another caller holds the idempotency key and has not finished: the request is a concurrent
 * duplicate. Answer it as "try again later" (HTTP 409 or 425 with `Retry-After`), or pass
 * `waitMs` to `idempotent()` to wait for the holder's result instead.
 *
 * @example
 * ```ts
 * function toResponse(error: unknown): Response {
 *   if (isIdempotencyInProgressError(error)) return new Response(null, { status: 409 });
 *   throw error;
 * }
 * ```
 */
export class IdempotencyInProgressError extends BookingKitError<
  'IDEMPOTENCY_IN_PROGRESS',
  IdempotencyInProgressContext
> {
  override name = 'IdempotencyInProgressError';

  constructor(context: IdempotencyInProgressContext) {
    const waited = context.waitedMs > 0 ? ` after waiting ${context.waitedMs} ms` : '';
    super(
      'IDEMPOTENCY_IN_PROGRESS',
      `Idempotency key "${context.key}" of tenant "${context.tenantId}" is still being processed by another caller${waited}; its lock runs out at ${new Date(context.lockExpiresAt).toISOString()}`,
      context,
    );
  }
}

/**
 * Tells whether `error` is an {@link IdempotencyInProgressError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isIdempotencyInProgressError(error)) console.log(error.context.lockExpiresAt);
 * ```
 */
export const isIdempotencyInProgressError = errorGuard<IdempotencyInProgressError>(
  'IdempotencyInProgressError',
  'IDEMPOTENCY_IN_PROGRESS',
);

/** Context of an {@link IdempotencyMismatchError}. */
export interface IdempotencyMismatchContext {
  readonly tenantId: string;
  readonly key: string;
  /** Fingerprint of the request that was refused. */
  readonly fingerprint: string;
  /** Fingerprint stored with the key by the first request. */
  readonly storedFingerprint: string;
}

/**
 * The idempotency key was already used for a different request (another fingerprint). Reusing
 * a key for a different request is a client bug; it is refused rather than replayed, because the
 * stored result answers a different question. Answer with HTTP 422.
 *
 * @example
 * ```ts
 * function toResponse(error: unknown): Response {
 *   if (isIdempotencyMismatchError(error)) return new Response(error.message, { status: 422 });
 *   throw error;
 * }
 * ```
 */
export class IdempotencyMismatchError extends BookingKitError<
  'IDEMPOTENCY_MISMATCH',
  IdempotencyMismatchContext
> {
  override name = 'IdempotencyMismatchError';

  constructor(context: IdempotencyMismatchContext) {
    super(
      'IDEMPOTENCY_MISMATCH',
      `Idempotency key "${context.key}" of tenant "${context.tenantId}" was already used for a different request (fingerprint ${context.storedFingerprint}, this request ${context.fingerprint})`,
      context,
    );
  }
}

/**
 * Tells whether `error` is an {@link IdempotencyMismatchError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isIdempotencyMismatchError(error)) console.log(error.context.key);
 * ```
 */
export const isIdempotencyMismatchError = errorGuard<IdempotencyMismatchError>(
  'IdempotencyMismatchError',
  'IDEMPOTENCY_MISMATCH',
);
