import {
  CalendarOutsideBookingHoursError,
  CalendarRequestRejectedError,
  CalendarSlotUnavailableError,
} from '../booking/errors.js';
import type { TimeRange } from '../domain/time-range.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { CalendarProvider } from '../ports/calendar-provider.js';
import { TimeoutError } from '../resilience/errors.js';
import { abortReason } from '../util/abort.js';
import { checkNumberOption, hasMethods, requireOption } from '../util/options.js';

/** The name of one {@link CalendarProvider} method. */
export type CalendarOperation = keyof CalendarProvider;

const OPERATIONS: readonly CalendarOperation[] = [
  'createBooking',
  'findBookingByAppointmentId',
  'rescheduleBooking',
  'cancelBooking',
  'listBookings',
  'listBookingsUpdatedSince',
  'getAvailableSlots',
  'listEventTypes',
];

/**
 * A class of calendar failure, as the {@link CalendarProvider} contract names them:
 * - `slot_taken`: {@link CalendarSlotUnavailableError};
 * - `outside_hours`: {@link CalendarOutsideBookingHoursError};
 * - `not_found`, `invalid_request`: {@link CalendarRequestRejectedError} (HTTP 404, 400);
 * - `unavailable`, `rate_limited`, `timeout`: transient failures, as an HTTP client reports them
 *   (an error with `status` 503, or 429 with `Retry-After: 1`; a `TimeoutError`).
 */
export type CalendarFaultKind =
  | 'slot_taken'
  | 'outside_hours'
  | 'not_found'
  | 'invalid_request'
  | 'unavailable'
  | 'rate_limited'
  | 'timeout';

const FAULT_KINDS: readonly CalendarFaultKind[] = [
  'slot_taken',
  'outside_hours',
  'not_found',
  'invalid_request',
  'unavailable',
  'rate_limited',
  'timeout',
];

/** The fault controls of a {@link FaultyCalendarProvider}. */
export interface CalendarFaults {
  /** The provider calls go to when no fault is queued. */
  readonly inner: CalendarProvider;
  /**
   * The next `times` calls of `operation` reject with `error` without reaching the calendar.
   * @throws `InvalidOptionError` for an unknown operation or a bad `times`.
   */
  failNext(operation: CalendarOperation, error: unknown, times?: number): void;
  /**
   * The next `times` calls of `operation` reject, without reaching the calendar, with the error
   * that the contract prescribes for `kind`, made from the call's arguments (tenant, event type
   * and time where the call names them).
   * @throws `InvalidOptionError` for an unknown operation or kind, or a bad `times`.
   */
  failNextAs(operation: CalendarOperation, kind: CalendarFaultKind, times?: number): void;
  /**
   * The next `times` calls of `operation` never answer: they reject with the abort reason when
   * their signal aborts, and stay pending forever without a signal. They do not reach the calendar.
   * @throws `InvalidOptionError` for an unknown operation or a bad `times`.
   */
  hangNext(operation: CalendarOperation, times?: number): void;
  /**
   * The next `times` calls of `operation` reach the calendar and take effect, then reject with
   * `error` as if the response was lost on the way back: the scenario in which a blind retry of
   * `createBooking` double books.
   * @throws `InvalidOptionError` for an unknown operation or a bad `times`.
   */
  loseResponseNext(operation: CalendarOperation, times?: number, error?: unknown): void;
  /** How many calls `operation` received (whatever their outcome) since creation or `reset()`. */
  calls(operation: CalendarOperation): number;
  /** Drops every queued fault and zeroes the call counts. */
  reset(): void;
}

/** A {@link CalendarProvider} whose next calls can be made to fail, hang or lose their response. */
export type FaultyCalendarProvider = CalendarProvider & CalendarFaults;

type Fault =
  | { readonly kind: 'fail'; readonly error: unknown }
  | { readonly kind: 'class'; readonly class: CalendarFaultKind }
  | { readonly kind: 'hang' }
  | { readonly kind: 'lose'; readonly error: unknown };

/** The factory every error of a {@link FaultyCalendarProvider} names, its methods' included. */
const details = { factory: 'withCalendarFaults' } as const;

const checkOperation = (operation: unknown): CalendarOperation => {
  if (!OPERATIONS.includes(operation as CalendarOperation)) {
    throw new InvalidOptionError('operation', operation, `one of ${OPERATIONS.join(', ')}`, details);
  }
  return operation as CalendarOperation;
};

/** Reads the signal from a method's trailing `{ signal }` argument. */
const signalOf = (args: readonly unknown[]): AbortSignal | undefined => {
  const last = args[args.length - 1] as { signal?: unknown } | undefined;
  return last?.signal instanceof AbortSignal ? last.signal : undefined;
};

/** The tenant, event type and time a call names, as far as its arguments tell. */
function subjectOf(
  operation: CalendarOperation,
  args: readonly unknown[],
): { tenantId: string; eventTypeId: string; requested: TimeRange } {
  const first = args[0] as Record<string, unknown> | string | undefined;
  const text = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);
  const unknownRange = { start: '', end: '' };
  if (operation === 'createBooking' && typeof first === 'object' && first !== null) {
    return {
      tenantId: text(first.tenantId, ''),
      eventTypeId: text(first.eventTypeId, ''),
      requested: { start: text(first.start, ''), end: text(first.end, '') },
    };
  }
  const change = (operation === 'rescheduleBooking' ? args[2] : args[1]) as
    Record<string, unknown> | undefined;
  return {
    tenantId: text(first, ''),
    eventTypeId: text(change?.eventTypeId, ''),
    requested:
      change && typeof change.start === 'string'
        ? { start: change.start, end: text(change.end, '') }
        : unknownRange,
  };
}

/** The error the contract prescribes for `kind`. */
function faultError(kind: CalendarFaultKind, operation: CalendarOperation, args: readonly unknown[]): Error {
  const subject = subjectOf(operation, args);
  const http = (status: number, message: string, headers: Record<string, string> = {}): Error =>
    Object.assign(new Error(message), { name: 'HTTPError', status, headers });
  switch (kind) {
    case 'slot_taken':
      return new CalendarSlotUnavailableError(subject);
    case 'outside_hours':
      return new CalendarOutsideBookingHoursError({ ...subject, reason: 'closed' });
    case 'not_found':
    case 'invalid_request':
      return new CalendarRequestRejectedError({
        tenantId: subject.tenantId,
        operation,
        reason: kind,
        status: kind === 'not_found' ? 404 : 400,
        detail: kind === 'not_found' ? 'not found (injected fault)' : 'invalid request (injected fault)',
      });
    case 'unavailable':
      return http(503, 'Service Unavailable');
    case 'rate_limited':
      return http(429, 'Too Many Requests', { 'retry-after': '1' });
    case 'timeout':
      return new TimeoutError({ timeoutMs: 30_000 });
  }
}

const hang = (signal: AbortSignal | undefined): Promise<never> =>
  new Promise<never>((_resolve, reject) => {
    if (!signal) return;
    if (signal.aborted) reject(abortReason(signal));
    else signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true });
  });

/**
 * Wraps a calendar provider for fault-injection tests: queue failures, hangs and lost responses
 * for the next calls of an operation, and count calls per operation. Faults are consumed in the
 * order they were queued; calls without a queued fault pass through untouched.
 *
 * @example
 * ```ts
 * declare const clock: Clock;
 * declare const eventTypes: MemoryCalendarEventTypeInput[];
 * declare const service: BookingService;
 * declare const command: BookCommand;
 * // ---cut---
 * import { expect } from 'vitest';
 * const calendar = withCalendarFaults(createMemoryCalendarProvider({ clock, eventTypes }));
 * calendar.loseResponseNext('createBooking'); // created in the calendar, but the caller sees a timeout
 * await service.book(command);
 * expect(calendar.calls('createBooking')).toBe(1); // looked up by tag instead of booking twice
 * ```
 */
export function withCalendarFaults(provider: CalendarProvider): FaultyCalendarProvider {
  requireOption(
    details.factory,
    { provider },
    'provider',
    'a CalendarProvider, e.g. createMemoryCalendarProvider({ eventTypes })',
    hasMethods(...OPERATIONS),
  );
  const queues = new Map<CalendarOperation, Fault[]>();
  const counts = new Map<CalendarOperation, number>();

  const enqueue = (operation: unknown, times: unknown, fault: Fault): void => {
    const checked = checkOperation(operation);
    const count = checkNumberOption('times', times, { min: 1, max: 1_000_000, integer: true }, details);
    const queue = queues.get(checked) ?? [];
    for (let i = 0; i < count; i += 1) queue.push(fault);
    queues.set(checked, queue);
  };

  const run = async (operation: CalendarOperation, args: unknown[]): Promise<unknown> => {
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    const fault = queues.get(operation)?.shift();
    const call = (): Promise<unknown> =>
      (provider[operation] as (...callArgs: unknown[]) => Promise<unknown>).apply(provider, args);
    if (!fault) return call();
    if (fault.kind === 'fail') throw fault.error;
    if (fault.kind === 'class') throw faultError(fault.class, operation, args);
    if (fault.kind === 'hang') return hang(signalOf(args));
    await call();
    throw fault.error;
  };

  const method =
    (operation: CalendarOperation) =>
    (...args: unknown[]): Promise<never> =>
      run(operation, args) as Promise<never>;

  return {
    inner: provider,
    createBooking: method('createBooking'),
    findBookingByAppointmentId: method('findBookingByAppointmentId'),
    rescheduleBooking: method('rescheduleBooking'),
    cancelBooking: method('cancelBooking'),
    listBookings: method('listBookings'),
    listBookingsUpdatedSince: method('listBookingsUpdatedSince'),
    getAvailableSlots: method('getAvailableSlots'),
    listEventTypes: method('listEventTypes'),
    failNext(operation, error, times = 1) {
      enqueue(operation, times, { kind: 'fail', error });
    },
    failNextAs(operation, kind, times = 1) {
      if (!FAULT_KINDS.includes(kind)) {
        throw new InvalidOptionError('kind', kind, `one of ${FAULT_KINDS.join(', ')}`, details);
      }
      enqueue(operation, times, { kind: 'class', class: kind });
    },
    hangNext(operation, times = 1) {
      enqueue(operation, times, { kind: 'hang' });
    },
    loseResponseNext(operation, times = 1, error = new TimeoutError({ timeoutMs: 30_000 })) {
      enqueue(operation, times, { kind: 'lose', error });
    },
    calls(operation) {
      return counts.get(checkOperation(operation)) ?? 0;
    },
    reset() {
      queues.clear();
      counts.clear();
    },
  };
}
