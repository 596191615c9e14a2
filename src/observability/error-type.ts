import { isBookingKitError } from '../errors/booking-kit-error.js';

/**
 * The `error.type` attribute of an error: its bookingkit code (`SLOT_CONFLICT`), else its class
 * name (`TypeError`, `TimeoutError`), else `unknown`. Bounded by the code's error classes, so fit
 * for a metric attribute; the message (which may hold ids or personal data) never is.
 *
 * @example
 * ```ts
 * errorTypeOf(new TypeError('x')); // 'TypeError'
 * ```
 */
export function errorTypeOf(error: unknown): string {
  if (isBookingKitError(error)) return error.code;
  if (error instanceof Error || error instanceof DOMException) return error.name;
  return 'unknown';
}
