/**
 * `BookingService.book` per second on the memory stores and the memory calendar, with 1,000 and
 * with 100,000 appointments already stored (ratio to the 1,000 case; the goal is at least 0.8: the
 * cost of a booking must not grow with the number of appointments). Each store is seeded directly
 * (appointments, their calendar bookings and one customer per ten appointments) on 50 resources
 * with every other half-hour slot taken; each measured booking takes one of the free slots in
 * between, for a new customer, so the overlap checks look among the busiest records.
 */
import { ALL_WEEK } from './booking-fixtures.js';
import { measureGroup, type BenchCase } from './harness.js';
import {
  APPOINTMENT_TAG,
  bookingEvents,
  createBookingService,
  createEventBus,
  createMemoryCalendarProvider,
  createMemoryIdempotencyStore,
  createMemorySagaStore,
  createMemoryStores,
  createMemoryTenantDirectory,
} from '../src/index.js';
import { aCustomer, anAppointment, aTenant } from '../src/testing/fixtures.js';

const TENANT = 'acme';
const RESOURCES = 50;
const SLOT_MS = 30 * 60_000;
const FIRST_SLOT = Date.parse('2031-01-06T00:00:00.000Z');

const resourceOf = (n: number): string => `type-${n % RESOURCES}`;
/** The n-th slot of its resource; even slots are seeded, odd ones are left for the benchmark. */
const slotStart = (n: number, odd: 0 | 1): number =>
  FIRST_SLOT + (2 * Math.floor(n / RESOURCES) + odd) * SLOT_MS;
const iso = (ms: number): string => new Date(ms).toISOString();

/** A booking service over memory stores holding `existing` appointments; returns one booking. */
async function seededService(existing: number): Promise<() => Promise<void>> {
  const stores = createMemoryStores();
  const calendar = createMemoryCalendarProvider({
    eventTypes: Array.from({ length: RESOURCES }, (_, i) => ({
      tenantId: TENANT,
      id: `type-${i}`,
      durationMinutes: 30,
      timeZone: 'UTC',
      weeklyHours: ALL_WEEK,
    })),
  });
  for (let n = 0; n < existing; n += 1) {
    const start = slotStart(n, 0);
    const customerId = `seed-customer-${Math.floor(n / 10)}`;
    if (n % 10 === 0) {
      await stores.customers.insert(
        aCustomer({
          id: customerId,
          tenantId: TENANT,
          phone: null,
          email: `seed-${Math.floor(n / 10)}@example.com`,
        }),
      );
    }
    const id = `seed-${n}`;
    const booking = calendar.seedBooking(TENANT, {
      eventTypeId: resourceOf(n),
      start: iso(start),
      uid: `uid-${n}`,
      metadata: { [APPOINTMENT_TAG]: id },
    });
    await stores.appointments.insert(
      anAppointment({
        id,
        tenantId: TENANT,
        eventTypeId: resourceOf(n),
        resourceId: resourceOf(n),
        customerId,
        start: iso(start),
        end: iso(start + SLOT_MS),
        external: {
          calendarBookingUid: booking.uid,
          calendarBookingId: booking.id,
          previousCalendarBookingUids: [],
        },
        sync: { status: 'synced', attempts: 1, lastError: null, lastAttemptAt: null },
      }),
    );
  }
  const bus = createEventBus({ catalog: bookingEvents, outbox: stores.outbox, historySize: 0 });
  const service = createBookingService({
    stores,
    bus,
    calendar,
    sagas: createMemorySagaStore(),
    idempotency: createMemoryIdempotencyStore({ maxEntries: 1_000_000 }),
    tenants: createMemoryTenantDirectory({ tenants: [aTenant({ id: TENANT })] }),
  });
  let n = 0;
  return async () => {
    const start = slotStart(n, 1);
    const eventTypeId = resourceOf(n);
    n += 1;
    await service.book({
      tenantId: TENANT,
      origin: 'api',
      actor: { type: 'customer' },
      idempotencyKey: `bench-${n}`,
      eventTypeId,
      start: iso(start),
      end: iso(start + SLOT_MS),
      timeZone: 'UTC',
      customer: { name: 'Bench', email: `bench-${n}@example.com` },
    });
  };
}

export async function run(): Promise<BenchCase[]> {
  const small = await seededService(1_000);
  const large = await seededService(100_000);
  return measureGroup(
    'memory scale: BookingService.book (memory stores and calendar)',
    'after 1,000 appointments',
    [
      { name: 'after 1,000 appointments', op: small, async: true },
      { name: 'after 100,000 appointments', op: large, async: true },
    ],
    { batch: 1, time: 3_000 },
  );
}
