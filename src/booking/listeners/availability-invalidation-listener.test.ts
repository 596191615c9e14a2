import { describe, expect, it } from 'vitest';
import { createListenerHarness } from '../../../test/support/booking-listener-harness.js';
import { createMemoryAvailabilityCache } from '../../adapters/memory/memory-availability-cache.js';
import { createMemoryCalendarProvider } from '../../adapters/memory/memory-calendar-provider.js';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { APPOINTMENT_TAG } from '../../ports/calendar-provider.js';
import { withCalendarFaults } from '../../testing/faulty-calendar-provider.js';
import { createAvailabilityService } from '../availability/availability-service.js';
import type { Origin } from '../../domain/origin.js';
import { registerAvailabilityInvalidation } from './availability-invalidation-listener.js';

const hours = [{ start: '09:00', end: '12:00' }];
const day = (date: string) => ({ start: `${date}T00:00:00.000Z`, end: `${date}T23:59:59.000Z` });
const starts = (slots: readonly { start: string }[]): string[] => slots.map((s) => s.start.slice(11, 16));

function setup() {
  const harness = createListenerHarness();
  const memory = createMemoryCalendarProvider({
    clock: harness.clock,
    eventTypes: [
      {
        tenantId: 'tenant-a',
        id: 'event-type-1',
        durationMinutes: 30,
        timeZone: 'UTC',
        weeklyHours: { tuesday: hours, wednesday: hours, thursday: hours },
      },
    ],
  });
  const calendar = withCalendarFaults(memory);
  const cache = createMemoryAvailabilityCache({ clock: harness.clock });
  const availability = createAvailabilityService({
    calendar,
    cache,
    clock: harness.clock,
    ttlMs: 3_600_000,
    maxSlotDurationMs: 3_600_000,
  });
  registerAvailabilityInvalidation(harness.bus, { availability });
  const bookInCalendar = (start: string, end: string, appointmentId: string) =>
    memory.createBooking({
      tenantId: 'tenant-a',
      eventTypeId: 'event-type-1',
      start,
      end,
      attendee: { name: 'A', email: 'a@example.com', phone: null, timeZone: 'UTC', locale: null },
      metadata: { [APPOINTMENT_TAG]: appointmentId },
    });
  return { ...harness, memory, calendar, cache, availability, bookInCalendar };
}

describe('availability invalidation listener', () => {
  it.each<Origin>(['api', 'voice', 'calcom', 'admin', 'reconciliation'])(
    'drops the cached day at once, before the relay runs, when an appointment is booked with origin %s',
    async (origin) => {
      const { availability, seedAppointment, booked, publish, deliver, bookInCalendar } = setup();
      expect(starts(await availability.getSlots('tenant-a', 'event-type-1', day('2026-01-06')))).toContain(
        '10:00',
      );
      const appointment = await seedAppointment();
      await bookInCalendar(appointment.start, appointment.end, appointment.id);
      await publish(booked(appointment, origin));
      expect(
        starts(await availability.getSlots('tenant-a', 'event-type-1', day('2026-01-06'))),
      ).not.toContain('10:00');
      await deliver();
      expect(
        starts(await availability.getSlots('tenant-a', 'event-type-1', day('2026-01-06'))),
      ).not.toContain('10:00');
    },
  );

  it('still drops the cached day through the outbox when the immediate invalidation failed', async () => {
    const harness = setup();
    const { availability, cache, seedAppointment, booked, publish, deliver, bookInCalendar } = harness;
    expect(starts(await availability.getSlots('tenant-a', 'event-type-1', day('2026-01-06')))).toContain(
      '10:00',
    );
    const appointment = await seedAppointment();
    await bookInCalendar(appointment.start, appointment.end, appointment.id);
    const invalidateTags = cache.invalidateTags.bind(cache);
    cache.invalidateTags = () => Promise.reject(new Error('cache down'));
    await publish(booked(appointment));
    cache.invalidateTags = invalidateTags;
    await deliver();
    expect(starts(await availability.getSlots('tenant-a', 'event-type-1', day('2026-01-06')))).not.toContain(
      '10:00',
    );
  });

  it('drops both the previous and the new day of a rescheduled appointment', async () => {
    const { availability, memory, seedAppointment, rescheduled, publish, deliver, bookInCalendar } = setup();
    const appointment = await seedAppointment();
    const booking = await bookInCalendar(appointment.start, appointment.end, appointment.id);
    const tuesday = await availability.getSlots('tenant-a', 'event-type-1', day('2026-01-06'));
    const thursday = await availability.getSlots('tenant-a', 'event-type-1', day('2026-01-08'));
    expect(starts(tuesday)).not.toContain('10:00');
    expect(starts(thursday)).toContain('10:00');
    const to = { start: '2026-01-08T10:00:00.000Z', end: '2026-01-08T10:30:00.000Z' };
    await memory.rescheduleBooking('tenant-a', booking.uid, { ...to, reason: null });
    await publish(rescheduled(appointment, to, 'calcom'));
    await deliver();
    expect(starts(await availability.getSlots('tenant-a', 'event-type-1', day('2026-01-06')))).toContain(
      '10:00',
    );
    expect(starts(await availability.getSlots('tenant-a', 'event-type-1', day('2026-01-08')))).not.toContain(
      '10:00',
    );
  });

  it('frees the time of a cancelled appointment for customers at once', async () => {
    const { availability, memory, seedAppointment, cancelled, publish, deliver, bookInCalendar } = setup();
    const appointment = await seedAppointment();
    const booking = await bookInCalendar(appointment.start, appointment.end, appointment.id);
    expect(starts(await availability.getSlots('tenant-a', 'event-type-1', day('2026-01-06')))).not.toContain(
      '10:00',
    );
    await memory.cancelBooking('tenant-a', booking.uid, { reason: null });
    await publish(cancelled(appointment, 'voice'));
    await deliver();
    expect(starts(await availability.getSlots('tenant-a', 'event-type-1', day('2026-01-06')))).toContain(
      '10:00',
    );
  });

  it('follows a schedule change announced by availability.changed', async () => {
    const { availability, memory, bus, publish, deliver } = setup();
    expect(await availability.getSlots('tenant-a', 'event-type-1', day('2026-01-07'))).toHaveLength(6);
    memory.addEventType({
      tenantId: 'tenant-a',
      id: 'event-type-1',
      durationMinutes: 30,
      timeZone: 'UTC',
      weeklyHours: { wednesday: [{ start: '09:00', end: '10:00' }] },
    });
    await publish(
      bus.create(
        'availability.changed',
        { eventTypeId: 'event-type-1', range: day('2026-01-07'), reason: 'schedule_changed' },
        { tenantId: 'tenant-a', aggregateType: 'event-type', aggregateId: 'event-type-1', origin: 'admin' },
      ),
    );
    await deliver();
    expect(starts(await availability.getSlots('tenant-a', 'event-type-1', day('2026-01-07')))).toEqual([
      '09:00',
      '09:30',
    ]);
  });

  it('leaves the cache alone for events that do not change free time', async () => {
    const { availability, calendar, seedAppointment, noShow, bus, publish, deliver } = setup();
    const appointment = await seedAppointment();
    await availability.getSlots('tenant-a', 'event-type-1', day('2026-01-06'));
    await publish(noShow(appointment));
    await publish(
      bus.create(
        'appointment.confirmed',
        { appointmentId: appointment.id, confirmedBy: { type: 'system' } },
        { tenantId: 'tenant-a', aggregateType: 'appointment', aggregateId: appointment.id },
      ),
    );
    await deliver();
    await availability.getSlots('tenant-a', 'event-type-1', day('2026-01-06'));
    expect(calendar.calls('getAvailableSlots')).toBe(1);
  });

  it('retries an invalidation that failed, through the outbox', async () => {
    const { bus, clock, relay, seedAppointment, booked, publish } = createListenerHarness();
    const invalidated: string[] = [];
    // The first failure is the immediate invalidation's, the second the first delivery's.
    let failures = 2;
    registerAvailabilityInvalidation(bus, {
      availability: {
        invalidate: async (_tenantId, _eventTypeId, range) => {
          if (failures-- > 0) throw new Error('redis down');
          invalidated.push(range!.start);
        },
      },
    });
    const appointment = await seedAppointment();
    await publish(booked(appointment));
    expect(await relay.runOnce()).toMatchObject({ retried: 1 });
    await clock.advance(1_000);
    expect(await relay.runOnce()).toMatchObject({ delivered: 1 });
    expect(invalidated).toEqual([appointment.start]);
  });

  it('rejects a missing availability service', () => {
    const { bus } = createListenerHarness();
    let caught: unknown;
    try {
      registerAvailabilityInvalidation(bus, {} as never);
    } catch (error) {
      caught = error;
    }
    expect(isInvalidOptionError(caught)).toBe(true);
  });
});
