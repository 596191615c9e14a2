import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendProcess } from '../support/processes/backend-process.js';
import { startSystem, type TestSystem } from '../support/processes/system.js';
import type { TestTenant } from '../support/processes/tenants.js';
import { book, send, sleep, slots, type Answer } from './support/api.js';
import { reliabilitySize } from './support/size.js';

// Scenario 3: a backend process SIGKILLed in the middle of bookings (Cal.com answering slowly, so
// that bookings are caught between the database and Cal.com), restarted; once the relay and the
// saga recovery have run, every appointment is confirmed and in Cal.com, or released, and a
// reconciliation finds no drift. Tenant t1 fails bookings when Cal.com is unavailable, t2 queues.

const size = reliabilitySize();
/** The saga coordinator's default lease, which the example keeps. */
const SAGA_LEASE_MS = 30_000;
let system: TestSystem;

beforeAll(async () => {
  system = await startSystem({
    backends: 2,
    tenants: { count: 2, policy: ['fail', 'queue'] },
    // Reconciliation compares even what changed a moment ago; the running instances look for
    // sagas whose lease ran out every 2 s (the example's default is a minute).
    backendEnv: { RECONCILE_GRACE_MS: '0', RECOVERY_INTERVAL_MS: '2000' },
  });
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

interface AppointmentRow {
  id: string;
  tenant_id: string;
  status: string;
  sync: { status: string };
  calendar_booking_uid: string | null;
  start_at: Date;
}

const appointments = () =>
  system.db.query<AppointmentRow>(
    'SELECT id, tenant_id, status, sync, calendar_booking_uid, start_at FROM bookingkit_appointments ORDER BY start_at',
  );

/** Whether an appointment has come to rest: confirmed and synced, or released (cancelled). */
const atRest = (row: AppointmentRow) =>
  (row.status === 'confirmed' && row.sync.status === 'synced' && row.calendar_booking_uid !== null) ||
  row.status === 'cancelled';

/** Polls until every appointment is at rest (the relay and the recovery have run), up to `ms`. */
async function settled(ms: number): Promise<AppointmentRow[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const rows = await appointments();
    if (rows.every(atRest)) return rows;
    if (Date.now() > deadline) {
      const restless = rows
        .filter((r) => !atRest(r))
        .map((r) => `${r.id} ${r.status} ${JSON.stringify(r.sync)}`);
      throw new Error(`appointments not at rest after ${ms} ms:\n${restless.join('\n')}\n${system.tails()}`);
    }
    await sleep(500);
  }
}

/** Sends `count` bookings (alternating tenants) to `victim`, SIGKILLs it once the first answer is in. */
async function bookAndKill(victim: BackendProcess, round: number, count: number): Promise<Answer[]> {
  const [t1, t2] = system.tenants.tenants as [TestTenant, TestTenant];
  const wanted = slots(count, 30, 20 + round);
  let killed: Promise<void> | undefined;
  const answers = await Promise.all(
    wanted.map(async (slot, i) => {
      const answer = await book(victim.url, i % 2 === 0 ? t1 : t2, { ...slot, key: `kill-${round}-${i}` });
      killed ??= victim.kill();
      return answer;
    }),
  );
  await killed;
  return answers;
}

describe(`scenario 3: ${size.kills.rounds} backends SIGKILLed amid ${size.kills.bookings} bookings each`, () => {
  it('leaves every appointment confirmed and in Cal.com, or released; reconciliation finds no drift', async () => {
    // Cal.com answers slowly: the kill finds bookings waiting on it.
    await system.calcom.faults.setLatency(200);
    const statuses = new Map<number, number>();
    // Each killed backend restarts while the next round kills the other one.
    const restarting = new Map<BackendProcess, Promise<void>>();
    for (let round = 0; round < size.kills.rounds; round += 1) {
      const victim = system.backends[round % system.backends.length]!;
      await restarting.get(victim);
      const answers = await bookAndKill(victim, round, size.kills.bookings);
      for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      // Answers that came back are clean: booked (201, 202 when queued), a conflict, or a 503.
      expect(answers.filter((a) => ![0, 201, 202, 409, 503].includes(a.status)).map((a) => a.text)).toEqual(
        [],
      );
      restarting.set(victim, victim.restart());
    }
    await Promise.all(restarting.values());
    await system.calcom.faults.clear();

    // A saga's lease (30 s) outlives a quick restart: the restarted process's recovery at start
    // leaves the sagas the killed process still held. The running instances' periodic recovery
    // takes them over once their leases have run out, with no further restart.
    const rows = await settled(SAGA_LEASE_MS + 120_000);
    expect(rows.length).toBeGreaterThan(0);

    // Postgres and Cal.com agree: each confirmed appointment's booking is accepted in Cal.com at
    // its time, and Cal.com holds no other accepted booking (none left behind by a kill).
    const bookings = await system.calcom.bookings();
    const accepted = new Map(bookings.filter((b) => b.status === 'accepted').map((b) => [b.uid, b]));
    const confirmed = rows.filter((r) => r.status === 'confirmed');
    for (const row of confirmed) {
      const booking = accepted.get(row.calendar_booking_uid!);
      expect(booking, `appointment ${row.id}`).toBeDefined();
      expect(new Date(booking!.start).toISOString()).toBe(row.start_at.toISOString());
    }
    expect([...accepted.keys()].sort()).toEqual(confirmed.map((r) => r.calendar_booking_uid).sort());

    // A reconciliation (dry run) over the whole period finds nothing to do for either tenant.
    const from = new Date(Date.now()).toISOString();
    const to = new Date(Date.now() + (30 + size.kills.rounds) * 86_400_000).toISOString();
    for (const tenant of system.tenants.tenants) {
      const answer = await send(`${system.backends[0]!.url}/admin/reconcile`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ from, to, dryRun: true }),
      });
      expect(answer.status, answer.text).toBe(200);
      const { plan } = answer.body as {
        plan: {
          items: unknown[];
          listed: { local: number; remote: number };
          counts: { skipped: Record<string, number> };
        };
      };
      expect(plan.items).toEqual([]);
      expect(Object.values(plan.counts.skipped).reduce((x, y) => x + y, 0)).toBe(0);
      expect(plan.listed.local).toBeGreaterThanOrEqual(
        confirmed.filter((r) => r.tenant_id === tenant.id).length,
      );
    }

    console.info(
      `scenario 3 (${size.name}): ${rows.length} appointments (${confirmed.length} confirmed, ${rows.length - confirmed.length} released); answers before the kills by status: ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
  });
});
