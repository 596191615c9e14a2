import { BookingKitError, errorGuard } from '../errors/booking-kit-error.js';
import { formatValidationIssues, type ValidationIssue } from '../errors/validation-error.js';

/** Context of an {@link EventValidationError}. */
export interface EventValidationContext {
  readonly eventType: string;
  readonly eventId: string | undefined;
  /** Each problem, with its path inside the event (`data.start`, `tenantId`). */
  readonly issues: readonly ValidationIssue[];
}

/**
 * An event's envelope or data does not match the catalog. The message names each path and
 * problem, e.g. `Invalid event "appointment.booked": data.start: Invalid ISO datetime`.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isEventValidationError(error)) console.log(error.context.issues);
 * ```
 */
export class EventValidationError extends BookingKitError<'EVENT_VALIDATION', EventValidationContext> {
  override name = 'EventValidationError';

  constructor(context: EventValidationContext, options: { cause?: unknown } = {}) {
    super(
      'EVENT_VALIDATION',
      `Invalid event "${context.eventType}": ${formatValidationIssues(context.issues)}`,
      context,
      options,
    );
  }
}

/**
 * Tells whether `error` is an {@link EventValidationError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function badRequest(message: string): void;
 * // ---cut---
 * if (isEventValidationError(error)) badRequest(error.message);
 * ```
 */
export const isEventValidationError = errorGuard<EventValidationError>(
  'EventValidationError',
  'EVENT_VALIDATION',
);

/** Context of an {@link UnknownEventTypeError}. */
export interface UnknownEventTypeContext {
  readonly eventType: string;
}

/**
 * An event type that is not in the catalog (possible only when types are bypassed at run time,
 * e.g. while deserialising foreign data).
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare const raw: string;
 * declare function deadLetter(raw: string): void;
 * // ---cut---
 * if (isUnknownEventTypeError(error)) deadLetter(raw);
 * ```
 */
export class UnknownEventTypeError extends BookingKitError<'EVENT_TYPE_UNKNOWN', UnknownEventTypeContext> {
  override name = 'UnknownEventTypeError';

  constructor(eventType: string) {
    super('EVENT_TYPE_UNKNOWN', `Unknown event type "${eventType}": it is not in the catalog`, { eventType });
  }
}

/**
 * Tells whether `error` is an {@link UnknownEventTypeError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isUnknownEventTypeError(error)) console.warn(error.context.eventType);
 * ```
 */
export const isUnknownEventTypeError = errorGuard<UnknownEventTypeError>(
  'UnknownEventTypeError',
  'EVENT_TYPE_UNKNOWN',
);

/** One listener that threw (or rejected) while handling an event. */
export interface ListenerFailure {
  /** The listener's name, or `anonymous#<n>` when it was registered without one. */
  readonly listener: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly error: unknown;
}

/** Context of an {@link EventListenerError}. */
export interface EventListenerErrorContext {
  readonly eventId: string;
  readonly eventType: string;
  readonly failures: readonly ListenerFailure[];
}

/**
 * Thrown by `publish` on a bus created with `strict: true`, after every listener has run, when
 * one or more of them failed. `context.failures` lists them all; `cause` is the first error.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isEventListenerError(error)) for (const f of error.context.failures) console.error(f.listener, f.error);
 * ```
 */
export class EventListenerError extends BookingKitError<'EVENT_LISTENER_FAILED', EventListenerErrorContext> {
  override name = 'EventListenerError';

  constructor(context: EventListenerErrorContext) {
    const names = context.failures.map((f) => f.listener).join(', ');
    super(
      'EVENT_LISTENER_FAILED',
      `${context.failures.length} listener(s) failed on "${context.eventType}" (${context.eventId}): ${names}`,
      context,
      { cause: context.failures[0]?.error },
    );
  }
}

/**
 * Tells whether `error` is an {@link EventListenerError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function report(failures: readonly ListenerFailure[]): void;
 * // ---cut---
 * if (isEventListenerError(error)) report(error.context.failures);
 * ```
 */
export const isEventListenerError = errorGuard<EventListenerError>(
  'EventListenerError',
  'EVENT_LISTENER_FAILED',
);
