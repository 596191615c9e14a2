/**
 * What the booking benchmarks share: opening hours around the clock, and a booker that books the
 * next free one-minute slot through `createBookingKit` with the defaults a user gets (bus history,
 * validation, admission control), on whatever stores it is given.
 */
import { createBookingKit, type BookingKitOptions, type MemoryCalendarEventTypeInput } from '../src/index.js';

/** Open all day, every day. */
export const ALL_WEEK: MemoryCalendarEventTypeInput['weeklyHours'] = Object.fromEntries(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((day) => [
    day,
    [{ start: '00:00', end: '24:00' }],
  ]),
);

/** The first slot the benchmarks book (far enough ahead of any minimum notice). */
export const FIRST_SLOT = Date.parse('2031-01-06T00:00:00.000Z');

/** One-minute appointments, open all week: each book takes the next minute. */
const QUICK: MemoryCalendarEventTypeInput = {
  tenantId: 'acme',
  id: 'quick',
  durationMinutes: 1,
  timeZone: 'UTC',
  weeklyHours: ALL_WEEK,
};

/**
 * A kit on `stores` (memory by default) with the memory calendar, and a function that books the
 * next free minute for one of 50 customers. Every call is a full hold → calendar → confirm saga.
 */
export function sequentialBooker(
  parts: Pick<BookingKitOptions, 'stores' | 'sagas' | 'idempotency'> = {},
): () => Promise<void> {
  const kit = createBookingKit({ ...parts, tenants: [{ id: 'acme' }], eventTypes: [QUICK] });
  let n = 0;
  return async () => {
    const start = FIRST_SLOT + n * 60_000;
    n += 1;
    await kit.service.book({
      tenantId: 'acme',
      origin: 'api',
      actor: { type: 'customer' },
      idempotencyKey: `bench-${n}`,
      eventTypeId: 'quick',
      start: new Date(start).toISOString(),
      end: new Date(start + 60_000).toISOString(),
      timeZone: 'Europe/Berlin',
      customer: { name: 'Bench', email: `bench-${n % 50}@example.com` },
    });
  };
}
