/**
 * Brand that marks every bookingkit error. It is a registered symbol, so an error created by the
 * ESM build is still recognised by the CJS build (and by a second copy of the package), where
 * `instanceof` would fail.
 */
const BRAND = Symbol.for('bookingkit.error');

/** Options accepted by every {@link BookingKitError} constructor. */
export interface BookingKitErrorOptions {
  /** The underlying error, kept for diagnosis. */
  readonly cause?: unknown;
}

/**
 * Base class of every error that bookingkit throws on purpose.
 *
 * Each error carries a stable string `code` (safe to branch on and to log), a typed `context`
 * object with the facts of the failure, and the original `cause` when there was one. Match errors
 * with the `isXError` guards rather than `instanceof`: the guards also recognise errors from another
 * copy of the package.
 *
 * @example
 * ```ts
 * declare const bus: EventBus<BookingEvents>;
 * declare const event: DomainEvent<BookingEvents>;
 * declare const logger: Logger;
 * // ---cut---
 * try {
 *   bus.publish(event);
 * } catch (error) {
 *   if (isBookingKitError(error)) logger.warn({ code: error.code, ...error.context }, error.message);
 *   else throw error;
 * }
 * ```
 */
export class BookingKitError<
  Code extends string = string,
  Context extends object = Record<string, unknown>,
> extends Error {
  /** @internal */
  readonly [BRAND] = true;
  override name = 'BookingKitError';
  /** Stable machine-readable identifier of the failure, e.g. `EVENT_VALIDATION`. */
  readonly code: Code;
  /** Facts about the failure; never contains secrets. */
  readonly context: Readonly<Context>;

  constructor(code: Code, message: string, context: Context, options: BookingKitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.context = Object.freeze({ ...context });
  }

  /** A plain object for structured logs. */
  toJSON(): { name: string; code: Code; message: string; context: Readonly<Context> } {
    return { name: this.name, code: this.code, message: this.message, context: this.context };
  }
}

/**
 * Tells whether `error` is a bookingkit error, from this or any other copy of the package.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isBookingKitError(error)) console.log(error.code);
 * ```
 */
export function isBookingKitError(error: unknown): error is BookingKitError {
  if (error instanceof BookingKitError) return true;
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Record<symbol, unknown>)[BRAND] === true &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

/**
 * Builds the guard for one error class: true when `error` is a bookingkit error whose `name`
 * and `code` match, whichever copy of the package created it.
 *
 * @example
 * ```ts
 * export const isSlotConflictError = errorGuard<SlotConflictError>('SlotConflictError', 'SLOT_CONFLICT');
 * ```
 */
export function errorGuard<E extends BookingKitError>(
  name: string,
  code: E['code'],
): (error: unknown) => error is E {
  return (error: unknown): error is E =>
    isBookingKitError(error) && error.name === name && error.code === code;
}
