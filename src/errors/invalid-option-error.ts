import { BookingKitError, errorGuard } from './booking-kit-error.js';

/** Context of an {@link InvalidOptionError}. */
export interface InvalidOptionContext {
  /** Dotted name of the option, e.g. `retry.maxAttempts`. */
  readonly option: string;
  /** The value that was given (as given). */
  readonly value: unknown;
  /** What was expected, in words. */
  readonly expected: string;
  /** The factory the option was given to (e.g. `createBookingService`), when known. */
  readonly factory?: string;
}

/** Where an {@link InvalidOptionError} arose. */
export interface InvalidOptionDetails {
  /** The factory the option was given to; the message then starts with its name. */
  readonly factory?: string | undefined;
}

/**
 * Thrown eagerly, when a factory is called, for an option that is missing, of the wrong type or
 * out of range. The message names the option, the value and what was expected; with a `factory`,
 * it starts with the factory's name, and a missing option reads as required.
 *
 * @example
 * ```ts
 * declare const catalog: EventCatalog;
 * declare const stores: BookingStores;
 * declare const tenants: TenantDirectory;
 * declare const calendar: CalendarProvider;
 * declare const bus: EventBus<BookingEvents>;
 * declare const idempotency: IdempotencyStore;
 * // ---cut---
 * createEventBus({ catalog, historySize: -1 });
 * // InvalidOptionError: createEventBus: option "historySize" must be an integer from 0 to 1000000, got -1
 * createBookingService({ stores, tenants, calendar, bus, idempotency } as BookingServiceOptions); // as from JavaScript
 * // InvalidOptionError: createBookingService: option "sagas" is required (a SagaStore, e.g. createMemorySagaStore())
 * ```
 */
export class InvalidOptionError extends BookingKitError<'INVALID_OPTION', InvalidOptionContext> {
  override name = 'InvalidOptionError';

  constructor(option: string, value: unknown, expected: string, details: InvalidOptionDetails = {}) {
    const { factory } = details;
    super(
      'INVALID_OPTION',
      messageOf(option, value, expected, factory),
      factory === undefined ? { option, value, expected } : { option, value, expected, factory },
    );
  }
}

/**
 * Tells whether `error` is an {@link InvalidOptionError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isInvalidOptionError(error)) console.error(error.context.option);
 * ```
 */
export const isInvalidOptionError = errorGuard<InvalidOptionError>('InvalidOptionError', 'INVALID_OPTION');

/** The option name that stands for the whole options object (a factory called without one). */
const OPTIONS_OBJECT = 'options';

function messageOf(option: string, value: unknown, expected: string, factory: string | undefined): string {
  if (factory === undefined) return `Option "${option}" must be ${expected}, got ${describeValue(value)}`;
  if (value !== undefined && value !== null)
    return `${factory}: option "${option}" must be ${expected}, got ${describeValue(value)}`;
  if (option === OPTIONS_OBJECT) return `${factory}: an options object is required, with ${expected}`;
  return `${factory}: option "${option}" is required (${expected})`;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return `a value of type ${typeof value}`;
}
