import { InvalidOptionError, type InvalidOptionDetails } from '../errors/invalid-option-error.js';

/** Bounds for {@link checkNumberOption}. */
export interface NumberBounds {
  /** Smallest allowed value (inclusive). @default 0 */
  readonly min?: number;
  /** Largest allowed value (inclusive). @default Number.MAX_SAFE_INTEGER */
  readonly max?: number;
  /** Require a whole number. @default false */
  readonly integer?: boolean;
  /** Accept `Infinity` (e.g. "retry forever"). @default false */
  readonly allowInfinity?: boolean;
}

/**
 * Validates a numeric option eagerly and returns it, or throws an {@link InvalidOptionError} that
 * names the option, the value and the allowed range (and, with `details.factory`, the factory:
 * `createLogNotifier: option "rememberKeys" must be an integer from 1 to 1000000, got 0`).
 *
 * @internal
 */
export function checkNumberOption(
  option: string,
  value: unknown,
  bounds: NumberBounds = {},
  details: InvalidOptionDetails = {},
): number {
  const { min = 0, max = Number.MAX_SAFE_INTEGER, integer = false, allowInfinity = false } = bounds;
  const kind = integer ? 'an integer' : 'a number';
  const range = `${kind} from ${min} to ${allowInfinity ? 'Infinity' : max}`;
  if (typeof value !== 'number' || Number.isNaN(value))
    throw new InvalidOptionError(option, value, range, details);
  if (value === Number.POSITIVE_INFINITY && allowInfinity) return value;
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new InvalidOptionError(option, value, range, details);
  }
  return value;
}

/**
 * Validates an optional numeric option: returns `fallback` when it is `undefined`.
 *
 * @internal
 */
export function numberOption(
  option: string,
  value: unknown,
  fallback: number,
  bounds: NumberBounds = {},
  details: InvalidOptionDetails = {},
): number {
  return value === undefined ? fallback : checkNumberOption(option, value, bounds, details);
}

/**
 * Validates that an option is a function (when `required`, or when given).
 *
 * @internal
 */
export function checkFunctionOption(
  option: string,
  value: unknown,
  required = false,
  details: InvalidOptionDetails = {},
): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'function') throw new InvalidOptionError(option, value, 'a function', details);
}

/**
 * Validates that an option is a non-empty string.
 *
 * @internal
 */
export function checkStringOption(
  option: string,
  value: unknown,
  maxLength = 1_000,
  details: InvalidOptionDetails = {},
): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new InvalidOptionError(
      option,
      value,
      `a non-empty string of at most ${maxLength} characters`,
      details,
    );
  }
  return value;
}

/**
 * Checks a required option of a factory and returns it: a missing options object, a missing option
 * and (with `isValid`) a wrong value each throw an {@link InvalidOptionError} whose message names
 * the factory and the option and says what to pass, e.g.
 * `createBookingService: option "sagas" is required (a SagaStore, e.g. createMemorySagaStore())`.
 *
 * @param expected - what to pass, in words, with an example factory where there is one.
 * @param isValid - whether a given value is usable. @default any value but `undefined` and `null`
 * @internal
 */
export function requireOption<O extends object, K extends keyof O & string>(
  factory: string,
  options: O | undefined,
  option: K,
  expected: string,
  isValid: (value: unknown) => boolean = () => true,
): NonNullable<O[K]> {
  if (typeof options !== 'object' || options === null) {
    // The option name "options" makes the message read "an options object is required".
    throw new InvalidOptionError('options', options, `option "${option}" (${expected})`, { factory });
  }
  const value = options[option];
  if (value === undefined || value === null || !isValid(value)) {
    throw new InvalidOptionError(option, value, expected, { factory });
  }
  return value;
}

/**
 * Checks an optional option of a factory: when given (not `undefined`), it must pass `isValid`,
 * or an {@link InvalidOptionError} names the factory, the option, the value and what to pass.
 *
 * @internal
 */
export function optionalOption<O extends object, K extends keyof O & string>(
  factory: string,
  options: O,
  option: K,
  expected: string,
  isValid: (value: unknown) => boolean,
): void {
  if (options[option] !== undefined) requireOption(factory, options, option, expected, isValid);
}

/**
 * A check for {@link requireOption}: an object with each of `methods`.
 *
 * @internal
 */
export function hasMethods(...methods: readonly string[]): (value: unknown) => boolean {
  return (value) =>
    typeof value === 'object' &&
    value !== null &&
    methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
}

/** What a `clock` option must be. @internal */
export const CLOCK_EXPECTED = 'a Clock, e.g. systemClock';
/** Whether a value can serve as a clock (`now` and `setTimer`). @internal */
export const isClock = hasMethods('now', 'setTimer');
/** What a `logger` option must be. @internal */
export const LOGGER_EXPECTED = 'a Logger (trace, debug, info, warn, error), e.g. pino() or silentLogger';
/** Whether a value can serve as a logger (the five level methods). @internal */
export const isLogger = hasMethods('trace', 'debug', 'info', 'warn', 'error');

/**
 * Checks an optional `clock` option (an object with `now` and `setTimer`).
 *
 * @internal
 */
export function checkClockOption(clock: unknown, details: { readonly factory: string }): void {
  optionalOption(details.factory, { clock }, 'clock', CLOCK_EXPECTED, isClock);
}

/**
 * Checks an optional `logger` option (a Logger with the five level methods).
 *
 * @internal
 */
export function checkLoggerOption(logger: unknown, details: { readonly factory: string }): void {
  optionalOption(details.factory, { logger }, 'logger', LOGGER_EXPECTED, isLogger);
}
