/**
 * Bursts of N = 50, 200 and 1,000 concurrent `book` commands, each on a slot of its own, through
 * `createBookingKit` with the memory calendar behind a 20 ms latency (every calendar call waits
 * 20 ms first), on the memory stores and on Postgres (a `pg` pool of 20 connections; a fresh schema
 * migrated with `migrate` and dropped after; DATABASE_URL, defaulting to the local server).
 *
 * Each burst starts all N commands in the same tick and waits for every one to settle. It reports
 * throughput (successful books per second of the burst's wall time), p50/p95/p99 latency of the
 * successful books (from the call to its answer), the commands refused by admission control
 * (`BulkheadRejectedError`: the service's bounded FIFO bulkhead, 64 running + 64 queued by default),
 * other errors, Node CPU per successful book (`process.cpuUsage` over the burst; the database
 * server's CPU is not in it) and, on Postgres, the statements sent per successful book (a
 * transaction counts as its statements plus BEGIN and COMMIT).
 *
 * The kit runs with the defaults a user gets (event bus with validation and history, the calendar
 * policy's timeout and circuit breaker, default admission, and on Postgres the saga log and the
 * idempotency store of `createPostgresStores`, joined to its transactions), and once more with
 * `admission: false`, which admits all N like the baseline does. Its relay is not started, so queued listeners'
 * outbox rows are written but not delivered, as in the baseline. Each kit is warmed up with one
 * burst of 50 (not reported), so the calendar's event types are cached and the pool is connected.
 *
 * Baselines, in the same run and at the same concurrency:
 * - Postgres: the same durable writes issued by hand with `pg` on the same pool, in two
 *   transactions around the same 20 ms calendar wait: (1) idempotency row, customer, pending
 *   appointment, saga row and one outbox row; (2) the appointment confirmed, one outbox row, the
 *   saga completed and the idempotency result. Ratios are bookingkit's throughput to it.
 * - Memory: N concurrent 20 ms waits and nothing else, the ceiling that the calendar latency
 *   allows. Ratios are to it.
 *
 * Runs in well under two minutes on a 2-core machine; N = 1,000 on Postgres is the longest burst.
 */
import pg from 'pg';
import { setTimeout as delay } from 'node:timers/promises';
import { percentile, type BenchCase } from './harness.js';
import {
  createBookingKit,
  createMemoryCalendarProvider,
  isBulkheadRejectedError,
  type BookCommand,
  type BookingService,
  type CalendarProvider,
} from '../src/index.js';
import { createPostgresStores, migrate, pgClient, type SqlClient } from '../src/adapters/postgres/index.js';
import { quoteSchema } from '../src/adapters/postgres/migrate.js';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BURSTS = [50, 200, 1_000] as const;
const WARM_UP = 50;
const POOL_SIZE = 20;
const CALENDAR_LATENCY_MS = 20;
/** Event types (calendar hosts) the bookings are spread over, one-minute slots each. */
const EVENT_TYPES = 50;
const TENANT = 'acme';
const FIRST_SLOT = Date.parse('2031-01-06T00:00:00.000Z');
const allDay = [{ start: '00:00', end: '24:00' }];
const weeklyHours = {
  monday: allDay,
  tuesday: allDay,
  wednesday: allDay,
  thursday: allDay,
  friday: allDay,
  saturday: allDay,
  sunday: allDay,
};

/** The calendar port of `inner`, each call waiting `ms` first (a remote calendar's latency). */
function withLatency(inner: CalendarProvider, ms: number): CalendarProvider {
  return {
    createBooking: async (...args) => (await delay(ms), inner.createBooking(...args)),
    findBookingByAppointmentId: async (...args) => (
      await delay(ms),
      inner.findBookingByAppointmentId(...args)
    ),
    rescheduleBooking: async (...args) => (await delay(ms), inner.rescheduleBooking(...args)),
    cancelBooking: async (...args) => (await delay(ms), inner.cancelBooking(...args)),
    listBookings: async (...args) => (await delay(ms), inner.listBookings(...args)),
    listBookingsUpdatedSince: async (...args) => (await delay(ms), inner.listBookingsUpdatedSince(...args)),
    getAvailableSlots: async (...args) => (await delay(ms), inner.getAvailableSlots(...args)),
    listEventTypes: async (...args) => (await delay(ms), inner.listEventTypes(...args)),
  };
}

/** The new customer of booking `n`. */
const customerOf = (n: number) => ({ name: `Caller ${n}`, email: `caller-${n}@example.com` });

/** Every booking of the run takes the next slot: distinct event type and time, distinct customer. */
let nextBooking = 0;
function nextCommand(): BookCommand {
  const n = (nextBooking += 1);
  const start = FIRST_SLOT + Math.floor(n / EVENT_TYPES) * 60_000;
  return {
    tenantId: TENANT,
    origin: 'api',
    actor: { type: 'customer' },
    idempotencyKey: `concurrency-${process.pid}-${n}`,
    eventTypeId: `type-${n % EVENT_TYPES}`,
    start: new Date(start).toISOString(),
    end: new Date(start + 60_000).toISOString(),
    timeZone: 'UTC',
    customer: customerOf(n),
  };
}

/** A client that counts statements; a transaction counts as its statements plus BEGIN and COMMIT. */
function counting(sql: SqlClient): { client: SqlClient; count(): number } {
  let statements = 0;
  const wrap = (target: SqlClient): SqlClient => ({
    query: (text, params) => ((statements += 1), target.query(text, params)),
    transaction: (fn) => ((statements += 2), target.transaction((tx) => fn(wrap(tx)))),
  });
  return { count: () => statements, client: wrap(sql) };
}

interface Postgres {
  readonly pool: pg.Pool;
  readonly sql: SqlClient;
  readonly schema: string;
  count(): number;
}

/** One booking, as a burst runs it. */
type Book = () => Promise<unknown>;

/** A warmed-up kit; `close` waits for its commands and stops it. */
async function kit(
  admission: 'default' | 'off',
  postgres?: Postgres,
): Promise<{ book: Book; close(): Promise<void> }> {
  const calendar = createMemoryCalendarProvider({
    eventTypes: Array.from({ length: EVENT_TYPES }, (_, i) => ({
      tenantId: TENANT,
      id: `type-${i}`,
      durationMinutes: 1,
      timeZone: 'UTC',
      weeklyHours,
    })),
  });
  const durable = postgres && {
    // The layout a user gets from createPostgresStores: the saga log and the idempotency store are
    // the stores' own, so a book claims its key and commits its answer in its two transactions.
    stores: createPostgresStores({ sql: postgres.sql, schema: postgres.schema }),
  };
  const created = createBookingKit({
    tenants: [{ id: TENANT }],
    calendar: withLatency(calendar, CALENDAR_LATENCY_MS),
    ...durable,
    ...(admission === 'off' ? { admission: false } : {}),
  });
  const service: BookingService = created.service;
  const book = () => service.book(nextCommand());
  await burst(WARM_UP, book);
  return { book, close: () => created.close() };
}

interface BurstResult {
  readonly n: number;
  readonly wallMs: number;
  /** Latencies of the successful books, ascending, in ms. */
  readonly latencies: number[];
  readonly refused: number;
  /** Other failures, by error code (or name). */
  readonly errors: Map<string, number>;
  /** Node CPU (user + system) over the burst, in ms. */
  readonly cpuMs: number;
  /** Statements sent during the burst (Postgres cases), else `undefined`. */
  readonly statements: number | undefined;
}

async function burst(n: number, book: Book, count?: () => number): Promise<BurstResult> {
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  let refused = 0;
  const statementsBefore = count?.();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: n }, async () => {
      const at = performance.now();
      try {
        await book();
        latencies.push(performance.now() - at);
      } catch (error) {
        if (isBulkheadRejectedError(error)) refused += 1;
        else {
          const code = (error as { code?: unknown }).code;
          const key = typeof code === 'string' ? code : error instanceof Error ? error.name : String(error);
          errors.set(key, (errors.get(key) ?? 0) + 1);
        }
      }
    }),
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  return {
    n,
    wallMs,
    latencies,
    refused,
    errors,
    cpuMs: (cpu.user + cpu.system) / 1_000,
    statements:
      count === undefined || statementsBefore === undefined ? undefined : count() - statementsBefore,
  };
}

/** The baseline's durable writes for one booking, by hand: two transactions around the calendar wait. */
function handWrittenBook(postgres: Postgres, statements: { count: number }): Book {
  const s = quoteSchema(postgres.schema);
  const transaction = async (run: (client: pg.PoolClient) => Promise<void>): Promise<void> => {
    const client = await postgres.pool.connect();
    try {
      await client.query('BEGIN');
      await run(client);
      await client.query('COMMIT');
      statements.count += 2;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  return async () => {
    const command = nextCommand();
    const n = nextBooking;
    const ids = {
      appointment: `appt-${process.pid}-${n}`,
      customer: `cust-${process.pid}-${n}`,
      saga: `saga-${process.pid}-${n}`,
    };
    const now = Date.now();
    const nowIso = new Date(now).toISOString();
    const appointment = {
      id: ids.appointment,
      tenantId: TENANT,
      eventTypeId: command.eventTypeId,
      start: command.start,
      end: command.end,
      customerId: ids.customer,
      status: 'pending',
    };
    const outbox = (eventType: string, eventId: string): [string, unknown[]] => [
      `INSERT INTO ${s}.bookingkit_outbox (tenant_id, event_id, event_type, listener, ordering_key, payload, available_at, created_at) ` +
        'VALUES ($1, $2, $3, $4, $5, $6, $7, $7)',
      [
        TENANT,
        eventId,
        eventType,
        'availability-invalidation',
        `appointment:${ids.appointment}`,
        JSON.stringify({ id: eventId, type: eventType, tenantId: TENANT, time: nowIso, data: appointment }),
        now,
      ],
    ];
    await transaction(async (client) => {
      await client.query(
        `INSERT INTO ${s}.bookingkit_idempotency (tenant_id, key, fingerprint, state, token, lock_expires_at, expires_at) ` +
          "VALUES ($1, $2, $3, 'in_progress', $4, $5, $6)",
        [TENANT, command.idempotencyKey, `fp-${n}`, `token-${n}`, now + 30_000, now + 86_400_000],
      );
      await client.query(
        `INSERT INTO ${s}.bookingkit_customers (tenant_id, id, name, email, phone, locale, merged_into, stats, version, created_at, updated_at) ` +
          'VALUES ($1, $2, $3, $4, NULL, NULL, NULL, $5, 1, $6, $6)',
        [TENANT, ids.customer, customerOf(n).name, customerOf(n).email, '{"appointments":0}', nowIso],
      );
      await client.query(
        `INSERT INTO ${s}.bookingkit_appointments (tenant_id, id, event_type_id, resource_id, customer_id, start_at, end_at, ` +
          'time_zone, status, origin, created_by, sync, version, idempotency_key, created_at, updated_at) ' +
          "VALUES ($1, $2, $3, $3, $4, $5, $6, $7, 'pending', $8, $9, $10, 1, $11, $12, $12)",
        [
          TENANT,
          ids.appointment,
          command.eventTypeId,
          ids.customer,
          command.start,
          command.end,
          command.timeZone,
          command.origin,
          JSON.stringify(command.actor),
          '{"state":"pending"}',
          command.idempotencyKey,
          nowIso,
        ],
      );
      await client.query(
        `INSERT INTO ${s}.bookingkit_sagas (id, tenant_id, name, state, input, steps, version, lease_owner, lease_expires_at, created_at, updated_at) ` +
          "VALUES ($1, $2, 'bookingkit.book', 'running', $3::json, $4::json, 1, $5, $6, $7, $7)",
        [
          ids.saga,
          TENANT,
          JSON.stringify({ appointment, attendee: customerOf(n) }),
          '[{"name":"hold","status":"completed"}]',
          'baseline',
          now + 30_000,
          now,
        ],
      );
      await client.query(...outbox('appointment.requested', `evt-req-${n}`));
      statements.count += 5;
    });
    await delay(CALENDAR_LATENCY_MS);
    await transaction(async (client) => {
      await client.query(
        `UPDATE ${s}.bookingkit_appointments SET status = 'confirmed', calendar_booking_uid = $3, sync = $4, ` +
          'version = version + 1, updated_at = $5 WHERE tenant_id = $1 AND id = $2',
        [TENANT, ids.appointment, `uid-${n}`, '{"state":"synced"}', new Date().toISOString()],
      );
      await client.query(...outbox('appointment.booked', `evt-booked-${n}`));
      await client.query(
        `UPDATE ${s}.bookingkit_sagas SET state = 'completed', steps = $2::json, version = version + 1, ` +
          'lease_owner = NULL, lease_expires_at = NULL, updated_at = $3, finished_at = $3 WHERE id = $1',
        [
          ids.saga,
          '[{"name":"hold","status":"completed"},{"name":"calendar","status":"completed"},{"name":"confirm","status":"completed"}]',
          Date.now(),
        ],
      );
      await client.query(
        `UPDATE ${s}.bookingkit_idempotency SET state = 'completed', result = $3 WHERE tenant_id = $1 AND key = $2`,
        [
          TENANT,
          command.idempotencyKey,
          JSON.stringify({ appointment: { ...appointment, status: 'confirmed' } }),
        ],
      );
      statements.count += 4;
    });
  };
}

/** N concurrent waits of the calendar latency, nothing else: the memory stores' ceiling. */
const waitOnly: Book = () => delay(CALENDAR_LATENCY_MS);

interface Row {
  readonly name: string;
  readonly result: BurstResult;
}

const fixed = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');

function report(group: string, baseline: string, rows: readonly Row[]): BenchCase[] {
  console.log(`\n${group}`);
  console.table(
    rows.map(({ name, result: r }) => {
      const ok = r.latencies.length;
      return {
        case: name,
        ok: `${ok}/${r.n}`,
        'refused (admission)': `${r.refused} (${((100 * r.refused) / r.n).toFixed(0)}%)`,
        errors:
          r.errors.size === 0 ? 0 : [...r.errors].map(([code, count]) => `${code} ×${count}`).join(', '),
        'books/s': Math.round(ok / (r.wallMs / 1_000)).toLocaleString('en-US'),
        'p50 ms': fixed(percentile(r.latencies, 50)),
        'p95 ms': fixed(percentile(r.latencies, 95)),
        'p99 ms': fixed(percentile(r.latencies, 99)),
        'CPU ms/book': ok === 0 ? '-' : fixed(r.cpuMs / ok, 2),
        'stmts/book': r.statements === undefined || ok === 0 ? '-' : fixed(r.statements / ok),
      };
    }),
  );
  return rows.map(({ name, result: r }) => ({
    group,
    name,
    opsPerSec: r.latencies.length / (r.wallMs / 1_000),
    baseline,
  }));
}

async function memory(): Promise<BenchCase[]> {
  const withAdmission = await kit('default');
  const unbounded = await kit('off');
  const cases: BenchCase[] = [];
  try {
    for (const n of BURSTS) {
      const rows: Row[] = [
        { name: 'ceiling: N concurrent 20 ms waits, nothing written', result: await burst(n, waitOnly) },
        { name: 'bookingkit kit, default admission (64 + 64)', result: await burst(n, withAdmission.book) },
        { name: 'bookingkit kit, admission: false', result: await burst(n, unbounded.book) },
      ];
      cases.push(
        ...report(`booking-concurrency: N=${n}, memory stores, calendar +20 ms`, rows[0]!.name, rows),
      );
    }
  } finally {
    await withAdmission.close();
    await unbounded.close();
  }
  return cases;
}

async function postgres(): Promise<BenchCase[]> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE });
  const schema = `bench_concurrency_${process.pid}`;
  const counter = counting(pgClient(pool));
  const db: Postgres = { pool, sql: counter.client, schema, count: counter.count };
  try {
    await migrate(pgClient(pool), { schema });
    const handWritten = { count: 0 };
    const baselineBook = handWrittenBook(db, handWritten);
    await burst(WARM_UP, baselineBook);
    const withAdmission = await kit('default', db);
    const unbounded = await kit('off', db);
    const cases: BenchCase[] = [];
    try {
      for (const n of BURSTS) {
        const baseline = 'hand-written pg: 2 transactions around the 20 ms wait';
        const rows: Row[] = [
          { name: baseline, result: await burst(n, baselineBook, () => handWritten.count) },
          {
            name: 'bookingkit kit, default admission (64 + 64)',
            result: await burst(n, withAdmission.book, db.count),
          },
          { name: 'bookingkit kit, admission: false', result: await burst(n, unbounded.book, db.count) },
        ];
        cases.push(
          ...report(
            `booking-concurrency: N=${n}, Postgres (pool ${POOL_SIZE}), calendar +20 ms`,
            baseline,
            rows,
          ),
        );
      }
    } finally {
      await withAdmission.close();
      await unbounded.close();
    }
    return cases;
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${quoteSchema(schema)} CASCADE`).catch(() => undefined);
    await pool.end();
  }
}

export async function run(): Promise<BenchCase[]> {
  const started = performance.now();
  const cases = await memory();
  try {
    cases.push(...(await postgres()));
  } catch (error) {
    console.error(
      `booking-concurrency: Postgres skipped: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  console.log(`\nbooking-concurrency: ran in ${((performance.now() - started) / 1_000).toFixed(1)} s`);
  return cases;
}
