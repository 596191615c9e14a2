import { expect, it } from 'vitest';
import { createPostgresStores } from '../../src/adapters/postgres/postgres-stores.js';
import { createCalcomWebhookHandler } from '../../src/calcom/ingestion/calcom-webhook-handler.js';
import { signCalcomBody } from '../../src/calcom/signature.js';
import { createBookingKit } from '../../src/kit/booking-kit.js';
import { createFakeClock } from '../../src/testing/fake-clock.js';
import { calcomBookingPayload } from '../support/calcom-payloads.js';
import { recordingSql } from '../support/recording-sql.js';
import { settleOnClock } from '../support/settle-on-clock.js';
import { describeOnDatabases } from './postgres-test-database.js';

// A Cal.com delivery over Postgres stores whose idempotency store lives with them (the Postgres
// layout): what each delivery commits. Every commit is a WAL flush on the path of the webhook.

const SECRET = 'whsec-acme';
const weekday = [{ start: '08:00', end: '18:00' }];

describeOnDatabases('Cal.com ingestion on Postgres stores: commits per delivery', (database, kind) => {
  async function setUp() {
    const { sql, schema } = database();
    // The suite empties the core tables after each test; the idempotency keys are this file's.
    await sql.query(`DELETE FROM "${schema}".bookingkit_idempotency`);
    const recorder = recordingSql(sql);
    const clock = createFakeClock('2026-01-05T08:00:00.000Z');
    const stores = createPostgresStores({ sql: recorder.client, schema, clock });
    const kit = createBookingKit({
      clock,
      stores,
      tenants: [{ id: 'acme' }],
      eventTypes: [
        {
          tenantId: 'acme',
          id: '44',
          durationMinutes: 30,
          timeZone: 'Europe/Berlin',
          weeklyHours: { monday: weekday, tuesday: weekday },
        },
      ],
    });
    const handler = createCalcomWebhookHandler({
      ...kit,
      clock,
      routes: () => ({ tenantId: 'acme', webhookSecret: SECRET }),
    });
    async function post(triggerEvent: string, payload: Record<string, unknown>) {
      const text = JSON.stringify({ triggerEvent, createdAt: '2026-01-05T08:00:00.000Z', payload });
      const response = await handler(
        new Request('https://hooks.example/webhooks/calcom/rk_acme_0001', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-cal-signature-256': signCalcomBody(text, SECRET),
          },
          body: text,
        }),
      );
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    }
    async function deliver(triggerEvent: string, payload: Record<string, unknown>) {
      const { status, json } = await post(triggerEvent, payload);
      if (status !== 200) throw new Error(`${status}: ${JSON.stringify(json)}`);
      return json;
    }
    const appointments = async () => (await kit.stores.appointments.list('acme', { limit: 100 })).items;
    const keys = async () =>
      (
        await sql.query<{ key: string; state: string }>(
          `SELECT key, state FROM "${schema}".bookingkit_idempotency WHERE tenant_id = 'acme' ORDER BY key`,
        )
      ).rows;
    /** Resolves `promise` while moving the fake clock (a duplicate waits for its twin on it). */
    const settle = <T>(promise: Promise<T>) => settleOnClock(clock, promise);
    return { kit, recorder, post, deliver, appointments, keys, sql, schema, settle };
  }

  it('a new booking is imported in ONE commit: the delivery claim, the uid hold, the import and both answers', async () => {
    const { recorder, deliver, appointments, keys } = await setUp();
    recorder.reset();
    expect(await deliver('BOOKING_CREATED', calcomBookingPayload())).toMatchObject({
      action: 'imported',
      replayed: false,
    });
    expect(recorder.commits()).toBe(1);
    expect(recorder.units).toHaveLength(1);
    expect(await appointments()).toHaveLength(1);
    // The delivery and the book command are answered; the uid's hold left no tombstone.
    const stored = await keys();
    expect(stored.map((row) => row.state)).toEqual(['completed', 'completed']);
    expect(stored.some((row) => row.key.includes(':tombstone:'))).toBe(false);
  });

  it('a resend replays the first answer and commits no new effect', async () => {
    const { recorder, deliver, appointments } = await setUp();
    const first = await deliver('BOOKING_CREATED', calcomBookingPayload());
    recorder.reset();
    expect(await deliver('BOOKING_CREATED', calcomBookingPayload())).toEqual({ ...first, replayed: true });
    expect(recorder.units).toHaveLength(0);
    expect(await appointments()).toHaveLength(1);
  });

  it('concurrent duplicates have one effect, and both are answered the same', async () => {
    const { deliver, appointments, settle } = await setUp();
    const answers = await settle(
      Promise.all([1, 2, 3].map(() => deliver('BOOKING_CREATED', calcomBookingPayload()))),
    );
    expect(await appointments()).toHaveLength(1);
    const ids = new Set(answers.map((answer) => answer.appointmentId));
    expect(ids.size).toBe(1);
    expect(answers.filter((answer) => answer.replayed === false)).toHaveLength(1);
  });

  it('a creation whose cancellation came first is skipped, and its answer is kept', async () => {
    const { deliver, appointments } = await setUp();
    expect(await deliver('BOOKING_CANCELLED', calcomBookingPayload({ status: 'CANCELLED' }))).toMatchObject({
      action: 'tombstoned',
    });
    expect(await deliver('BOOKING_CREATED', calcomBookingPayload())).toMatchObject({ action: 'skipped' });
    expect(await deliver('BOOKING_CREATED', calcomBookingPayload())).toMatchObject({
      action: 'skipped',
      replayed: true,
    });
    expect(await appointments()).toHaveLength(0);
  });

  it('a failed import leaves nothing behind, and the same delivery runs again once it can', async () => {
    const { post, appointments, keys, sql, schema } = await setUp();
    // The outbox refuses writes: the import's one transaction fails as a whole.
    await sql.query(
      `ALTER TABLE "${schema}".bookingkit_outbox ADD CONSTRAINT no_writes CHECK (false) NOT VALID`,
    );
    try {
      expect((await post('BOOKING_CREATED', calcomBookingPayload())).status).toBe(500);
      expect(await appointments()).toHaveLength(0);
      expect(await keys()).toEqual([]);
    } finally {
      await sql.query(`ALTER TABLE "${schema}".bookingkit_outbox DROP CONSTRAINT no_writes`);
    }
    const retried = await post('BOOKING_CREATED', calcomBookingPayload());
    expect(retried).toMatchObject({ status: 200, json: { action: 'imported', replayed: false } });
    expect(await appointments()).toHaveLength(1);
  });

  it('a cancellation arriving while the import is being recorded waits for it, then cancels it', async () => {
    const { recorder, deliver, appointments, sql } = await setUp();
    let cancelling: Promise<Record<string, unknown>> | undefined;
    let cancelled = false;
    let reached: () => void = () => undefined;
    const cancelReached = new Promise<void>((resolve) => {
      reached = resolve;
    });
    /** Whether a session of the server waits for a lock (the tombstone's write, on the import's hold). */
    const blocked = async () =>
      (
        await sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%bookingkit_idempotency%'`,
        )
      ).rows[0]?.n === 1;
    recorder.hooks.push(async (text, inTransaction, params) => {
      if (cancelling) {
        // PGlite has one connection: the cancellation's first statement waits for the import.
        if (kind === 'PGlite') reached();
        // On the server it runs on until it writes its tombstone, which the import's uncommitted
        // hold of the uid blocks (without the hold it would finish, finding no appointment).
        else if (!inTransaction && JSON.stringify(params).includes('calcom:tombstone:cal_A')) reached();
        return;
      }
      if (inTransaction && /INSERT INTO .*bookingkit_appointments/.test(text)) {
        cancelling = deliver('BOOKING_CANCELLED', calcomBookingPayload({ status: 'CANCELLED' }));
        void cancelling.finally(() => {
          cancelled = true;
        });
        await cancelReached;
        if (kind === 'server') {
          for (let round = 0; round < 1_000 && !cancelled && !(await blocked()); round += 1) {
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        }
      }
    });
    expect(await deliver('BOOKING_CREATED', calcomBookingPayload())).toMatchObject({ action: 'imported' });
    expect(await cancelling).toMatchObject({ action: 'cancelled' });
    expect((await appointments()).map((appointment) => appointment.status)).toEqual(['cancelled']);
  });

  it('a requested booking is imported pending in one commit, then confirmed by its BOOKING_CREATED', async () => {
    const { recorder, deliver, appointments } = await setUp();
    recorder.reset();
    expect(await deliver('BOOKING_REQUESTED', calcomBookingPayload({ status: 'PENDING' }))).toMatchObject({
      action: 'imported',
    });
    expect(recorder.commits()).toBe(1);
    expect(await deliver('BOOKING_CREATED', calcomBookingPayload())).toMatchObject({ action: 'confirmed' });
    expect((await appointments()).map((appointment) => appointment.status)).toEqual(['confirmed']);
  });

  it('a reschedule of a booking it does not know is imported in one commit, with where it came from', async () => {
    const { recorder, deliver, appointments } = await setUp();
    recorder.reset();
    expect(
      await deliver('BOOKING_RESCHEDULED', calcomBookingPayload({ uid: 'cal_B', rescheduleUid: 'cal_old' })),
    ).toMatchObject({ action: 'imported' });
    expect(recorder.commits()).toBe(1);
    const [appointment] = await appointments();
    expect(appointment?.metadata).toMatchObject({ calcomRescheduledFromUid: 'cal_old' });
  });
});
