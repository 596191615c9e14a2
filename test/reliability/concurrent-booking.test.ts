import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type TestSystem } from '../support/processes/system.js';
import { book, retryAfterMs, sleep, slots, type Answer } from './support/api.js';
import { reliabilitySize } from './support/size.js';

// Scenario 1: many concurrent booking attempts for few slots, across two backend processes that
// share Postgres and one Cal.com: exactly one booking per slot, in Postgres and in Cal.com, and
// every other attempt a clean 409 with alternatives, or a 503 that a retry resolves.

const size = reliabilitySize();
let system: TestSystem;

beforeAll(async () => {
  system = await startSystem({ backends: 2, tenants: { count: 1 } });
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

interface Outcome {
  readonly slot: number;
  /** Every answer the attempt got, its retries included. */
  readonly answers: Answer[];
}

/** Books `slot` through `baseUrl`, retrying 503s (and dropped connections) with the same key. */
async function attempt(
  baseUrl: string,
  index: number,
  slot: { start: string; end: string },
): Promise<Answer[]> {
  const tenant = system.tenants.tenants[0]!;
  const answers: Answer[] = [];
  for (let tries = 0; tries < 30; tries += 1) {
    const answer = await book(baseUrl, tenant, { ...slot, key: `concurrent-${index}` });
    answers.push(answer);
    if (answer.status !== 503 && answer.status !== 0) return answers;
    await sleep(retryAfterMs(answer));
  }
  return answers;
}

describe(`scenario 1: ${size.booking.attempts} concurrent booking attempts for ${size.booking.slots} slots on two backends`, () => {
  it('books each slot exactly once; every other attempt is a 409 with alternatives, or a 503 a retry resolves', async () => {
    const wanted = slots(size.booking.slots);
    const [a, b] = system.backends;
    const outcomes: Outcome[] = await Promise.all(
      Array.from({ length: size.booking.attempts }, async (_, i) => {
        const slot = i % wanted.length;
        return { slot, answers: await attempt((i % 2 === 0 ? a! : b!).url, i, wanted[slot]!) };
      }),
    );

    const finals = outcomes.map((o) => o.answers.at(-1)!);
    const unexpected = outcomes.flatMap((o) =>
      o.answers
        .filter((x) => ![201, 409, 503].includes(x.status))
        .map((x) => `${x.status} ${x.text.slice(0, 300)}`),
    );
    expect(unexpected, system.tails()).toEqual([]);
    // Every 503 was resolved by a retry: the last answer of every attempt is 201 or 409.
    expect(finals.filter((x) => x.status !== 201 && x.status !== 409).map((x) => x.status)).toEqual([]);

    // Exactly one 201 per slot.
    const won = outcomes.filter((o) => o.answers.at(-1)!.status === 201);
    expect(won).toHaveLength(wanted.length);
    expect(new Set(won.map((o) => o.slot)).size).toBe(wanted.length);
    for (const o of won)
      expect(o.answers.at(-1)!.body).toMatchObject({
        appointment: { status: 'confirmed' },
        calendar: 'synced',
      });

    // Every 409 is a clean slot conflict with alternatives (the service is open round the clock:
    // there always are some), none of them the slot asked for.
    const conflicts = outcomes.filter((o) => o.answers.at(-1)!.status === 409);
    expect(conflicts).toHaveLength(size.booking.attempts - wanted.length);
    for (const o of conflicts) {
      const problem = o.answers.at(-1)!.body as {
        code?: string;
        detail?: string;
        alternatives?: { start: string }[];
      };
      expect(problem.code).toBe('SLOT_CONFLICT');
      expect(problem.detail).toEqual(expect.any(String));
      expect(problem.alternatives?.length).toBeGreaterThan(0);
      expect(problem.alternatives!.map((x) => x.start)).not.toContain(wanted[o.slot]!.start);
    }

    // Postgres: exactly one active appointment per slot, no two overlapping.
    const rows = await system.db.query<{ start_at: Date; end_at: Date; calendar_booking_uid: string | null }>(
      `SELECT start_at, end_at, calendar_booking_uid FROM bookingkit_appointments
        WHERE status IN ('pending', 'confirmed') ORDER BY start_at`,
    );
    expect(rows.map((r) => r.start_at.toISOString())).toEqual(
      wanted.map((s) => new Date(s.start).toISOString()),
    );
    const overlapping = await system.db.query(
      `SELECT x.id FROM bookingkit_appointments x JOIN bookingkit_appointments y
         ON x.tenant_id = y.tenant_id AND x.id < y.id
        AND tstzrange(x.start_at, x.end_at, '[)') && tstzrange(y.start_at, y.end_at, '[)')
      WHERE x.status IN ('pending', 'confirmed') AND y.status IN ('pending', 'confirmed')`,
    );
    expect(overlapping).toEqual([]);

    // Cal.com: exactly one accepted booking per slot, and they are the ones Postgres records.
    const accepted = (await system.calcom.bookings()).filter((x) => x.status === 'accepted');
    expect(accepted.map((x) => new Date(x.start).toISOString()).sort()).toEqual(
      wanted.map((s) => new Date(s.start).toISOString()),
    );
    expect(accepted.map((x) => x.uid).sort()).toEqual(rows.map((r) => r.calendar_booking_uid).sort());

    const retried = outcomes.filter((o) => o.answers.length > 1).length;
    console.info(
      `scenario 1 (${size.name}): ${won.length} booked, ${conflicts.length} conflicts, ${retried} attempts retried after 503`,
    );
  });
});
