import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type TestSystem } from '../support/processes/system.js';
import {
  startDedicatedPostgres,
  startDedicatedRedis,
  type DedicatedServer,
} from './support/dedicated-servers.js';
import {
  acknowledged,
  activeAppointments,
  appointmentIdOf,
  bookUntilAnswered,
  eventually,
  readiness,
  watchReadiness,
  type Ledgered,
} from './support/ledger.js';
import { calendarCallErrors } from './support/breaker-metrics.js';
import { reliabilitySize } from './support/size.js';

// Scenario 5: Redis, then Postgres, restarted under a booking load. Both are servers of this test
// alone (a fresh cluster and a Redis on ports of their own), never the shared ones. Each backend
// reports not-ready while a server is down, becomes ready again by itself (the same process), and
// every booking it acknowledged is in Postgres and in Cal.com, once.

const size =
  reliabilitySize().name === 'full'
    ? { concurrency: 8, loadBeforeMs: 5_000, downMs: 5_000 }
    : { concurrency: 4, loadBeforeMs: 2_000, downMs: 2_000 };

let postgres: DedicatedServer;
let redis: DedicatedServer;
let system: TestSystem;

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startDedicatedPostgres(), startDedicatedRedis()]);
  // The harness makes its run database on the server RELIABILITY_POSTGRES_URL names.
  process.env.RELIABILITY_POSTGRES_URL = postgres.url;
  system = await startSystem({ backends: 2, tenants: { count: 2 }, backendEnv: { REDIS_URL: redis.url } });
}, 180_000);

afterAll(async () => {
  try {
    // Postgres up again, so that the run database can be dropped (a failed test may leave it down).
    await postgres?.start().catch(() => undefined);
    await system?.stop();
  } finally {
    await Promise.all([postgres?.destroy(), redis?.destroy()]);
  }
});

const HALF_HOUR = 30 * 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('scenario 5: Redis and Postgres restarted under load', () => {
  it('reports not-ready, recovers by itself and keeps every acknowledged booking', async () => {
    const { tenants } = system.tenants;
    const urls = system.backends.map((b) => b.url);
    const pids = system.backends.map((b) => b.child().pid);
    const first = Math.ceil(Date.now() / 86_400_000) * 86_400_000 + 2 * 86_400_000;
    const watch = watchReadiness(urls, 100);

    // A steady booking load: each client books the next free half hour of its tenant, retrying
    // (same key) through the outages.
    const ledger: Ledgered[] = [];
    let running = true;
    let next = 0;
    const load = Promise.all(
      Array.from({ length: size.concurrency }, async () => {
        while (running) {
          const i = next++;
          const tenant = tenants[i % tenants.length]!;
          const start = first + Math.floor(i / tenants.length) * HALF_HOUR;
          const request = {
            start: new Date(start).toISOString(),
            end: new Date(start + HALF_HOUR).toISOString(),
            key: `restart-${i}`,
          };
          // A booking whose hold committed just before Postgres went away is finished by saga
          // recovery once its lease (30 s) is out, at the next recovery round (every 60 s): until
          // then its key answers "in progress" (409, Retry-After), so the client asks for longer.
          ledger.push(await bookUntilAnswered(urls, tenant, request, Date.now() + 150_000));
        }
      }),
    );
    const allReady = async () => (await Promise.all(urls.map(readiness))).every((r) => r.ready);
    const restart = async (server: DedicatedServer, name: string) => {
      await sleep(size.loadBeforeMs);
      await server.stop();
      let last: unknown[] = [];
      await eventually(
        async () => {
          const states = await Promise.all(urls.map(readiness));
          last = states;
          return states.every((r) => r.failing.includes(name));
        },
        30_000,
        () => `both backends report ${name} failing; last: ${JSON.stringify(last)}\n${system.tails(15)}`,
        100,
      );
      await sleep(size.downMs);
      await server.start();
      await eventually(allReady, 60_000, `both backends ready again after ${name} came back`, 250);
    };

    await restart(redis, 'redis');
    // Redis holds the calendar breaker's shared state and Cal.com's rate limit: its outage must not
    // look like Cal.com's. Calendar calls went on (the limiter let them through uncounted, the
    // breaker kept its local state), so none failed, and no breaker opened for it.
    for (const url of urls) {
      const failed = await calendarCallErrors(url);
      expect(
        failed && Object.fromEntries(failed),
        `${url}: calendar calls failed during the Redis outage`,
      ).toEqual({});
    }
    await restart(postgres, 'postgres');
    await sleep(size.loadBeforeMs);
    running = false;
    await load;
    const seen = await watch.stop();

    // The same processes recovered by themselves.
    expect(
      system.backends.map((b) => b.alive()),
      system.tails(),
    ).toEqual([true, true]);
    expect(system.backends.map((b) => b.child().pid)).toEqual(pids);
    for (const url of urls) {
      const samples = seen.get(url)!;
      expect(
        samples.some((s) => s.failing.includes('redis')),
        `${url} saw redis down`,
      ).toBe(true);
      expect(
        samples.some((s) => s.failing.includes('postgres')),
        `${url} saw postgres down`,
      ).toBe(true);
      expect(samples.at(-1)!.ready).toBe(true);
    }

    // Every answer is a booking, or a refusal the client got after retrying (503).
    const statuses = ledger.map((entry) => entry.answer.status);
    const unexpected = ledger
      .filter((entry) => ![201, 202, 503].includes(entry.answer.status))
      .map(
        (e) =>
          `${e.request.key} after ${e.attempts} attempts: ${e.answer.status} ${e.answer.text.slice(0, 300)}`,
      );
    expect(unexpected, `${unexpected.join('\n')}\n${system.tails()}`).toEqual([]);
    const acked = ledger.filter(acknowledged);
    expect(acked.length).toBeGreaterThan(0);

    // Nothing acknowledged is lost: each is active in Postgres with its booking in Cal.com.
    await eventually(
      async () => {
        const rows = await activeAppointments(system.db);
        const ids = new Set(acked.map((entry) => appointmentIdOf(entry.answer)));
        return rows.filter((r) => ids.has(r.id)).every((r) => r.calendar_booking_uid !== null);
      },
      60_000,
      'every acknowledged booking synced to the calendar',
      1_000,
    );
    const rows = await activeAppointments(system.db);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const accepted = (await system.calcom.bookings()).filter((b) => b.status === 'accepted');
    const acceptedUids = new Set(accepted.map((b) => b.uid));
    for (const entry of acked) {
      const row = byId.get(appointmentIdOf(entry.answer));
      expect(row, `acknowledged ${entry.request.key} is in Postgres`).toBeDefined();
      expect(acceptedUids.has(row!.calendar_booking_uid!), `${entry.request.key} is in Cal.com`).toBe(true);
    }
    // Nothing twice: one Cal.com booking per host and start, one appointment per Cal.com booking.
    const slots = accepted.map((b) => `${b.host.username}@${b.start}`);
    expect(new Set(slots).size).toBe(slots.length);
    const uids = rows.map((r) => r.calendar_booking_uid).filter((u) => u !== null);
    expect(new Set(uids).size).toBe(uids.length);

    const notReady = [...seen.values()].flat().filter((s) => !s.ready).length;
    console.info(
      `scenario 5 (${reliabilitySize().name}): ${ledger.length} requests, ${acked.length} acknowledged, ` +
        `${statuses.filter((s) => s === 503).length} refused (503) after retries; ${notReady} not-ready samples`,
    );
  });
});
