import { BookingKitError, errorGuard } from '../errors/booking-kit-error.js';

/** Context of a {@link KitClosedError}. */
export interface KitClosedContext {
  /** What was asked of the closed kit, e.g. `book` or `start`. */
  readonly operation: string;
}

/**
 * The booking kit was closed: it takes no new commands and does not start again. Raised during
 * a shutdown for requests that arrive after `close()`; create a new kit to go on.
 *
 * @example
 * ```ts
 * function toResponse(error: unknown): Response {
 *   if (isKitClosedError(error)) return new Response('Shutting down', { status: 503 });
 *   throw error;
 * }
 * ```
 */
export class KitClosedError extends BookingKitError<'KIT_CLOSED', KitClosedContext> {
  override name = 'KitClosedError';

  constructor(context: KitClosedContext) {
    super('KIT_CLOSED', `The booking kit is closed: ${context.operation} refused; create a new kit`, context);
  }
}

/**
 * Tells whether `error` is a {@link KitClosedError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isKitClosedError(error)) console.warn('refused during shutdown:', error.context.operation);
 * ```
 */
export const isKitClosedError = errorGuard<KitClosedError>('KitClosedError', 'KIT_CLOSED');
