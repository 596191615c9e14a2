/**
 * Webhook ingestion in one process, for profiling: the Cal.com and Retell webhook handlers the
 * example backend mounts, built over a booking kit on PGlite (in memory) or on Postgres
 * (DATABASE_URL, a schema of its own, dropped afterwards), given the deliveries the system
 * benchmark sends (bench/system/webhook-bodies.ts: new bookings and new calls, every tenth a
 * byte-for-byte redelivery), `concurrency` at a time. No HTTP server: each delivery is a `Request`
 * handed to the handler, so what is measured is the handler and its storage.
 *
 * Prints deliveries per second, p50/p95/p99 latency, and the SQL statements and transactions each
 * delivery cost (counted on the SQL client). Profile with `node --cpu-prof --import tsx`.
 *
 * ```sh
 * npx tsx bench/webhook-ingestion.ts                       # PGlite in a temp dir, calcom then retell
 * DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/webhook-ingestion.ts
 * npx tsx bench/webhook-ingestion.ts --source calcom --count 400 --concurrency 16
 * npx tsx bench/webhook-ingestion.ts --rate 200 --count 2000   # a fixed load, p95 from when each was due
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import pg from 'pg';
import { createBookingKit } from '../src/index.js';
import {
  createPostgresStores,
  migrate,
  pgClient,
  pgliteClient,
  type SqlClient,
} from '../src/adapters/postgres/index.js';
import { calcomRoutesFromDirectory, createCalcomWebhookHandler } from '../src/calcom/index.js';
import { createRetellWebhookHandler } from '../src/retell/index.js';
import { fleet } from './system/fleet.js';
import { calcomDeliveries, retellDeliveries, type DeliverySource } from './system/webhook-bodies.js';

const { values: args } = parseArgs({
  options: {
    source: { type: 'string', multiple: true },
    count: { type: 'string', default: '400' },
    warmup: { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '16' },
    rate: { type: 'string', default: '0' },
    tenants: { type: 'string', default: '20' },
    trace: { type: 'boolean', default: false },
    breakdown: { type: 'boolean', default: false },
    memory: { type: 'boolean', default: false },
  },
});
const sources = (args.source ?? ['calcom', 'retell']) as ('calcom' | 'retell')[];
const count = Number(args.count);
const warmup = Number(args.warmup);
const concurrency = Number(args.concurrency);
const rate = Number(args.rate);
const databaseUrl = process.env.DATABASE_URL;
/** `--trace`: one delivery of each source, its statements printed. */
let trace = false;

/** Counts statements and transactions (BEGIN) sent through a client. */
interface Counted {
  readonly sql: SqlClient;
  /** `commits`: transactions, and writes made outside one (each commits on its own). */
  readonly counts: { statements: number; transactions: number; commits: number };
  /** Statements by kind (verb and table), for `--breakdown`. */
  readonly kinds: Map<string, number>;
}

/** `INSERT bookingkit_idempotency`, `SELECT bookingkit_appointments`, ... */
const kindOf = (text: string): string => {
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '?';
  const table = /bookingkit_\w+/.exec(text)?.[0] ?? '';
  return `${verb} ${table}`.trim();
};

function counting(sql: SqlClient): Counted {
  const counts = { statements: 0, transactions: 0, commits: 0 };
  const kinds = new Map<string, number>();
  const wrap = (client: SqlClient, inTransaction: boolean): SqlClient =>
    new Proxy(client, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (property === 'query') {
          return (text: string, ...rest: unknown[]) => {
            counts.statements += 1;
            const kind = kindOf(text);
            if (!inTransaction && !kind.startsWith('SELECT')) counts.commits += 1;
            kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
            if (trace) process.stdout.write(`  ${text.replace(/\s+/g, ' ').slice(0, 140)}\n`);
            return (value as (...a: unknown[]) => unknown).call(target, text, ...rest);
          };
        }
        if (property === 'transaction') {
          return (fn: (tx: SqlClient) => unknown, ...rest: unknown[]) => {
            counts.transactions += 1;
            counts.commits += 1;
            if (trace) process.stdout.write('  -- transaction\n');
            return (value as (...a: unknown[]) => unknown).call(
              target,
              (tx: SqlClient) => fn(wrap(tx, true)),
              ...rest,
            );
          };
        }
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  return { sql: wrap(sql, false), counts, kinds };
}

async function openDatabase(): Promise<{
  kind: string;
  sql: SqlClient;
  schema: string;
  close(): Promise<void>;
}> {
  if (databaseUrl) {
    const schema = `bench_ingest_${process.pid}`;
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
    const sql = pgClient(pool);
    await migrate(sql, { schema });
    return {
      kind: 'postgres',
      sql,
      schema,
      close: async () => {
        if (process.env.BENCH_KEEP_SCHEMA === '1') process.stdout.write(`kept schema ${schema}\n`);
        else await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await pool.end();
      },
    };
  }
  // As the example opens it: data in a directory (`--memory`: in memory, no file writes).
  const dir = args.memory ? null : mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  const db = await PGlite.create(dir ? join(dir, 'pglite') : undefined, { extensions: { btree_gist } });
  const sql = pgliteClient(db);
  await migrate(sql);
  return {
    kind: dir ? 'pglite (data directory)' : 'pglite (memory)',
    sql,
    schema: 'public',
    close: async () => {
      await db.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Sends one delivery to the handler; answers its latency (from `from`, ms) and status. */
async function send(
  handler: (request: Request) => Promise<Response>,
  source: DeliverySource,
  from?: number,
): Promise<{ ms: number; status: number }> {
  const delivery = source.next();
  const request = new Request(`http://127.0.0.1${delivery.path}`, {
    method: delivery.method,
    headers: delivery.headers,
    body: delivery.body,
  });
  const start = from ?? performance.now();
  const response = await handler(request);
  await response.text();
  return { ms: performance.now() - start, status: response.status };
}

/**
 * `n` deliveries: `concurrency` at a time (closed loop), or with `rate` set, started at that many
 * per second whatever the answers (open loop, as autocannon's fixed loads; latency counts from
 * when each was due, so a backlog shows).
 */
async function drive(
  handler: (request: Request) => Promise<Response>,
  source: DeliverySource,
  n: number,
  rate = 0,
): Promise<{ seconds: number; latencies: number[]; failures: Map<number, number> }> {
  const latencies: number[] = [];
  const failures = new Map<number, number>();
  const record = ({ ms, status }: { ms: number; status: number }) => {
    latencies.push(ms);
    if (status !== 200) failures.set(status, (failures.get(status) ?? 0) + 1);
  };
  const began = performance.now();
  if (rate > 0) {
    const running: Promise<void>[] = [];
    for (let i = 0; i < n; i += 1) {
      const due = began + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      running.push(send(handler, source, due).then(record));
    }
    await Promise.all(running);
  } else {
    let left = n;
    const worker = async () => {
      while (left > 0) {
        left -= 1;
        record(await send(handler, source));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
  return {
    seconds: (performance.now() - began) / 1000,
    latencies: latencies.sort((a, b) => a - b),
    failures,
  };
}

async function main(): Promise<void> {
  const spec = fleet(Number(args.tenants));
  const database = await openDatabase();
  const { sql, counts, kinds } = counting(database.sql);
  const stores = createPostgresStores({ sql, schema: database.schema });
  const allDay = [{ start: '00:00', end: '24:00' }];
  const kit = createBookingKit({
    stores,
    tenants: spec.tenants.map((tenant) => ({
      id: tenant.id,
      name: `Bench tenant ${tenant.id}`,
      timeZone: 'UTC',
      status: 'active' as const,
      phoneNumbers: [tenant.phoneNumber],
      routeKeys: [tenant.routeKey],
    })),
    eventTypes: spec.tenants.map((tenant) => ({
      tenantId: tenant.id,
      id: String(tenant.eventTypeId),
      durationMinutes: 30,
      timeZone: 'UTC',
      weeklyHours: { monday: allDay, tuesday: allDay, wednesday: allDay, thursday: allDay, friday: allDay },
    })),
  });
  await kit.start();
  const secrets = new Map(spec.tenants.map((tenant) => [tenant.id, tenant.webhookSecret]));
  const handlers = {
    calcom: createCalcomWebhookHandler({
      ...kit,
      routes: calcomRoutesFromDirectory({
        tenants: kit.tenants,
        webhookSecret: (tenantId) => secrets.get(tenantId) ?? null,
      }),
    }),
    retell: createRetellWebhookHandler({
      ...kit,
      apiKey: () => ({ apiKey: spec.retellApiKey, tenantIds: spec.tenants.map((t) => t.id) }),
      routeKey: () => 'bench',
    }),
  };
  const run = `p${process.pid}${Date.now().toString(36)}`;
  process.stdout.write(
    `${database.kind}, ${count} deliveries per source, ${rate > 0 ? `${rate}/s` : `${concurrency} at a time`}, ${spec.tenants.length} tenants\n`,
  );
  try {
    for (const name of sources) {
      const source = name === 'calcom' ? calcomDeliveries(spec, run) : retellDeliveries(spec, run);
      await drive(handlers[name], source, warmup);
      if (args.trace) {
        process.stdout.write(`${name}: the statements of one delivery\n`);
        trace = true;
        await drive(handlers[name], source, 1);
        trace = false;
        continue;
      }
      const before = { ...counts };
      const cpu = process.cpuUsage();
      kinds.clear();
      const { seconds, latencies, failures } = await drive(handlers[name], source, count, rate);
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000 / count;
      const statements = (counts.statements - before.statements) / count;
      const transactions = (counts.transactions - before.transactions) / count;
      const commits = (counts.commits - before.commits) / count;
      const f = (ms: number) => ms.toFixed(1);
      process.stdout.write(
        `${name.padEnd(7)} ${(count / seconds).toFixed(0).padStart(5)}/s  p50 ${f(percentile(latencies, 50))} ms` +
          `  p95 ${f(percentile(latencies, 95))} ms  p99 ${f(percentile(latencies, 99))} ms` +
          `  ${cpuMs.toFixed(2)} ms CPU (this process)` +
          `  ${statements.toFixed(1)} statements, ${transactions.toFixed(1)} transactions, ${commits.toFixed(1)} commits per delivery` +
          `${failures.size > 0 ? `  non-200: ${JSON.stringify(Object.fromEntries(failures))}` : ''}\n`,
      );
      if (args.breakdown) {
        for (const [kind, n] of [...kinds].sort((a, b) => b[1] - a[1])) {
          process.stdout.write(`  ${(n / count).toFixed(2).padStart(6)}  ${kind}\n`);
        }
      }
    }
  } finally {
    await kit.close();
    await database.close();
  }
}

await main();
