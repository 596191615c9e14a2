/** SQLSTATE of an exclusion-constraint violation. @internal */
export const EXCLUSION_VIOLATION = '23P01';
/** SQLSTATE of a unique-constraint violation. @internal */
export const UNIQUE_VIOLATION = '23505';

/**
 * How often a write that lost a deadlock (40P01) or a serialization conflict (40001) is tried.
 * Concurrent writes into one range can deadlock on an exclusion constraint: each waits for the
 * other's uncommitted row. Postgres aborts one of them; tried again, it sees the committed row and
 * fails with the exclusion violation the caller expects.
 *
 * @internal
 */
export const WRITE_ATTEMPTS = 5;

/**
 * Whether a write failed only because it collided with a concurrent transaction, so running it
 * again is correct.
 *
 * @internal
 */
export function isRetryableConflict(error: unknown): boolean {
  const state = sqlState(error);
  return state === '40P01' || state === '40001';
}

interface DriverError {
  readonly code?: unknown;
  readonly constraint?: unknown;
}

/**
 * The SQLSTATE of a driver error (`pg` and PGlite both expose it as `code`), or `undefined`.
 *
 * @internal
 */
export function sqlState(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as DriverError).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * The name of the constraint (or unique index) a driver error reports, or `undefined`.
 *
 * @internal
 */
export function violatedConstraint(error: unknown): string | undefined {
  const name = typeof error === 'object' && error !== null ? (error as DriverError).constraint : undefined;
  return typeof name === 'string' ? name : undefined;
}
