import type { CustomerStats } from '../../domain/customer.js';
import type { BookingEvents } from '../events.js';
import type { EventBus } from '../../events/event-bus.js';
import type { AppointmentRepository } from '../../ports/appointment-repository.js';
import type { CustomerStatsStore } from '../../ports/customer-stats-store.js';
import type { Disposable } from '../../util/disposable.js';
import {
  customerOfAppointment,
  disposeAll,
  requireBus,
  requireDependency,
  type BookingListenerOptions,
} from './listener-support.js';

/** What {@link registerCustomerStatistics} needs. */
export interface CustomerStatisticsDeps {
  readonly customerStats: CustomerStatsStore;
  /** To find the customer of a cancelled or no-show appointment. */
  readonly appointments: AppointmentRepository;
}

/**
 * Registers queued listeners that keep each customer's counters: `appointment.booked` counts a
 * booking, `appointment.cancelled` a cancellation, `appointment.no_show` a no-show. Each change
 * goes through the {@link CustomerStatsStore} with the event id, so a redelivered event does not
 * count twice. Appointments without a customer are ignored.
 *
 * @throws `InvalidOptionError` naming `registerCustomerStatistics` and the missing dependency.
 * @returns a disposable that removes the listeners.
 * @example
 * ```ts
 * declare const bus: EventBus<BookingEvents>;
 * declare const customers: CustomerRepository;
 * declare const appointments: AppointmentRepository;
 * // ---cut---
 * registerCustomerStatistics(bus, { customerStats: createMemoryCustomerStatsStore({ customers }), appointments });
 * ```
 */
export function registerCustomerStatistics(
  bus: EventBus<BookingEvents>,
  deps: CustomerStatisticsDeps,
  options: BookingListenerOptions = {},
): Disposable {
  requireBus('registerCustomerStatistics', bus);
  const customerStats = requireDependency('registerCustomerStatistics', deps, 'customerStats');
  const appointments = requireDependency('registerCustomerStatistics', deps, 'appointments');
  const queued = (type: string) => ({
    queued: true,
    name: `customer-stats:${type}`,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  });
  const count = async (
    tenantId: string,
    customerId: string | null,
    eventId: string,
    delta: Partial<CustomerStats>,
    signal: AbortSignal,
  ): Promise<void> => {
    if (customerId === null) return;
    await customerStats.apply(tenantId, customerId, { eventId, delta }, { signal });
  };
  return disposeAll([
    bus.on(
      'appointment.booked',
      ({ id, tenantId, data }, { signal }) => count(tenantId, data.customerId, id, { bookings: 1 }, signal),
      queued('appointment.booked'),
    ),
    bus.on(
      'appointment.cancelled',
      async ({ id, tenantId, data }, { signal }) => {
        const customerId = await customerOfAppointment(appointments, tenantId, data.appointmentId, signal);
        await count(tenantId, customerId, id, { cancellations: 1 }, signal);
      },
      queued('appointment.cancelled'),
    ),
    bus.on(
      'appointment.no_show',
      async ({ id, tenantId, data }, { signal }) => {
        const customerId = await customerOfAppointment(appointments, tenantId, data.appointmentId, signal);
        await count(tenantId, customerId, id, { noShows: 1 }, signal);
      },
      queued('appointment.no_show'),
    ),
  ]);
}
