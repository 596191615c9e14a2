/**
 * A booking backend's event plumbing for listener tests: memory stores, a real bus with the memory
 * outbox, an outbox relay on a fake clock, and helpers to publish the booking events of one
 * appointment. `deliver()` runs the relay until the outbox has nothing due.
 */
import { createMemoryStores, type MemoryStores } from '../../src/adapters/memory/memory-stores.js';
import { bookingEvents, type BookingEvents } from '../../src/booking/events.js';
import type { Appointment } from '../../src/domain/appointment.js';
import type { Customer } from '../../src/domain/customer.js';
import type { Origin } from '../../src/domain/origin.js';
import type { DomainEvent } from '../../src/events/catalog.js';
import { createEventBus, type EventBus } from '../../src/events/event-bus.js';
import { createOutboxRelay, type OutboxRelay } from '../../src/events/outbox-relay.js';
import type { OutboxStore } from '../../src/ports/outbox-store.js';
import { createFakeClock, type FakeClock } from '../../src/testing/fake-clock.js';
import { aCustomer, anAppointment } from '../../src/testing/fixtures.js';

export interface ListenerHarness {
  readonly clock: FakeClock;
  readonly stores: MemoryStores;
  readonly bus: EventBus<BookingEvents>;
  readonly relay: OutboxRelay;
  /** Publishes and waits until the queued listeners' messages are in the outbox. */
  publish(event: DomainEvent<BookingEvents>): Promise<void>;
  /** Runs relay rounds until one claims nothing (at most 20). */
  deliver(): Promise<void>;
  /**
   * Stores a customer (none for `null`) and a confirmed appointment of theirs, 2026-01-06
   * 10:00–10:30 UTC, each on its own resource so that several can be seeded.
   */
  seedAppointment(
    customer?: Partial<Customer> | null,
    appointment?: Partial<Appointment>,
  ): Promise<Appointment>;
  booked(appointment: Appointment, origin?: Origin): DomainEvent<BookingEvents, 'appointment.booked'>;
  rescheduled(
    appointment: Appointment,
    to: { start: string; end: string },
    origin?: Origin,
  ): DomainEvent<BookingEvents, 'appointment.rescheduled'>;
  cancelled(appointment: Appointment, origin?: Origin): DomainEvent<BookingEvents, 'appointment.cancelled'>;
  noShow(appointment: Appointment, origin?: Origin): DomainEvent<BookingEvents, 'appointment.no_show'>;
}

/** Options of {@link createListenerHarness}. */
export interface ListenerHarnessOptions {
  /** Wraps the outbox store the relay uses, e.g. to make it fail. */
  readonly relayStore?: (store: OutboxStore) => OutboxStore;
}

export function createListenerHarness(options: ListenerHarnessOptions = {}): ListenerHarness {
  const clock = createFakeClock();
  const stores = createMemoryStores({ clock });
  const bus = createEventBus({ catalog: bookingEvents, outbox: stores.outbox, clock });
  const store = options.relayStore ? options.relayStore(stores.outbox) : stores.outbox;
  const relay = createOutboxRelay({ bus, store, clock, leaseMs: 10_000 });
  const meta = (appointment: Appointment, origin: Origin, version: number) => ({
    tenantId: appointment.tenantId,
    aggregateType: 'appointment',
    aggregateId: appointment.id,
    aggregateVersion: version,
    origin,
  });
  const actor = { type: 'staff', id: 'staff-1' } as const;
  let seeded = 0;
  return {
    clock,
    stores,
    bus,
    relay,
    async publish(event) {
      await bus.publish(event).settled;
    },
    async deliver() {
      for (let round = 0; round < 20; round += 1) {
        const result = await relay.runOnce();
        if (result.claimed === 0) return;
      }
    },
    async seedAppointment(customer = {}, appointment = {}) {
      let customerId: string | null = null;
      if (customer !== null) {
        const stored = aCustomer({ tenantId: appointment.tenantId ?? 'tenant-a', ...customer });
        await stores.customers.insert(stored);
        customerId = stored.id;
      }
      seeded += 1;
      const stored = anAppointment({
        resourceId: `resource-${seeded}`,
        start: '2026-01-06T10:00:00.000Z',
        end: '2026-01-06T10:30:00.000Z',
        customerId,
        ...appointment,
      });
      await stores.appointments.insert(stored);
      return stored;
    },
    booked: (appointment, origin = 'api') =>
      bus.create(
        'appointment.booked',
        {
          appointmentId: appointment.id,
          eventTypeId: appointment.eventTypeId,
          customerId: appointment.customerId,
          start: appointment.start,
          end: appointment.end,
          timeZone: appointment.timeZone,
          calendarBookingUid: null,
          bookedBy: actor,
        },
        meta(appointment, origin, 1),
      ),
    rescheduled: (appointment, to, origin = 'api') =>
      bus.create(
        'appointment.rescheduled',
        {
          appointmentId: appointment.id,
          eventTypeId: appointment.eventTypeId,
          previous: { start: appointment.start, end: appointment.end },
          ...to,
          timeZone: appointment.timeZone,
          calendarBookingUid: null,
          previousCalendarBookingUid: null,
          rescheduledBy: actor,
          reason: 'customer asked',
        },
        meta(appointment, origin, 2),
      ),
    cancelled: (appointment, origin = 'api') =>
      bus.create(
        'appointment.cancelled',
        {
          appointmentId: appointment.id,
          eventTypeId: appointment.eventTypeId,
          start: appointment.start,
          end: appointment.end,
          calendarBookingUid: null,
          cancelledBy: { type: 'customer' },
          reason: 'ill',
        },
        meta(appointment, origin, 3),
      ),
    noShow: (appointment, origin = 'admin') =>
      bus.create(
        'appointment.no_show',
        { appointmentId: appointment.id, markedBy: actor },
        meta(appointment, origin, 4),
      ),
  };
}
