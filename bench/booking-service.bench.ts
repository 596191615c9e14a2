/**
 * `BookingService.book` per second with the memory calendar provider, through `createBookingKit`
 * with its defaults: on the memory stores, and on
 * Postgres (DATABASE_URL, defaulting to the local server) for stores, saga log and idempotency
 * keys. Ratios are to the memory backend. Each booking takes the next free one-minute slot, so every
 * operation is a full hold → calendar → confirm saga with its outbox events.
 */
import pg from 'pg';
import { sequentialBooker } from './booking-fixtures.js';
import { measureGroup, type BenchCase } from './harness.js';
import {
  createPostgresIdempotencyStore,
  createPostgresSagaStore,
  createPostgresStores,
  migrate,
  pgClient,
} from '../src/adapters/postgres/index.js';
import { quoteSchema } from '../src/adapters/postgres/migrate.js';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function run(): Promise<BenchCase[]> {
  const memoryBook = sequentialBooker();

  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const sql = pgClient(pool);
  const schema = `bench_booking_${process.pid}`;
  await migrate(sql, { schema });
  try {
    const postgresBook = sequentialBooker({
      stores: createPostgresStores({ sql, schema }),
      sagas: createPostgresSagaStore({ sql, schema }),
      idempotency: createPostgresIdempotencyStore({ sql, schema }),
    });
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
