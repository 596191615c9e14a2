import { describe, expect, it } from 'vitest';
import {
  createListenerHarness,
  type ListenerHarnessOptions,
} from '../../../test/support/booking-listener-harness.js';
import { createMemoryAuditLog } from '../../adapters/memory/memory-audit-log.js';
import { createMemoryAvailabilityCache } from '../../adapters/memory/memory-availability-cache.js';
import { createMemoryCalendarProvider } from '../../adapters/memory/memory-calendar-provider.js';
import { createMemoryCustomerStatsStore } from '../../adapters/memory/memory-customer-stats-store.js';
import { createMemoryNotifier } from '../../adapters/memory/memory-notifier.js';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { APPOINTMENT_TAG } from '../../ports/calendar-provider.js';
import { createAvailabilityService } from '../availability/availability-service.js';
import type { Origin } from '../../domain/origin.js';
import { registerBookingListeners } from './register-booking-listeners.js';

const hours = [{ start: '09:00', end: '12:00' }];
const everyDay = {
  monday: hours,
  tuesday: hours,
  wednesday: hours,
  thursday: hours,
  friday: hours,
  saturday: hours,
  sunday: hours,
};

function backend(options: ListenerHarnessOptions = {}) {
  const harness = createListenerHarness(options);
  const calendar = createMemoryCalendarProvider({
    clock: harness.clock,
    eventTypes: [
      {
        tenantId: 'tenant-a',
        id: 'event-type-1',
        durationMinutes: 30,
        timeZone: 'UTC',
        weeklyHours: everyDay,
      },
    ],
  });
  const availability = createAvailabilityService({
    calendar,
    cache: createMemoryAvailabilityCache({ clock: harness.clock }),
    clock: harness.clock,
    ttlMs: 3_600_000,
    maxSlotDurationMs: 3_600_000,
  });
  const notifier = createMemoryNotifier();
  const auditLog = createMemoryAuditLog();
  const customerStats = createMemoryCustomerStatsStore({ customers: harness.stores.customers });
  const listeners = registerBookingListeners(harness.bus, {
    availability,
    customers: harness.stores.customers,
    appointments: harness.stores.appointments,
    notifier,
    auditLog,
    customerStats,
    clock: harness.clock,
  });
  return { ...harness, calendar, availability, notifier, auditLog, customerStats, listeners };
}

describe('registerBookingListeners', () => {
  it('invalidates availability for changes from every origin alike', async () => {
    const { calendar, availability, seedAppointment, booked, publish, deliver } = backend();
    const origins: Origin[] = ['api', 'voice', 'calcom', 'admin', 'reconciliation'];
    const days = ['2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09', '2026-01-10'];
    const slotsOn = async (date: string) =>
      (
        await availability.getSlots('tenant-a', 'event-type-1', {
          start: `${date}T00:00:00.000Z`,
          end: `${date}T23:59:00.000Z`,
        })
      ).map((s) => s.start.slice(11, 16));
    for (const [i, origin] of origins.entries()) {
      const date = days[i]!;
      expect(await slotsOn(date)).toContain('10:00');
      const appointment = await seedAppointment(
        {},
        { start: `${date}T10:00:00.000Z`, end: `${date}T10:30:00.000Z` },
      );
      await calendar.createBooking({
        tenantId: 'tenant-a',
        eventTypeId: 'event-type-1',
        start: appointment.start,
        end: appointment.end,
        attendee: { name: 'A', email: 'a@example.com', phone: null, timeZone: 'UTC', locale: null },
        metadata: { [APPOINTMENT_TAG]: appointment.id },
      });
      await publish(booked(appointment, origin));
    }
    await deliver();
    for (const date of days) expect(await slotsOn(date)).not.toContain('10:00');
  });

  it('neither double counts nor sends twice when the relay delivers an event again', async () => {
    const acknowledged = new Set<string>();
    const { bus, clock, stores, notifier, auditLog, seedAppointment, booked, publish, deliver } = backend({
      // The relay loses its connection right after each first delivery: the messages come back.
      relayStore: (store) => ({
        ...store,
        markDelivered: async (id, owner, options) => {
          if (!acknowledged.has(id)) {
            acknowledged.add(id);
            throw new Error('connection lost');
          }
          return store.markDelivered(id, owner, options);
        },
      }),
    });
    const appointment = await seedAppointment({ email: 'ana@example.com' });
    await publish(booked(appointment));
    await deliver();
    await clock.advance(10_001);
    await deliver();
    const calls = (name: string) => bus.stats().listeners.find((listener) => listener.name === name)?.calls;
    expect(calls('customer-stats:appointment.booked')).toBe(2);
    expect(calls('notification:appointment.booked')).toBe(2);
    expect((await stores.customers.get('tenant-a', appointment.customerId!))?.stats.bookings).toBe(1);
    expect(notifier.sent()).toHaveLength(1);
    expect(
      (await auditLog.listByAggregate('tenant-a', { type: 'appointment', id: appointment.id })).items,
    ).toHaveLength(1);
    expect((await stores.outbox.list()).every((message) => message.status === 'delivered')).toBe(true);
  });

  it('registers only the availability listener when nothing else is given, and removes all on dispose', () => {
    const { bus, stores } = createListenerHarness();
    const availability = { invalidate: async () => undefined };
    const minimal = registerBookingListeners(bus, {
      availability,
      customers: stores.customers,
      appointments: stores.appointments,
    });
    // Four event types, each with an immediate and a queued invalidation.
    expect(bus.listenerCount()).toBe(8);
    minimal.dispose();
    expect(bus.listenerCount()).toBe(0);
  });

  it('leaves the bus as it was when a registration fails half-way', () => {
    const { bus, listeners } = backend();
    const before = bus.listenerCount();
    let caught: unknown;
    try {
      registerBookingListeners(bus, {
        availability: { invalidate: async () => undefined },
        customers: {} as never,
        appointments: {} as never,
        notifier: createMemoryNotifier(),
      });
    } catch (error) {
      caught = error;
    }
    expect(isInvalidOptionError(caught)).toBe(true);
    expect(bus.listenerCount()).toBe(before);
    listeners.dispose();
    expect(bus.listenerCount()).toBe(0);
  });
});
