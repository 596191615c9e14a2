import { describe, expect, it } from 'vitest';
import { createMemoryCalendarProvider } from '../../src/adapters/memory/memory-calendar-provider.js';
import type { MemoryCalendarEventTypeInput } from '../../src/adapters/memory/memory-calendar-schedule.js';
import { createMemorySagaStore } from '../../src/adapters/memory/memory-saga-store.js';
import { createMemoryStores } from '../../src/adapters/memory/memory-stores.js';
import { createBookingKit } from '../../src/kit/booking-kit.js';
import type { CalendarProvider } from '../../src/ports/calendar-provider.js';
import { createFakeClock, type FakeClock } from '../../src/testing/fake-clock.js';
import { freezableStore } from './fixtures/saga-harness.js';

// Two instances share the stores. The first dies in the middle of a booking, holding its saga's
// lease; the second, already running, must take the saga over once the lease expires, without
// being restarted: recovery on start alone would leave it unfinished for good.

const START = '2026-01-05T08:00:00.000Z';
const weekday = [{ start: '09:00', end: '17:00' }];
const consult: MemoryCalendarEventTypeInput = {
  tenantId: 'acme',
  id: 'consult',
  durationMinutes: 30,
  timeZone: 'Europe/Berlin',
  weeklyHours: { monday: weekday, tuesday: weekday, wednesday: weekday, thursday: weekday, friday: weekday },
};
const tenants = [{ id: 'acme', name: 'Acme' }];

/** A calendar whose bookings never answer: the dying instance is stuck in its calendar step. */
function stuckCalendar(calendar: CalendarProvider, entered: () => void): CalendarProvider {
  return {
    ...calendar,
    createBooking: () => {
      entered();
      return new Promise<never>(() => undefined);
    },
  };
}

async function advanceUntil(
  clock: FakeClock,
  done: () => Promise<boolean>,
  limitMs: number,
): Promise<boolean> {
  for (let waited = 0; waited <= limitMs; waited += 5_000) {
    if (await done()) return true;
    await clock.advance(5_000);
    for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return done();
}

describe('a running kit recovers the sagas of an instance that died', () => {
  it('takes a booking saga over once its lease expires, without a restart', async () => {
    const clock = createFakeClock(START);
    const stores = createMemoryStores({ clock });
    const sagaLog = createMemorySagaStore();
    const calendar = createMemoryCalendarProvider({ clock, eventTypes: [consult] });

    let enteredCalendar!: () => void;
    const inCalendar = new Promise<void>((resolve) => (enteredCalendar = resolve));
    const dying = freezableStore(sagaLog);
    const first = createBookingKit({
      clock,
      tenants,
      stores,
      sagas: dying.store,
      calendar: stuckCalendar(calendar, enteredCalendar),
      recoveryIntervalMs: 0,
    });
    const second = createBookingKit({
      clock,
      tenants,
      stores,
      sagas: sagaLog,
      calendar,
      recoveryIntervalMs: 10_000,
    });
    try {
      expect(await second.start()).toMatchObject({ claimed: 0 });
      void first.service
        .book({
          tenantId: 'acme',
          origin: 'voice',
          actor: { type: 'agent', id: 'agent-1' },
          idempotencyKey: 'call-1:book',
          eventTypeId: 'consult',
          start: '2026-01-06T09:00:00.000Z',
          end: '2026-01-06T09:30:00.000Z',
          timeZone: 'Europe/Berlin',
          customer: { name: 'Ana Example', phone: '+49 30 1234567' },
        })
        .catch(() => undefined);
      await inCalendar;
      dying.freeze();

      const finished = async () => (await sagaLog.list()).every((saga) => saga.state === 'completed');
      expect(await sagaLog.list()).toHaveLength(1);
      expect(await advanceUntil(clock, finished, 120_000)).toBe(true);
      const [appointment] = (await stores.appointments.list('acme')).items;
      expect(appointment).toMatchObject({ status: 'confirmed', start: '2026-01-06T09:00:00.000Z' });
      // Booked in the calendar by the second instance: the first never got an answer.
      expect(appointment?.external.calendarBookingUid).toEqual(expect.any(String));
    } finally {
      await second.close();
    }
  });

  it('refuses a recoveryIntervalMs that is not a whole number of 0 or more, naming it', () => {
    expect(() => createBookingKit({ recoveryIntervalMs: -1 })).toThrow(/recoveryIntervalMs/);
  });
});
