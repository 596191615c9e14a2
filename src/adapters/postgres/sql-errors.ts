/** SQLSTATE of an exclusion-constraint violation. @internal */
export const EXCLUSION_VIOLATION = '23P01';
/** SQLSTATE of a unique-constraint violation. @internal */
export const UNIQUE_VIOLATION = '23505';

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
