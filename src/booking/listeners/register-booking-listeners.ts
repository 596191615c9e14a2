import type { BookingEvents } from '../events.js';
import type { EventBus } from '../../events/event-bus.js';
import type { AuditLog } from '../../ports/audit-log.js';
import type { CallRepository } from '../../ports/call-repository.js';
import type { Clock } from '../../ports/clock.js';
import type { CustomerStatsStore } from '../../ports/customer-stats-store.js';
import type { Notifier } from '../../ports/notifier.js';
import type { Disposable } from '../../util/disposable.js';
import { registerAuditTrail } from './audit-listener.js';
import {
  registerAvailabilityInvalidation,
  type AvailabilityInvalidationDeps,
} from './availability-invalidation-listener.js';
import { registerCallLinks } from './call-link-listener.js';
import { registerCustomerStatistics } from './customer-stats-listener.js';
import {
  disposeAll,
  requireBus,
  requireDependency,
  type BookingListenerOptions,
} from './listener-support.js';
import {
  registerNotifications,
  type NotificationDeps,
  type NotificationListenerOptions,
} from './notification-listener.js';

/** What {@link registerBookingListeners} wires together. */
export interface BookingListenerDeps
  extends AvailabilityInvalidationDeps, Omit<NotificationDeps, 'notifier'> {
  /** Notifies customers. @default none: no notification listener is registered */
  readonly notifier?: Notifier;
  /** Records every event. @default none: no audit listener is registered */
  readonly auditLog?: AuditLog;
  /** Keeps customers' counters. @default none: no statistics listener is registered */
  readonly customerStats?: CustomerStatsStore;
  /** Links appointments booked during a call to the call. @default none: no call link listener is registered */
  readonly calls?: CallRepository;
  /** For the audit trail's `recordedAt`. @default systemClock */
  readonly clock?: Clock;
}

/** Options of {@link registerBookingListeners}. */
export interface BookingListenersOptions extends BookingListenerOptions {
  /** Options of the notification listener. @default {} */
  readonly notifications?: Omit<NotificationListenerOptions, 'retry'>;
}

/**
 * Registers the booking layer's queued listeners on `bus`: availability invalidation (always),
 * and notifications, the audit trail, customer statistics and call links when their dependency
 * is given.
 * Every listener is durable (delivered by the outbox relay, retried, idempotent by event id) and
 * runs for every origin. The bus needs an outbox (`createEventBus({ outbox })`), and the outbox
 * relay must run (`relay.start()`, or `kit.start()` of `createBookingKit`) for queued listeners
 * and deferred calendar syncs; until it does, their messages wait in the outbox.
 *
 * @throws `InvalidOptionError` naming `registerBookingListeners` and the missing or unusable
 *   dependency, before any listener is registered.
 * @returns a disposable that removes every listener.
 * @example
 * ```ts
 * declare const stores: MemoryStores;
 * declare const availability: AvailabilityService;
 * // ---cut---
 * const bus = createEventBus({ catalog: bookingEvents, outbox: stores.outbox });
 * registerBookingListeners(bus, {
 *   availability, customers: stores.customers, appointments: stores.appointments,
 *   notifier: createMemoryNotifier(), auditLog: createMemoryAuditLog(),
 *   customerStats: createMemoryCustomerStatsStore({ customers: stores.customers }),
 *   calls: stores.calls,
 * });
 * createOutboxRelay({ bus, store: stores.outbox }).start();
 * ```
 */
export function registerBookingListeners(
  bus: EventBus<BookingEvents>,
  deps: BookingListenerDeps,
  options: BookingListenersOptions = {},
): Disposable {
  const factory = 'registerBookingListeners';
  requireBus(factory, bus);
  for (const name of ['availability', 'customers', 'appointments'] as const)
    requireDependency(factory, deps, name);
  for (const name of ['notifier', 'auditLog', 'customerStats', 'calls'] as const) {
    if (deps[name] !== undefined) requireDependency(factory, deps, name);
  }
  const retry = options.retry === undefined ? {} : { retry: options.retry };
  const registered: Disposable[] = [];
  try {
    registered.push(registerAvailabilityInvalidation(bus, deps, retry));
    if (deps.notifier !== undefined) {
      registered.push(
        registerNotifications(
          bus,
          { ...deps, notifier: deps.notifier },
          { ...options.notifications, ...retry },
        ),
      );
    }
    if (deps.auditLog !== undefined) {
      registered.push(
        registerAuditTrail(
          bus,
          { auditLog: deps.auditLog, ...(deps.clock === undefined ? {} : { clock: deps.clock }) },
          retry,
        ),
      );
    }
    if (deps.customerStats !== undefined) {
      registered.push(
        registerCustomerStatistics(
          bus,
          { customerStats: deps.customerStats, appointments: deps.appointments },
          retry,
        ),
      );
    }
    if (deps.calls !== undefined) registered.push(registerCallLinks(bus, { calls: deps.calls }, retry));
  } catch (error) {
    disposeAll(registered).dispose();
    throw error;
  }
  return disposeAll(registered);
}
