import { describe, expect, it } from 'vitest';
import { createMemoryCalendarProvider } from '../adapters/memory/memory-calendar-provider.js';
import type { MemoryCalendarEventTypeInput } from '../adapters/memory/memory-calendar-schedule.js';
import { createMemoryStores } from '../adapters/memory/memory-stores.js';
import type { BookCommand } from '../booking/service/commands.js';
import { isInvalidOptionError } from '../errors/invalid-option-error.js';
import { isValidationError } from '../errors/validation-error.js';
import { createFakeClock, type FakeClock } from '../testing/fake-clock.js';
import { createBookingKit, type BookingKit } from './booking-kit.js';
import { isKitClosedError } from './errors.js';

/** Monday 2026-01-05, 08:00 UTC. */
const START = '2026-01-05T08:00:00.000Z';
/** A free 30-minute slot on Tuesday (10:00 in Berlin). */
const SLOT = { start: '2026-01-06T09:00:00.000Z', end: '2026-01-06T09:30:00.000Z' };
const weekday = [{ start: '09:00', end: '17:00' }];
const consult: MemoryCalendarEventTypeInput = {
  tenantId: 'acme',
  id: 'consult',
  durationMinutes: 30,
  timeZone: 'Europe/Berlin',
  weeklyHours: { monday: weekday, tuesday: weekday, wednesday: weekday, thursday: weekday, friday: weekday },
};

const bookCommand = (overrides: Partial<BookCommand> = {}): BookCommand => ({
  tenantId: 'acme',
  origin: 'voice',
  actor: { type: 'agent', id: 'agent-1' },
  idempotencyKey: 'call-1:book',
  eventTypeId: 'consult',
  ...SLOT,
  timeZone: 'Europe/Berlin',
  customer: { name: 'Ana Example', phone: '+49 30 1234567' },
  ...overrides,
});

/** Lets the background relay run: moves the fake clock past its poll interval a few times. */
async function letTheRelayRun(clock: FakeClock): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    await clock.advance(1_000);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function aKit(clock: FakeClock): BookingKit {
  return createBookingKit({ clock, tenants: [{ id: 'acme', name: 'Acme' }], eventTypes: [consult] });
}

describe('createBookingKit', () => {
  it('books, delivers the events through the running relay, and cancels, on memory defaults', async () => {
    const clock = createFakeClock(START);
    const kit = aKit(clock);
    const delivered: string[] = [];
    kit.bus.on('appointment.booked', (event) => void delivered.push(`queued ${event.type}`), {
      queued: true,
      name: 'test:booked',
    });
    kit.bus.on('appointment.cancelled', (event) => void delivered.push(`queued ${event.type}`), {
      queued: true,
      name: 'test:cancelled',
    });
    kit.bus.on('appointment.booked', (event) => void delivered.push(`sync ${event.type}`));
    const report = await kit.start();
    expect(report).toBeDefined();

    const booked = await kit.service.book(bookCommand());
    expect(booked.appointment.status).toBe('confirmed');
    expect(booked.calendar).toBe('synced');
    expect(delivered).toEqual(['sync appointment.booked']);
    await letTheRelayRun(clock);
    expect(delivered).toEqual(['sync appointment.booked', 'queued appointment.booked']);

    const cancelled = await kit.service.cancel({
      tenantId: 'acme',
      origin: 'api',
      actor: { type: 'customer' },
      idempotencyKey: 'cancel-1',
      target: { appointmentId: booked.appointment.id },
    });
    expect(cancelled.appointment.status).toBe('cancelled');
    await letTheRelayRun(clock);
    expect(delivered).toContain('queued appointment.cancelled');
    expect(await kit.stores.outbox.list({ status: 'pending' })).toEqual([]);
    await kit.close();
  });

  it('invalidates cached availability through the relay once a slot is booked', async () => {
    const clock = createFakeClock(START);
    const kit = aKit(clock);
    await kit.start();
    const day = { start: '2026-01-06T00:00:00.000Z', end: '2026-01-07T00:00:00.000Z' };
    const before = await kit.availability.getSlots('acme', 'consult', day);
    expect(before).toContainEqual(SLOT);
    await kit.service.book(bookCommand());
    await letTheRelayRun(clock);
    const after = await kit.availability.getSlots('acme', 'consult', day);
    expect(after).not.toContainEqual(SLOT);
    expect(after).toHaveLength(before.length - 1);
    await kit.close();
  });

  it('seeds the memory calendar from eventTypes', async () => {
    const kit = aKit(createFakeClock(START));
    expect(await kit.calendar.listEventTypes('acme')).toEqual([
      expect.objectContaining({ id: 'consult', lengthsInMinutes: [30] }),
    ]);
    await kit.close();
  });

  it('books against the calendar it is given, and the tenant directory it is given', async () => {
    const clock = createFakeClock(START);
    const calendar = createMemoryCalendarProvider({ clock, eventTypes: [consult] });
    const stores = createMemoryStores({ clock });
    const kit = createBookingKit({ clock, calendar, stores, tenants: [{ id: 'acme' }] });
    expect(kit.calendar).toBe(calendar);
    expect(kit.stores).toBe(stores);
    const { appointment } = await kit.service.book(bookCommand());
    expect(
      await calendar.findBookingByAppointmentId('acme', {
        appointmentId: appointment.id,
        eventTypeId: appointment.eventTypeId,
        start: appointment.start,
        end: appointment.end,
        attendeeEmail: null,
      }),
    ).toMatchObject({
      status: 'accepted',
    });
    await kit.close();
  });

  it('waits for a command in flight when closed, and stops the relay; closing twice is harmless', async () => {
    const clock = createFakeClock(START);
    const kit = aKit(clock);
    const delivered: string[] = [];
    kit.bus.on('appointment.booked', (event) => void delivered.push(event.id), {
      queued: true,
      name: 'test:booked',
    });
    await kit.start();
    const booking = kit.service.book(bookCommand());
    const closing = kit.close();
    expect(kit.close()).toBe(closing);
    const { appointment } = await booking;
    await closing;
    expect(appointment.status).toBe('confirmed');

    await letTheRelayRun(clock);
    expect(delivered).toEqual([]);
    const pending = await kit.stores.outbox.list({ status: 'pending' });
    expect(pending.map((message) => message.listener)).toContain('test:booked');
    await expect(kit.close()).resolves.toBeUndefined();
  });

  it('recovers unfinished sagas when started, and refuses to start again once closed', async () => {
    const kit = aKit(createFakeClock(START));
    const report = await kit.start();
    expect(report).toMatchObject({ claimed: 0 });
    expect(kit.start()).toBe(kit.start());
    await kit.close();
    const refused = await kit.start().catch((error: unknown) => error);
    expect(isKitClosedError(refused)).toBe(true);
    expect(refused).toMatchObject({ code: 'KIT_CLOSED', context: { operation: 'start' } });
  });

  it('refuses commands that arrive after close, with a KitClosedError naming the command', async () => {
    const kit = aKit(createFakeClock(START));
    await kit.start();
    await kit.close();
    const refused = await kit.service.book(bookCommand()).catch((error: unknown) => error);
    expect(isKitClosedError(refused)).toBe(true);
    expect(refused).toMatchObject({ context: { operation: 'book' } });
    expect(await kit.stores.appointments.list('acme')).toMatchObject({ items: [] });
  });

  describe('refuses bad options, naming the option', () => {
    const cases: [string, unknown, RegExp][] = [
      ['options', 'acme', /createBookingKit: .*options/],
      ['tenants', { get: 'no' }, /createBookingKit: option "tenants"/],
      ['stores', { appointments: {} }, /createBookingKit: option "stores"/],
      ['sagas', {}, /createBookingKit: option "sagas"/],
      ['idempotency', 42, /createBookingKit: option "idempotency"/],
      ['calendar', {}, /createBookingKit: option "calendar"/],
      ['availabilityCache', {}, /createBookingKit: option "availabilityCache"/],
      ['clock', { now: () => 0 }, /createBookingKit: option "clock"/],
      ['logger', {}, /createBookingKit: option "logger"/],
      ['eventTypes', 'consult', /createBookingKit: option "eventTypes"/],
      ['availabilityTtlMs', 0, /createBookingKit: option "availabilityTtlMs"/],
      ['idempotencyWaitMs', -1, /createBookingKit: option "idempotencyWaitMs"/],
      ['alternatives', 1.5, /createBookingKit: option "alternatives"/],
      ['relay', { batchSize: 0 }, /createBookingKit: option "relay.batchSize"/],
    ];
    it.each(cases)('%s', (option, value, message) => {
      const options = option === 'options' ? value : { [option]: value };
      let caught: unknown;
      try {
        createBookingKit(options as never);
      } catch (error) {
        caught = error;
      }
      expect(isInvalidOptionError(caught)).toBe(true);
      expect((caught as Error).message).toMatch(message);
    });

    it('eventTypes together with a calendar (they would seed nothing)', () => {
      const calendar = createMemoryCalendarProvider({ eventTypes: [consult] });
      expect(() => createBookingKit({ calendar, eventTypes: [consult] })).toThrow(
        /createBookingKit: option "eventTypes".*without "calendar"/,
      );
    });

    it('a tenant with a bad field, naming its path', () => {
      let caught: unknown;
      try {
        createBookingKit({ tenants: [{ id: 'acme', timeZone: 'Mars/Olympus' }] });
      } catch (error) {
        caught = error;
      }
      expect(isValidationError(caught)).toBe(true);
      expect((caught as Error).message).toMatch(/tenants\.0\.timeZone/);
    });
  });
});
