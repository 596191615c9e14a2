import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { CalendarProvider } from '../ports/calendar-provider.js';
import { TimeoutError } from '../resilience/errors.js';
import { abortReason } from '../util/abort.js';
import { checkNumberOption } from '../util/options.js';

/** The name of one {@link CalendarProvider} method. */
export type CalendarOperation = keyof CalendarProvider;

const OPERATIONS: readonly CalendarOperation[] = [
  'createBooking',
  'findBookingByAppointmentId',
  'rescheduleBooking',
  'cancelBooking',
  'listBookings',
  'getAvailableSlots',
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
  | { readonly kind: 'hang' }
  | { readonly kind: 'lose'; readonly error: unknown };

const checkOperation = (operation: unknown): CalendarOperation => {
  if (!OPERATIONS.includes(operation as CalendarOperation)) {
    throw new InvalidOptionError('operation', operation, `one of ${OPERATIONS.join(', ')}`);
  }
  return operation as CalendarOperation;
};

/** Reads the signal from a method's trailing `{ signal }` argument. */
const signalOf = (args: readonly unknown[]): AbortSignal | undefined => {
  const last = args[args.length - 1] as { signal?: unknown } | undefined;
  return last?.signal instanceof AbortSignal ? last.signal : undefined;
};

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
 * const calendar = withCalendarFaults(createMemoryCalendarProvider({ clock, eventTypes }));
 * calendar.loseResponseNext('createBooking'); // created in the calendar, but the caller sees a timeout
 * await service.book(command);
 * expect(calendar.calls('createBooking')).toBe(1); // looked up by tag instead of booking twice
 * ```
 */
export function withCalendarFaults(provider: CalendarProvider): FaultyCalendarProvider {
  if (typeof provider !== 'object' || provider === null || typeof provider.createBooking !== 'function') {
    throw new InvalidOptionError('provider', provider, 'a CalendarProvider');
  }
  const queues = new Map<CalendarOperation, Fault[]>();
  const counts = new Map<CalendarOperation, number>();

  const enqueue = (operation: unknown, times: unknown, fault: Fault): void => {
    const checked = checkOperation(operation);
    const count = checkNumberOption('times', times, { min: 1, max: 1_000_000, integer: true });
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
    getAvailableSlots: method('getAvailableSlots'),
    failNext(operation, error, times = 1) {
      enqueue(operation, times, { kind: 'fail', error });
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
