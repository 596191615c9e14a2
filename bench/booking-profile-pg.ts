/**
 * Profile helper, not a benchmark (`npm run bench` does not run it): books on Postgres through
 * `createBookingKit` with `createPostgresStores` (the layout of booking-concurrency), or with the
 * hand-written baseline (`baseline` as third argument), a fixed number of books at a fixed
 * concurrency with no calendar latency. Prints Node CPU per book and the database server's CPU per
 * book and per kind of statement: each statement's backend CPU from sending it to its answer, read
 * from `/proc/<pid>/schedstat` (Linux, the server on this machine). Run it under the profiler:
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/booking-profile-pg.ts [books] [concurrency] [kit|baseline]`.
 * `KEEP_SCHEMA=1` keeps the schema for EXPLAIN; `ANALYZE=1` analyzes the tables after the warm-up.
 */
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { createBookingKit, createMemoryCalendarProvider } from '../src/index.js';
import { createPostgresStores, migrate, pgClient } from '../src/adapters/postgres/index.js';
import { quoteSchema } from '../src/adapters/postgres/migrate.js';
import { ALL_WEEK } from './booking-fixtures.js';
import { EVENT_TYPES, TENANT, analyzeSchema, handWrittenBook, nextBooking } from './booking-baseline.js';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const books = Number(process.argv[2] ?? 1_500);
const concurrency = Number(process.argv[3] ?? 8);
const mode = process.argv[4] === 'baseline' ? 'baseline' : 'kit';
const WARM_UP = 200;

const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
const schema = `bench_profile_${process.pid}`;

/** On-CPU time of a process so far, in ms (Linux `/proc/<pid>/schedstat`, nanosecond resolution). */
function cpuOf(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return Number.NaN;
  }
}

/** Database-server CPU per kind of statement: the backend's CPU from sending it to its answer. */
const serverCpu = new Map<string, { count: number; ms: number }>();
let measuring = false;
const kindOf = (text: string) =>
  text
    .replace(/\s+/g, ' ')
    .replace(/"[^"]+"\./g, '')
    .replace(/^(\w+ (INTO |FROM )?\S+|SELECT .*? FROM \S+|BEGIN|COMMIT|ROLLBACK).*$/, '$1')
    .slice(0, 70);
pool.on('connect', (client) => {
  const pid = (client as unknown as { processID: number }).processID;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const measure = (text: string, before: number) => {
    const entry = serverCpu.get(kindOf(text)) ?? { count: 0, ms: 0 };
    entry.count += 1;
    entry.ms += cpuOf(pid) - before;
    serverCpu.set(kindOf(text), entry);
  };
  (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
    // A text, or a named statement's config (pgClient's prepared statements).
    const first = args[0] as string | { text?: unknown } | undefined;
    const text = typeof first === 'object' && first !== null ? first.text : first;
    if (!measuring || typeof text !== 'string') return query(...args);
    const before = cpuOf(pid);
    const last = args.at(-1);
    if (typeof last === 'function')
      return query(...args.slice(0, -1), (...answer: unknown[]) => {
        measure(text, before);
        (last as (...answer: unknown[]) => void)(...answer);
      });
    return (query(...args) as Promise<unknown>).finally(() => measure(text, before));
  };
});
const sql = pgClient(pool);
try {
  await migrate(sql, { schema });
  const calendar = createMemoryCalendarProvider({
    eventTypes: Array.from({ length: EVENT_TYPES }, (_, i) => ({
      tenantId: TENANT,
      id: `type-${i}`,
      durationMinutes: 1,
      timeZone: 'UTC',
      weeklyHours: ALL_WEEK,
    })),
  });
  const kit = createBookingKit({
    tenants: [{ id: TENANT }],
    calendar,
    stores: createPostgresStores({ sql, schema }),
    admission: false,
  });
  const book =
    mode === 'baseline'
      ? handWrittenBook({ pool, schema }, { count: 0 }, 0)
      : () => kit.service.book(nextBooking().command);
  const runAll = async (count: number) => {
    let left = count;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (left > 0) {
          left -= 1;
          await book();
        }
      }),
    );
  };
  await runAll(WARM_UP);
  if (process.env.ANALYZE) await analyzeSchema(pool, schema);
  measuring = process.env.SERVER_CPU !== '0';
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  await runAll(books);
  const wallMs = performance.now() - wallBefore;
  const cpu = process.cpuUsage(cpuBefore);
  measuring = false;
  let serverMs = 0;
  for (const { ms } of serverCpu.values()) serverMs += ms;
  console.table(
    [...serverCpu]
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(([kind, { count, ms }]) => ({
        statement: kind,
        'per book': (count / books).toFixed(2),
        'server CPU µs each': Math.round((1_000 * ms) / count),
        'server CPU µs/book': Math.round((1_000 * ms) / books),
      })),
  );
  console.log(
    `database server CPU per book (its backends, pooled statements only): ${(serverMs / books).toFixed(3)} ms`,
  );
  console.log(
    `booking-profile-pg (${mode}): ${books} books at concurrency ${concurrency}: ` +
      `${((cpu.user + cpu.system) / 1_000 / books).toFixed(3)} ms Node CPU per book ` +
      `(user ${(cpu.user / 1_000 / books).toFixed(3)}, system ${(cpu.system / 1_000 / books).toFixed(3)}), ` +
      `${Math.round(books / (wallMs / 1_000))} books/s`,
  );
  await kit.close();
} finally {
  if (!process.env.KEEP_SCHEMA)
    await pool.query(`DROP SCHEMA IF EXISTS ${quoteSchema(schema)} CASCADE`).catch(() => undefined);
  await pool.end();
}
