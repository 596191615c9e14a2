import { afterEach, describe, expect, it, vi } from 'vitest';
import { APPOINTMENT_TAG } from '../../ports/calendar-provider.js';
import { createMemoryCalendarProvider } from './memory-calendar-provider.js';

/**
 * The memory calendar reads a booking's times (`Date.parse`) whenever it considers one, so the
 * number of parses measures how many bookings an operation visits, without timing anything.
 */
const STORED = 10_000;
const HOSTS = 20;
const HALF_HOUR = 30 * 60_000;
const FIRST = Date.parse('2031-01-06T00:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();
const allDay = [{ start: '00:00', end: '24:00' }];
const startOf = (n: number): number => FIRST + 2 * Math.floor(n / HOSTS) * HALF_HOUR;

function seeded(now: () => number = () => Date.parse('2030-01-01T00:00:00Z')) {
  const calendar = createMemoryCalendarProvider({
    clock: { now, setTimer: () => () => undefined } as never,
    eventTypes: Array.from({ length: HOSTS }, (_, i) => ({
      tenantId: 'acme',
      id: `type-${i}`,
      durationMinutes: 30,
      timeZone: 'UTC',
      weeklyHours: {
        monday: allDay,
        tuesday: allDay,
        wednesday: allDay,
        thursday: allDay,
        friday: allDay,
        saturday: allDay,
        sunday: allDay,
      },
    })),
  });
  for (let n = 0; n < STORED; n += 1)
    calendar.seedBooking('acme', {
      eventTypeId: `type-${n % HOSTS}`,
      start: iso(startOf(n)),
      uid: `uid-${n}`,
      metadata: { [APPOINTMENT_TAG]: `appointment-${n}` },
    });
  return calendar;
}

const attendee = { name: 'Ana', email: 'ana@example.com', phone: null, timeZone: 'UTC', locale: null };

describe('memory calendar at scale', () => {
  afterEach(() => vi.restoreAllMocks());

  it('books, offers slots, finds and lists by visiting only the bookings concerned', async () => {
    const calendar = seeded();
    const parse = vi.spyOn(Date, 'parse');
    const middle = startOf(STORED / 2);
    const created = await calendar.createBooking({
      tenantId: 'acme',
      eventTypeId: 'type-3',
      start: iso(middle + HALF_HOUR),
      end: iso(middle + 2 * HALF_HOUR),
      attendee,
      metadata: { [APPOINTMENT_TAG]: 'new' },
    });
    await expect(
      calendar.createBooking({
        tenantId: 'acme',
        eventTypeId: 'type-3',
        start: iso(middle),
        end: iso(middle + HALF_HOUR),
        attendee,
        metadata: { [APPOINTMENT_TAG]: 'clash' },
      }),
    ).rejects.toMatchObject({ code: 'CALENDAR_SLOT_UNAVAILABLE' });
    const slots = await calendar.getAvailableSlots('acme', {
      eventTypeId: 'type-4',
      from: iso(middle),
      to: iso(middle + 4 * HALF_HOUR),
    });
    expect(slots.map((slot) => slot.start)).toEqual([iso(middle + HALF_HOUR), iso(middle + 3 * HALF_HOUR)]);
    const lookup = (appointmentId: string, eventTypeId: string, start: number) => ({
      appointmentId,
      eventTypeId,
      start: iso(start),
      end: iso(start + HALF_HOUR),
      attendeeEmail: null,
    });
    expect(
      (await calendar.findBookingByAppointmentId('acme', lookup('new', 'type-3', middle + HALF_HOUR)))?.uid,
    ).toBe(created.uid);
    expect(
      (await calendar.findBookingByAppointmentId('acme', lookup('appointment-77', 'type-17', startOf(77))))
        ?.uid,
    ).toBe('uid-77');
    const page = await calendar.listBookings('acme', {
      from: iso(middle),
      to: iso(middle + 10 * HALF_HOUR),
      limit: 5,
    });
    expect(page.items.map((booking) => booking.uid)).toEqual(
      Array.from({ length: 5 }, (_, i) => `uid-${STORED / 2 + i}`),
    );
    const next = await calendar.listBookings('acme', {
      from: iso(middle),
      to: iso(middle + 10 * HALF_HOUR),
      limit: 5,
      cursor: page.nextCursor!,
    });
    expect(next.items.map((booking) => booking.uid)).toEqual(
      Array.from({ length: 5 }, (_, i) => `uid-${STORED / 2 + 5 + i}`),
    );
    expect(parse.mock.calls.length).toBeLessThanOrEqual(200);
  });

  it('lists the bookings updated since an instant by visiting only those', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const calendar = seeded(() => now);
    const parse = vi.spyOn(Date, 'parse');
    const since = iso((now += 60_000));
    await calendar.cancelBooking('acme', 'uid-5', { reason: null });
    now += 60_000;
    await calendar.cancelBooking('acme', 'uid-9000', { reason: null });
    now += 60_000;
    const moved = await calendar.rescheduleBooking('acme', 'uid-100', {
      start: iso(startOf(100) + HALF_HOUR),
      end: iso(startOf(100) + 2 * HALF_HOUR),
      reason: null,
    });
    const expected = ['uid-5', 'uid-9000', ...[moved.uid, 'uid-100'].sort()];
    const first = await calendar.listBookingsUpdatedSince('acme', { updatedAfter: since, limit: 2 });
    const rest = await calendar.listBookingsUpdatedSince('acme', {
      updatedAfter: since,
      limit: 2,
      cursor: first.nextCursor!,
    });
    expect([...first.items, ...rest.items].map((booking) => booking.uid)).toEqual(expected);
    expect(rest.nextCursor).toBeNull();
    const typeZero = await calendar.listBookingsUpdatedSince('acme', {
      updatedAfter: since,
      eventTypeId: 'type-0',
    });
    expect(typeZero.items.map((booking) => booking.uid).sort()).toEqual(
      [moved.uid, 'uid-100', 'uid-9000'].sort(),
    );
    expect(parse.mock.calls.length).toBeLessThanOrEqual(100);
  });
});
