/**
 * `BookingService.book` per second with the memory calendar provider: on the memory stores, and on
 * Postgres (DATABASE_URL, defaulting to the local server) for stores, saga log and idempotency
 * keys. Ratios are to the memory backend. Each booking takes the next free one-minute slot, so every
 * operation is a full hold → calendar → confirm saga with its outbox events.
 */
import pg from 'pg';
import { measureGroup, type BenchCase } from './harness.js';
import {
  bookingEvents,
  createBookingService,
  createEventBus,
  createMemoryCalendarProvider,
  createMemoryIdempotencyStore,
  createMemorySagaStore,
  createMemoryStores,
  createMemoryTenantDirectory,
  type BookingStores,
  type IdempotencyStore,
  type OutboxStore,
  type SagaStore,
} from '../src/index.js';
import {
  createPostgresIdempotencyStore,
  createPostgresSagaStore,
  createPostgresStores,
  migrate,
  pgClient,
} from '../src/adapters/postgres/index.js';
import { quoteSchema } from '../src/adapters/postgres/migrate.js';
import { aTenant } from '../src/testing/fixtures.js';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const allDay = [{ start: '00:00', end: '24:00' }];
const FIRST_SLOT = Date.parse('2031-01-06T00:00:00.000Z');

function service(
  stores: BookingStores & { outbox: OutboxStore },
  sagas: SagaStore,
  idempotency: IdempotencyStore,
) {
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
  const booking = createBookingService({
    stores,
    bus,
    calendar,
    sagas,
    idempotency,
    tenants: createMemoryTenantDirectory({ tenants: [aTenant({ id: 'acme' })] }),
  });
  let n = 0;
  return async () => {
    const start = FIRST_SLOT + n * 60_000;
    n += 1;
    await booking.book({
      tenantId: 'acme',
      origin: 'api',
      actor: { type: 'customer' },
      idempotencyKey: `bench-${n}`,
      eventTypeId: 'quick',
      start: new Date(start).toISOString(),
      end: new Date(start + 60_000).toISOString(),
      timeZone: 'UTC',
      customer: { name: 'Bench', email: 'bench@example.com' },
    });
  };
}

export async function run(): Promise<BenchCase[]> {
  const memoryStores = createMemoryStores();
  const memoryBook = service(
    memoryStores,
    createMemorySagaStore(),
    createMemoryIdempotencyStore({ maxEntries: 1_000_000 }),
  );

  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const sql = pgClient(pool);
  const schema = `bench_booking_${process.pid}`;
  await migrate(sql, { schema });
  try {
    const postgresBook = service(
      createPostgresStores({ sql, schema }),
      createPostgresSagaStore({ sql, schema }),
      createPostgresIdempotencyStore({ sql, schema }),
    );
    return await measureGroup(
      'booking: BookingService.book (memory calendar)',
      'memory stores',
      [
        { name: 'memory stores', op: memoryBook, async: true },
        { name: 'postgres stores', op: postgresBook, async: true },
      ],
      { batch: 1, time: 2_000 },
    );
  } finally {
    await sql.query(`DROP SCHEMA IF EXISTS ${quoteSchema(schema)} CASCADE`);
    await pool.end();
  }
}
