import { InvalidOptionError } from '../../errors/invalid-option-error.js';

/** The `timeout_ms` a tool gets unless its function says otherwise: 10 s, not Retell's 120 s of dead air. */
export const defaultRetellToolTimeoutMs = 10_000;

/** Retell's bounds of a tool's `timeout_ms`. @internal */
export const RETELL_TIMEOUT_BOUNDS = { min: 1_000, max: 600_000 } as const;

/**
 * How long a function may work before it must answer, for a tool whose `timeout_ms` is
 * `timeoutMs`: a fifth of it (at least 1.5 s, at most 5 s) is kept back for the network and the
 * answer itself, so Retell always gets an answer before it gives up on the request (and retries
 * it). Work that outlives the budget goes on; the answer says so.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a `timeoutMs` outside Retell's 1,000 to 600,000.
 * @example
 * ```ts
 * timeBudgetFor(10_000); // 8_000
 * ```
 */
export function timeBudgetFor(timeoutMs: number): number {
  if (
    !Number.isInteger(timeoutMs) ||
    timeoutMs < RETELL_TIMEOUT_BOUNDS.min ||
    timeoutMs > RETELL_TIMEOUT_BOUNDS.max
  ) {
    throw new InvalidOptionError('timeoutMs', timeoutMs, 'a whole number of ms from 1000 to 600000');
  }
  const reserve = Math.min(5_000, Math.max(1_500, Math.round(timeoutMs / 5)));
  return Math.max(500, timeoutMs - reserve);
}
