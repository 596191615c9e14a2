/**
 * `npm run bench:system`: the system benchmarks, against real processes on loopback.
 *
 * 1. Webhook ingestion: signed Cal.com BOOKING_CREATED and Retell call_ended deliveries (one in
 *    ten a byte-for-byte redelivery) posted from this process to the example backend in its own
 *    process, on PGlite and on Postgres + Redis; at full speed (autocannon, a closed loop) and at
 *    a fixed 200/s (an open loop, `open-loop.ts`); beside an Express hello-world measured in the
 *    same run.
 * 2. Bookings: 1,000 booking requests at once through the REST API of two backend processes on one
 *    Postgres (and Redis), against one Cal.com simulator process answering after 20 ms.
 *
 * Writes bench/results/system.json and bench/results/system.md, and puts that table into
 * docs/benchmarks.md between its markers. Arguments: `webhooks` and/or `bookings` to run only
 * those. Environment: BENCH_SECONDS (each load, default 10), BENCH_CONNECTIONS (full-speed
 * connections, default 32), BENCH_RATE (fixed load, default 200), BENCH_BOOKINGS (default 1000),
 * BENCH_TENANTS (default 100), DATABASE_URL (the Postgres server; a database of its own is made).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { bookAll, bookingDay, bookingPlan, summarise } from './bookings.js';
import { fleet, writeTenantsFile, type Fleet } from './fleet.js';
import { latencyOf, runLoad, type Latency, type LoadResult } from './load.js';
import { runOpenLoop } from './open-loop.js';
import {
  createDatabase,
  freePort,
  root,
  startBackend,
  startHelloWorld,
  startRedis,
  startSimulator,
  type Proc,
} from './processes.js';
import {
  renderMarkdown,
  spliceIntoDoc,
  type BookingsCheck,
  type BookingsRun,
  type BookingsSetting,
  type SystemResults,
  type WebhookCheck,
  type WebhookRow,
} from './report.js';
import {
  calcomDeliveries,
  retellDeliveries,
  type DeliverySource,
  type PreparedRequest,
} from './webhook-bodies.js';

const num = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: must be a positive number`);
  return value;
};
const seconds = num('BENCH_SECONDS', 10);
const connections = num('BENCH_CONNECTIONS', 32);
const rate = num('BENCH_RATE', 200);
const bookingCount = num('BENCH_BOOKINGS', 1000);
const tenantCount = num('BENCH_TENANTS', 100);
const only = process.argv.slice(2);
const wants = (part: string) => only.length === 0 || only.includes(part);

const started: Proc[] = [];
const cleanups: (() => Promise<void>)[] = [];
const track = <T extends Proc>(proc: T): T => (started.push(proc), proc);
async function cleanup() {
  for (const proc of started.splice(0).reverse()) await proc.stop().catch(() => undefined);
  for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
}
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

const log = (line: string) => process.stdout.write(`${line}\n`);
const describe = (r: LoadResult) =>
  `${r.rps} req/s, p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms, p99 ${r.latencyMs.p99} ms, statuses ${JSON.stringify(r.statuses)}, errors ${r.errors}`;

/** What a load takes from a delivery source: the requests to send, and where their answers go. */
const feedOf = (deliveries: DeliverySource) => ({
  next: () => deliveries.next(),
  answered: (request: PreparedRequest, status: number) => deliveries.answered(request, status),
});

async function measure(
  url: string,
  storage: WebhookRow['storage'],
  source: WebhookRow['source'],
  deliveries: DeliverySource | null,
  rows: WebhookRow[],
) {
  const feed = deliveries ? feedOf(deliveries) : {};
  const full = await runLoad({ url, connections, durationSec: seconds, ...feed });
  log(`  ${storage} ${source} full speed: ${describe(full)}`);
  rows.push({ storage, source, load: 'full speed', result: full });
  const fixed = await runOpenLoop({ url, rate, durationSec: seconds, ...feed });
  log(`  ${storage} ${source} ${rate}/s: ${describe(fixed)}`);
  rows.push({ storage, source, load: `${rate}/s`, result: fixed });
}

async function backendEnv(spec: Fleet, dir: string, simulatorUrl: string, port: number) {
  const tenants = writeTenantsFile(spec, dir);
  return {
    ...tenants.env,
    TENANTS_FILE: tenants.file,
    CALCOM_BASE_URL: simulatorUrl,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    // One address posts every webhook here: no per-address limit. No reconciliation schedule.
    WEBHOOK_RATE_LIMIT: '0',
    RECONCILE_INTERVAL_MS: '0',
  };
}

async function countRows(url: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

async function webhookBench(dir: string): Promise<{ rows: WebhookRow[]; checks: WebhookCheck[] }> {
  const rows: WebhookRow[] = [];
  const checks: WebhookCheck[] = [];
  const spec = fleet(Math.min(tenantCount, 20));
  log('Webhook ingestion');
  const hello = track(await startHelloWorld());
  await runLoad({ url: hello.url, connections, durationSec: 2 }); // warm-up
  await measure(hello.url, 'hello-world', 'none', null, rows);
  await hello.stop();

  const simulator = track(await startSimulator({ tenants: spec.tenants.length }));
  for (const storage of ['pglite', 'postgres+redis'] as const) {
    const port = await freePort();
    const env: Record<string, string> = await backendEnv(spec, dir, simulator.url, port);
    let dbUrl: string | null = null;
    let redis: Proc | null = null;
    if (storage === 'pglite') {
      const dataDir = mkdtempSync(join(tmpdir(), 'bench-pglite-'));
      cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      env.DATA_DIR = dataDir;
    } else {
      const db = await createDatabase('bench_system_webhooks');
      cleanups.push(() => db.drop());
      dbUrl = db.url;
      const server = track(await startRedis());
      redis = server;
      env.DATABASE_URL = db.url;
      env.REDIS_URL = server.url;
    }
    const backend = track(await startBackend(`backend-${storage}`, env, port));
    const run = `${storage.replace(/\W/g, '')}${Date.now().toString(36)}`;
    const calcom = calcomDeliveries(spec, run);
    const retell = retellDeliveries(spec, run);
    await runLoad({ url: backend.url, connections, durationSec: 2, ...feedOf(calcom) }); // warm-up
    await measure(backend.url, storage, 'calcom', calcom, rows);
    await measure(backend.url, storage, 'retell', retell, rows);
    checks.push({
      storage,
      calcomSent: calcom.made,
      calcomUnique: calcom.unique,
      calcomAnswered: calcom.answeredUnique,
      appointments: dbUrl ? await countRows(dbUrl, 'bookingkit_appointments') : null,
      retellSent: retell.made,
      retellUnique: retell.unique,
      retellAnswered: retell.answeredUnique,
      calls: dbUrl ? await countRows(dbUrl, 'bookingkit_calls') : null,
    });
    log(`  ${storage} stored: ${JSON.stringify(checks.at(-1))}`);
    await backend.stop();
    await redis?.stop();
  }
  await simulator.stop();
  return { rows, checks };
}

/** The admission limits the bookings burst runs with: bookingkit's defaults, and tighter ones. */
const ADMISSION_SETTINGS: readonly BookingsSetting[] = [
  { label: 'default (64 running + 64 queued)', env: {} },
  { label: '16 running + 16 queued', env: { ADMISSION_MAX_CONCURRENT: '16', ADMISSION_MAX_QUEUE: '16' } },
  { label: '8 running + 8 queued', env: { ADMISSION_MAX_CONCURRENT: '8', ADMISSION_MAX_QUEUE: '8' } },
];
/** Warm-up bookings per backend, on another day, before the burst: the JIT has compiled the path. */
const WARM_UP_PER_BACKEND = 100;

async function bookingsBench(dir: string, setting: BookingsSetting): Promise<BookingsRun> {
  log(`Bookings, admission ${setting.label}`);
  const spec = fleet(tenantCount);
  const simulator = track(await startSimulator({ tenants: spec.tenants.length, latencyMs: 20 }));
  const db = await createDatabase('bench_system_bookings');
  cleanups.push(() => db.drop());
  const redis = track(await startRedis());
  const backends: Proc[] = [];
  const urls: string[] = [];
  // One public address for the deployment, as behind a load balancer: each tenant's Cal.com
  // account has one webhook subscription (to the first backend), so each booking comes back as
  // one webhook, not one per backend.
  const publicPort = await freePort();
  for (const name of ['backend-a', 'backend-b']) {
    const port = name === 'backend-a' ? publicPort : await freePort();
    const env = {
      ...(await backendEnv(spec, dir, simulator.url, publicPort)),
      ...setting.env,
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
    };
    const backend = track(await startBackend(name, env, port));
    backends.push(backend);
    urls.push(backend.url);
  }
  // Warm-up: bookings a week later, 16 at a time (none refused), so that the burst meets compiled
  // code and warm connections, as a server that has been running does.
  const day = bookingDay();
  const warm = bookingPlan(spec, WARM_UP_PER_BACKEND * urls.length, 8, day + 7 * 86_400_000);
  for (let i = 0; i < warm.length; i += 16) await bookAll(urls, warm.slice(i, i + 16));
  const plan = bookingPlan(spec, bookingCount, 8, day);
  const { answers, wallSec } = await bookAll(urls, plan);
  const result = summarise(answers, wallSec);
  log(`  ${JSON.stringify(result)}`);
  // Let queued calendar work and webhooks settle before counting.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const dayStart = new Date(day).toISOString();
  const dayEnd = new Date(day + 86_400_000).toISOString();
  const { rows } = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM bookingkit_appointments
      WHERE status IN ('pending', 'confirmed') AND start_at >= $1 AND start_at < $2`,
    [dayStart, dayEnd],
  );
  await client.end();
  const bookings = (await simulator.bookings()).filter(
    (b) => b.status === 'accepted' && b.start >= dayStart && b.start < dayEnd,
  );
  const slots = new Set(bookings.map((b) => `${b.host}@${b.start}`));
  const check: BookingsCheck = {
    appointmentsActive: Number(rows[0]!.n),
    simulatorAccepted: bookings.length,
    simulatorDuplicates: bookings.length - slots.size,
    answeredBooked: result.booked,
  };
  log(`  stored: ${JSON.stringify(check)}`);
  for (const backend of backends) await backend.stop();
  await redis.stop();
  await simulator.stop();
  return { setting: setting.label, warmUp: warm.length, result, check };
}

/**
 * The same burst (the same 1,000 POSTs at once, each on a connection of its own) against two
 * Express hello-worlds that only read each body and answer: what accepting and answering that many
 * connections at once costs this machine before any work, measured in the same run.
 */
async function connectionFloor(): Promise<Latency> {
  log('Bookings floor: the same burst against two hello-worlds');
  const hellos = [track(await startHelloWorld()), track(await startHelloWorld())];
  try {
    const urls = hellos.map((hello) => hello.url);
    await bookAll(urls, bookingPlan(fleet(tenantCount), 200, 8, bookingDay() + 7 * 86_400_000)); // warm-up
    const { answers } = await bookAll(urls, bookingPlan(fleet(tenantCount), bookingCount, 8, bookingDay()));
    const latency = latencyOf(answers.map((answer) => answer.ms));
    log(`  ${JSON.stringify(latency)}`);
    return latency;
  } finally {
    for (const hello of hellos) await hello.stop();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'bench-system-'));
cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
try {
  const machine = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverageAtStart: loadavg().map((v) => Math.round(v * 100) / 100),
  };
  const webhooks = wants('webhooks') ? await webhookBench(dir) : null;
  const bookings: BookingsRun[] | null = wants('bookings') ? [] : null;
  for (const setting of bookings ? ADMISSION_SETTINGS : []) bookings!.push(await bookingsBench(dir, setting));
  const bookingsFloor = bookings ? await connectionFloor() : null;
  const results: SystemResults = {
    machine: { ...machine, loadAverageAtEnd: loadavg().map((v) => Math.round(v * 100) / 100) },
    settings: { seconds, connections, rate, bookingCount, tenantCount },
    webhooks,
    bookings,
    bookingsFloor,
  };
  const out = join(root, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'system.json'), `${JSON.stringify(results, null, 2)}\n`);
  const markdown = renderMarkdown(results);
  writeFileSync(join(out, 'system.md'), markdown);
  const doc = join(root, 'docs', 'benchmarks.md');
  writeFileSync(doc, spliceIntoDoc(readFileSync(doc, 'utf8'), markdown));
  log(`\n${markdown}\nwrote bench/results/system.json, bench/results/system.md and docs/benchmarks.md`);
} finally {
  await cleanup();
}
