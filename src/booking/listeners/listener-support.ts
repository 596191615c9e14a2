import type { AppointmentRepository } from '../../ports/appointment-repository.js';
import type { QueuedRetryOptions } from '../../events/listener.js';
import type { Disposable } from '../../util/disposable.js';
import { toDisposable } from '../../util/disposable.js';
import { requireOption } from '../../util/options.js';

/** Options shared by the booking listeners' `register…` functions. */
export interface BookingListenerOptions {
  /**
   * Retry schedule of the queued listeners.
   * @default the bus's default (1 s, 5 s, 30 s, 2 min, 10 min)
   */
  readonly retry?: QueuedRetryOptions;
}

/** Each dependency of the booking listeners: what to pass, and a method it must have. */
const DEPENDENCIES = {
  availability: {
    expected: 'an AvailabilityService, e.g. createAvailabilityService({ calendar, cache, ttlMs })',
    method: 'invalidate',
  },
  customers: {
    expected: 'a CustomerRepository, e.g. stores.customers from createMemoryStores()',
    method: 'get',
  },
  appointments: {
    expected: 'an AppointmentRepository, e.g. stores.appointments from createMemoryStores()',
    method: 'get',
  },
  customerStats: {
    expected: 'a CustomerStatsStore, e.g. createMemoryCustomerStatsStore({ customers })',
    method: 'apply',
  },
  notifier: { expected: 'a Notifier, e.g. createMemoryNotifier()', method: 'send' },
  auditLog: { expected: 'an AuditLog, e.g. createMemoryAuditLog()', method: 'append' },
  calls: {
    expected: 'a CallRepository, e.g. stores.calls from createMemoryStores()',
    method: 'linkAppointment',
  },
  unitOfWork: {
    expected: 'a UnitOfWork, e.g. stores.unitOfWork from createMemoryStores()',
    method: 'run',
  },
  bus: {
    expected: 'an EventBus over bookingEvents, e.g. createEventBus({ catalog: bookingEvents, outbox })',
    method: 'on',
  },
} as const;

/**
 * Checks a dependency of a booking listener's `register…` function and returns it; a missing
 * `deps` object, a missing dependency or one without its method throws an `InvalidOptionError`
 * naming `factory` and the dependency.
 *
 * @internal
 */
export function requireDependency<D extends object, K extends keyof D & keyof typeof DEPENDENCIES>(
  factory: string,
  deps: D | undefined,
  name: K,
): NonNullable<D[K]> {
  const { expected, method } = DEPENDENCIES[name];
  return requireOption(
    factory,
    deps,
    name,
    expected,
    (value) => typeof (value as Record<string, unknown>)[method] === 'function',
  );
}

/**
 * Checks the bus argument of a `register…` function and returns it: a missing bus, or a value
 * without `on`, throws an `InvalidOptionError` naming `factory` and `bus`.
 *
 * @internal
 */
export function requireBus<B>(factory: string, bus: B): NonNullable<B> {
  return requireDependency(factory, { bus }, 'bus');
}

/**
 * One disposable for many subscriptions.
 *
 * @internal
 */
export function disposeAll(disposables: readonly Disposable[]): Disposable {
  return toDisposable(() => {
    for (const disposable of disposables) disposable.dispose();
  });
}

/**
 * The customer of an appointment, read from the repository (events after `booked` do not carry it).
 *
 * @internal
 */
export async function customerOfAppointment(
  appointments: AppointmentRepository,
  tenantId: string,
  appointmentId: string,
  signal: AbortSignal,
): Promise<string | null> {
  const appointment = await appointments.get(tenantId, appointmentId, { signal });
  return appointment?.customerId ?? null;
}
