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
 * server's CPU is not in it), the machine's busy CPU per successful book (`/proc/stat` on Linux:
 * Node, the database server and whatever else runs on the machine, so only meaningful on a quiet
 * machine; 10 ms resolution) and, on Postgres, the statements sent per successful book (a
 * transaction counts as its statements plus BEGIN and COMMIT).
 *
 * The kit runs with the defaults a user gets (event bus with validation and history, the calendar
 * policy's timeout and circuit breaker, default admission, and on Postgres the saga log and the
 * idempotency store of `createPostgresStores`, joined to its transactions), and once more with
 * `admission: false`, which admits all N like the baseline does. Its relay is not started, so queued listeners'
 * outbox rows are written but not delivered, as in the baseline. Each kit is warmed up with one
 * burst of 50 (not reported), so the calendar's event types are cached and the pool is connected;
 * then the schema's tables are analyzed, as autovacuum would (this machine's server runs without
 * it, and a table with no statistics gets blind plans).
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
 * `BOOKING_CONCURRENCY=postgres` (or `memory`) runs one half only.
 */
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { percentile, type BenchCase } from './harness.js';
import {
  createBookingKit,
  createMemoryCalendarProvider,
  isBulkheadRejectedError,
  type BookingService,
  type CalendarProvider,
} from '../src/index.js';
import { createPostgresStores, migrate, pgClient, type SqlClient } from '../src/adapters/postgres/index.js';
import { quoteSchema } from '../src/adapters/postgres/migrate.js';
import { EVENT_TYPES, TENANT, analyzeSchema, handWrittenBook, nextBooking } from './booking-baseline.js';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BURSTS = [50, 200, 1_000] as const;
const WARM_UP = 50;
const POOL_SIZE = 20;
const CALENDAR_LATENCY_MS = 20;
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

/**
 * CPU time the whole machine spent busy so far, in ms (Linux `/proc/stat`: every process, the
 * database server and other users' work included), or `undefined` where it cannot be read.
 */
function machineBusyMs(): number | undefined {
  try {
    const fields = /^cpu\s+(.*)$/m
      .exec(readFileSync('/proc/stat', 'utf8'))![1]!
      .trim()
      .split(/\s+/)
      .map(Number);
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    const busy = fields.slice(0, 8).reduce((sum, value, i) => (i === 3 || i === 4 ? sum : sum + value), 0);
    return (busy * 1_000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** A client that counts statements; a transaction counts as its statements plus BEGIN and COMMIT. */
function counting(sql: SqlClient): { client: SqlClient; count(): number } {
  let statements = 0;
  const wrap = (target: SqlClient): SqlClient => ({
    query: (text, params, options) => ((statements += 1), target.query(text, params, options)),
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
  const book = () => service.book(nextBooking().command);
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
  /** The machine's busy CPU over the burst (Node, the database, anything else running), in ms. */
  readonly machineMs: number | undefined;
  /** Statements sent during the burst (Postgres cases), else `undefined`. */
  readonly statements: number | undefined;
}

async function burst(n: number, book: Book, count?: () => number): Promise<BurstResult> {
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  let refused = 0;
  const statementsBefore = count?.();
  const machineBefore = machineBusyMs();
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
  const machineAfter = machineBusyMs();
  latencies.sort((a, b) => a - b);
  return {
    n,
    wallMs,
    latencies,
    refused,
    errors,
    cpuMs: (cpu.user + cpu.system) / 1_000,
    machineMs:
      machineBefore === undefined || machineAfter === undefined ? undefined : machineAfter - machineBefore,
    statements:
      count === undefined || statementsBefore === undefined ? undefined : count() - statementsBefore,
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
        'machine CPU ms/book': ok === 0 || r.machineMs === undefined ? '-' : fixed(r.machineMs / ok, 2),
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
    const baselineBook = handWrittenBook(db, handWritten, CALENDAR_LATENCY_MS);
    await burst(WARM_UP, baselineBook);
    const withAdmission = await kit('default', db);
    const unbounded = await kit('off', db);
    // After every warm-up, so that each table has rows: statistics as autovacuum would keep them.
    await analyzeSchema(pool, schema);
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
  // BOOKING_CONCURRENCY=postgres (or memory) runs one half only.
  const only = process.env.BOOKING_CONCURRENCY;
  const cases = only === 'postgres' ? [] : await memory();
  if (only === 'memory') return cases;
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
