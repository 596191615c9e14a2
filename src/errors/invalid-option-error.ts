import { BookingKitError, errorGuard } from './booking-kit-error.js';

/** Context of an {@link InvalidOptionError}. */
export interface InvalidOptionContext {
  /** Dotted name of the option, e.g. `retry.maxAttempts`. */
  readonly option: string;
  /** The value that was given (as given). */
  readonly value: unknown;
  /** What was expected, in words. */
  readonly expected: string;
}

/**
 * Thrown eagerly, when a factory is called, for an option that is missing, of the wrong type or
 * out of range. The message names the option, the value and what was expected.
 *
 * @example
 * ```ts
 * createEventBus({ catalog, historySize: -1 });
 * // InvalidOptionError: Option "historySize" must be an integer from 0 to 1000000, got -1
 * ```
 */
export class InvalidOptionError extends BookingKitError<'INVALID_OPTION', InvalidOptionContext> {
  override name = 'InvalidOptionError';

  constructor(option: string, value: unknown, expected: string) {
    super('INVALID_OPTION', `Option "${option}" must be ${expected}, got ${describeValue(value)}`, {
      option,
      value,
      expected,
    });
  }
}

/**
 * Tells whether `error` is an {@link InvalidOptionError}.
 *
 * @example
 * ```ts
 * if (isInvalidOptionError(error)) console.error(error.context.option);
 * ```
 */
export const isInvalidOptionError = errorGuard<InvalidOptionError>('InvalidOptionError', 'INVALID_OPTION');

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return `a value of type ${typeof value}`;
}
