/**
 * Node CPU per `BookingService.book` on the memory stores with a memory calendar (no latency): the
 * figure issue #10 sets a goal for (under 2 ms per book). Books {@link N} distinct one-minute
 * slots one after another and reports process CPU time (user + system, `process.cpuUsage`) per
 * book and books per second. With no I/O waits, CPU per book is what the library itself costs.
 * Run it alone for a clean figure: `npm run bench booking-cpu`.
 */
import type { BenchCase } from './harness.js';
import {
  bookingEvents,
  createBookingService,
  createEventBus,
  createMemoryCalendarProvider,
  createMemoryIdempotencyStore,
  createMemorySagaStore,
  createMemoryStores,
  createMemoryTenantDirectory,
} from '../src/index.js';
import { aTenant } from '../src/testing/fixtures.js';

/** Books per measured run. */
const N = 2_000;
/** Books before measuring, so that the JIT has compiled the hot path. */
const WARM_UP = 200;
const allDay = [{ start: '00:00', end: '24:00' }];
const FIRST_SLOT = Date.parse('2031-01-06T00:00:00.000Z');

function bookingService() {
  const stores = createMemoryStores();
  const calendar = createMemoryCalendarProvider({
    eventTypes: [
      {
        tenantId: 'acme',
        id: 'quick',
        durationMinutes: 1,
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
      },
    ],
  });
  const bus = createEventBus({ catalog: bookingEvents, outbox: stores.outbox, historySize: 0 });
  const service = createBookingService({
    stores,
    bus,
    calendar,
    sagas: createMemorySagaStore(),
    idempotency: createMemoryIdempotencyStore({ maxEntries: 1_000_000 }),
    tenants: createMemoryTenantDirectory({ tenants: [aTenant({ id: 'acme' })] }),
  });
  let n = 0;
  return async (): Promise<void> => {
    const start = FIRST_SLOT + n * 60_000;
    n += 1;
    await service.book({
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

export async function run(): Promise<BenchCase[]> {
  const book = bookingService();
  for (let i = 0; i < WARM_UP; i += 1) await book();
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  for (let i = 0; i < N; i += 1) await book();
  const wallMs = performance.now() - wallBefore;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMsPerBook = (cpu.user + cpu.system) / 1_000 / N;
  const booksPerSec = N / (wallMs / 1_000);
  console.log(
    `\nbooking-cpu: ${N} books on memory stores: ${cpuMsPerBook.toFixed(3)} ms CPU per book ` +
      `(user ${(cpu.user / 1_000 / N).toFixed(3)}, system ${(cpu.system / 1_000 / N).toFixed(3)}), ` +
      `${Math.round(booksPerSec).toLocaleString('en-US')} books/s`,
  );
  return [
    {
      group: `booking: CPU per BookingService.book, memory stores (${N} books)`,
      name: 'books/s',
      opsPerSec: booksPerSec,
      baseline: 'books/s',
    },
    {
      group: `booking: CPU per BookingService.book, memory stores (${N} books)`,
      name: 'books per CPU-second',
      opsPerSec: 1_000 / cpuMsPerBook,
      baseline: 'books/s',
    },
  ];
}
