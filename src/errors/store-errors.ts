import { BookingKitError, errorGuard } from './booking-kit-error.js';

/** Context of a {@link VersionConflictError}. */
export interface VersionConflictContext {
  readonly entity: string;
  readonly id: string;
  readonly expectedVersion: number;
  /** The stored version, when known. */
  readonly actualVersion: number | null;
}

/**
 * An optimistic-concurrency check failed: the record changed since it was read. Read it again
 * and retry the command.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function retryCommand(): void;
 * // ---cut---
 * if (isVersionConflictError(error)) retryCommand();
 * ```
 */
export class VersionConflictError extends BookingKitError<'VERSION_CONFLICT', VersionConflictContext> {
  override name = 'VersionConflictError';

  constructor(context: VersionConflictContext, options: { cause?: unknown } = {}) {
    const actual =
      context.actualVersion === null ? 'it no longer exists' : `it is at version ${context.actualVersion}`;
    super(
      'VERSION_CONFLICT',
      `${context.entity} ${context.id} was expected at version ${context.expectedVersion}, but ${actual}`,
      context,
      options,
    );
  }
}

/**
 * Tells whether `error` is a {@link VersionConflictError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isVersionConflictError(error)) console.log(error.context.actualVersion);
 * ```
 */
export const isVersionConflictError = errorGuard<VersionConflictError>(
  'VersionConflictError',
  'VERSION_CONFLICT',
);

/** Context of a {@link DuplicateRecordError}. */
export interface DuplicateRecordContext {
  readonly entity: string;
  /** The unique field(s) that collided, e.g. `id` or `phone`. */
  readonly field: string;
  readonly value: string;
}

/**
 * A record with the same unique key already exists.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare const customers: CustomerRepository;
 * declare const tenantId: string;
 * declare const phone: string;
 * // ---cut---
 * const existing = isDuplicateRecordError(error) ? await customers.findByPhone(tenantId, phone) : null;
 * ```
 */
export class DuplicateRecordError extends BookingKitError<'DUPLICATE_RECORD', DuplicateRecordContext> {
  override name = 'DuplicateRecordError';

  constructor(context: DuplicateRecordContext, options: { cause?: unknown } = {}) {
    super(
      'DUPLICATE_RECORD',
      `${context.entity} with ${context.field} "${context.value}" already exists`,
      context,
      options,
    );
  }
}

/**
 * Tells whether `error` is a {@link DuplicateRecordError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isDuplicateRecordError(error)) console.log(error.context.field);
 * ```
 */
export const isDuplicateRecordError = errorGuard<DuplicateRecordError>(
  'DuplicateRecordError',
  'DUPLICATE_RECORD',
);

/** Context of a {@link NotFoundError}. */
export interface NotFoundContext {
  readonly entity: string;
  readonly id: string;
  readonly tenantId?: string;
}

/**
 * The record does not exist (or belongs to another tenant, which is reported the same way).
 *
 * @example
 * ```ts
 * function toResponse(error: unknown): Response {
 *   if (isNotFoundError(error)) return new Response(null, { status: 404 });
 *   throw error;
 * }
 * ```
 */
export class NotFoundError extends BookingKitError<'NOT_FOUND', NotFoundContext> {
  override name = 'NotFoundError';

  constructor(context: NotFoundContext, options: { cause?: unknown } = {}) {
    super('NOT_FOUND', `${context.entity} ${context.id} was not found`, context, options);
  }
}

/**
 * Tells whether `error` is a {@link NotFoundError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isNotFoundError(error)) console.log(error.context.entity, error.context.id);
 * ```
 */
export const isNotFoundError = errorGuard<NotFoundError>('NotFoundError', 'NOT_FOUND');

/** Context of a {@link CorruptRecordError}. */
export interface CorruptRecordContext {
  /** Where the record was read, e.g. `postgres:appointments` or `redis:idempotency`. */
  readonly store: string;
  /** The record's key, when it could be read. */
  readonly key: string | null;
  /** What is wrong with it (field paths and problems). */
  readonly problem: string;
}

/**
 * A stored record could not be read back: malformed, written by something else, or from an
 * incompatible version. Never a crash deep inside an adapter; the message says what and where.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare const logger: Logger;
 * // ---cut---
 * if (isCorruptRecordError(error)) logger.error(error.context, 'corrupt record; needs attention');
 * ```
 */
export class CorruptRecordError extends BookingKitError<'CORRUPT_RECORD', CorruptRecordContext> {
  override name = 'CorruptRecordError';

  constructor(context: CorruptRecordContext, options: { cause?: unknown } = {}) {
    super(
      'CORRUPT_RECORD',
      `Corrupt record in ${context.store}${context.key ? ` (${context.key})` : ''}: ${context.problem}`,
      context,
      options,
    );
  }
}

/**
 * Tells whether `error` is a {@link CorruptRecordError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function alertOperator(details: unknown): void;
 * // ---cut---
 * if (isCorruptRecordError(error)) alertOperator(error.context);
 * ```
 */
export const isCorruptRecordError = errorGuard<CorruptRecordError>('CorruptRecordError', 'CORRUPT_RECORD');

/** Context of a {@link StorageUnavailableError}. */
export interface StorageUnavailableContext {
  /** The kind of store, e.g. `postgres`. */
  readonly store: string;
  /** How long to wait before trying again, in ms (a hint: a restart usually takes seconds). */
  readonly retryAfterMs: number;
}

/**
 * The database could not be reached or ended the connection (a restart, a failover, a network
 * failure): nothing of the operation is known to have been written, unless it was a COMMIT. The
 * HTTP handlers answer 503 with `Retry-After`; retry the request with its idempotency key.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isStorageUnavailableError(error)) console.log(`retry in ${error.context.retryAfterMs} ms`);
 * ```
 */
export class StorageUnavailableError extends BookingKitError<
  'STORAGE_UNAVAILABLE',
  StorageUnavailableContext
> {
  override name = 'StorageUnavailableError';

  constructor(context: StorageUnavailableContext, options: { cause?: unknown } = {}) {
    super(
      'STORAGE_UNAVAILABLE',
      `The ${context.store} database is unavailable (see the cause for the driver's error)`,
      context,
      options,
    );
  }
}

/**
 * Tells whether `error` is a {@link StorageUnavailableError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isStorageUnavailableError(error)) console.log(error.context.store);
 * ```
 */
export const isStorageUnavailableError = errorGuard<StorageUnavailableError>(
  'StorageUnavailableError',
  'STORAGE_UNAVAILABLE',
);
