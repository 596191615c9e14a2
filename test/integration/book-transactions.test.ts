import { expect, it } from 'vitest';
import { createPostgresIdempotencyStore } from '../../src/adapters/postgres/postgres-idempotency-store.js';
import { createPostgresSagaStore } from '../../src/adapters/postgres/postgres-saga-store.js';
import { createPostgresStores } from '../../src/adapters/postgres/postgres-stores.js';
import type { SqlClient } from '../../src/adapters/postgres/sql-client.js';
import { createBookingKit } from '../../src/kit/booking-kit.js';
import { createFakeClock } from '../../src/testing/fake-clock.js';
import { describeOnDatabases } from './postgres-test-database.js';

/** What a client was asked to do: transactions (with their statements) and statements on their own. */
function recording(sql: SqlClient) {
  const units: string[][] = [];
  const outside: string[] = [];
  const wrap = (target: SqlClient, into: string[]): SqlClient => ({
    query: (text, params) => {
      into.push(text);
      return target.query(text, params);
    },
    transaction: (fn) =>
      target.transaction((tx) => {
        const statements: string[] = [];
        units.push(statements);
        return fn(wrap(tx, statements));
      }),
  });
  return { client: wrap(sql, outside), units, outside };
}

const weekday = [{ start: '09:00', end: '17:00' }];
const command = (n: number) => ({
  tenantId: 'acme',
  origin: 'voice' as const,
  actor: { type: 'agent' as const, id: 'agent_1' },
  idempotencyKey: `call_${n}:book`,
  eventTypeId: 'consult',
  start: `2026-01-06T${String(9 + n).padStart(2, '0')}:00:00.000Z`,
  end: `2026-01-06T${String(9 + n).padStart(2, '0')}:30:00.000Z`,
  timeZone: 'Europe/Berlin',
  customer: { name: 'Ana', phone: `+49301234567${n}` },
});

function kitOn(client: SqlClient, schema: string, layout: 'joined' | 'separate') {
  const clock = createFakeClock('2026-01-05T08:00:00.000Z');
  const stores = createPostgresStores({ sql: client, schema, clock });
  return createBookingKit({
    clock,
    stores,
    ...(layout === 'separate'
      ? {
          sagas: createPostgresSagaStore({ sql: client, schema }),
          idempotency: createPostgresIdempotencyStore({ sql: client, schema }),
        }
      : {}),
    tenants: [{ id: 'acme' }],
    eventTypes: [
      {
        tenantId: 'acme',
        id: 'consult',
        durationMinutes: 30,
        timeZone: 'Europe/Berlin',
        weeklyHours: { monday: weekday, tuesday: weekday },
      },
    ],
  });
}

const writes = (statements: readonly string[]) =>
  statements.filter((text) => /^\s*(INSERT|UPDATE|DELETE)/i.test(text));

/** The tables each transaction wrote to, in order. */
const tablesOf = (units: readonly (readonly string[])[]) =>
  units.map((statements) =>
    writes(statements).map((text) => /(INSERT INTO|UPDATE)\s+\S*\.(\w+)/i.exec(text)?.[2]),
  );

describeOnDatabases('the transactions of a book on Postgres', (database) => {
  it("commits twice with the saga log and idempotency store in the stores' transactions, with no savepoint", async () => {
    const { sql, schema } = database();
    const recorder = recording(sql);
    const kit = kitOn(recorder.client, schema, 'joined');
    await kit.service.book(command(0)); // warms the event-type cache
    recorder.units.length = 0;
    recorder.outside.length = 0;

    const result = await kit.service.book(command(1));
    expect(result.appointment.status).toBe('confirmed');
    // (1) claim, customer, hold and the saga's creation (and the outbox rows of queued listeners
    // of its events, if any); (2) the confirmation, its outbox rows, the saga's completion and
    // the idempotency answer.
    expect(recorder.units).toHaveLength(2);
    expect(writes(recorder.outside)).toEqual([]);
    const tables = recorder.units.map((statements) =>
      writes(statements).map((text) => /(INSERT INTO|UPDATE)\s+\S*\.(\w+)/i.exec(text)?.[2]),
    );
    expect(tables[0]).toEqual(
      expect.arrayContaining([
        'bookingkit_idempotency',
        'bookingkit_customers',
        'bookingkit_appointments',
        'bookingkit_sagas',
      ]),
    );
    expect(tables[1]).toEqual(
      expect.arrayContaining([
        'bookingkit_appointments',
        'bookingkit_outbox',
        'bookingkit_sagas',
        'bookingkit_idempotency',
      ]),
    );
    expect(recorder.units.flat().filter((text) => /SAVEPOINT/i.test(text))).toEqual([]);

    const replay = await kit.service.book(command(1));
    expect(replay).toMatchObject({ replayed: true, appointment: result.appointment });
    await kit.close();
  });

  it('writes the claim, the saga log and the answer on their own with stores passed separately', async () => {
    const { sql, schema } = database();
    const recorder = recording(sql);
    const kit = kitOn(recorder.client, schema, 'separate');
    await kit.service.book(command(2));
    recorder.units.length = 0;
    recorder.outside.length = 0;
    await kit.service.book(command(3));
    // The hold and the confirmation are still one transaction each (with their outbox rows); the
    // claim, the saga's writes and the answer commit outside them.
    expect(recorder.units).toHaveLength(2);
    const outsideTables = writes(recorder.outside).map(
      (text) => /(INSERT INTO|UPDATE)\s+\S*\.(\w+)/i.exec(text)?.[2],
    );
    expect(outsideTables).toEqual(expect.arrayContaining(['bookingkit_idempotency', 'bookingkit_sagas']));
    await kit.close();
  });

  it('reschedules in two transactions that carry the idempotency claim and answer, with no read-back', async () => {
    const { sql, schema } = database();
    const recorder = recording(sql);
    const kit = kitOn(recorder.client, schema, 'joined');
    const booked = await kit.service.book(command(4));
    recorder.units.length = 0;
    recorder.outside.length = 0;

    const moved = await kit.service.reschedule({
      tenantId: 'acme',
      origin: 'voice',
      actor: { type: 'agent', id: 'agent_1' },
      idempotencyKey: 'call_4:move',
      target: { appointmentId: booked.appointment.id },
      start: '2026-01-06T15:00:00.000Z',
      end: '2026-01-06T15:30:00.000Z',
    });
    expect(moved.appointment).toMatchObject({ start: '2026-01-06T15:00:00.000Z', status: 'confirmed' });
    expect(recorder.units).toHaveLength(2);
    expect(writes(recorder.outside)).toEqual([]);
    const tables = tablesOf(recorder.units);
    expect(tables[0]).toEqual(
      expect.arrayContaining(['bookingkit_idempotency', 'bookingkit_appointments', 'bookingkit_sagas']),
    );
    expect(tables[1]).toEqual(
      expect.arrayContaining(['bookingkit_appointments', 'bookingkit_sagas', 'bookingkit_idempotency']),
    );
    // The appointment is read once, before the saga starts, and in each step's transaction: not
    // again to answer.
    const lastReads = recorder.outside.filter(
      (text) => /^\s*SELECT/i.test(text) && /appointments/.test(text),
    );
    expect(lastReads).toHaveLength(1);
    expect(
      await kit.service.reschedule({
        tenantId: 'acme',
        origin: 'voice',
        actor: { type: 'agent', id: 'agent_1' },
        idempotencyKey: 'call_4:move',
        target: { appointmentId: booked.appointment.id },
        start: '2026-01-06T15:00:00.000Z',
        end: '2026-01-06T15:30:00.000Z',
      }),
    ).toMatchObject({ replayed: true, appointment: moved.appointment });
    await kit.close();
  });

  it('cancels with the claim in the transaction that creates the saga and the answer in the last', async () => {
    const { sql, schema } = database();
    const recorder = recording(sql);
    const kit = kitOn(recorder.client, schema, 'joined');
    const booked = await kit.service.book(command(5));
    recorder.units.length = 0;
    recorder.outside.length = 0;
    const cancel = {
      tenantId: 'acme',
      origin: 'voice' as const,
      actor: { type: 'agent' as const, id: 'agent_1' },
      idempotencyKey: 'call_5:cancel',
      target: { appointmentId: booked.appointment.id },
    };
    const cancelled = await kit.service.cancel(cancel);
    expect(cancelled.appointment.status).toBe('cancelled');
    expect(recorder.units).toHaveLength(2);
    expect(writes(recorder.outside)).toEqual([]);
    const tables = tablesOf(recorder.units);
    expect(tables[0]).toEqual(['bookingkit_idempotency', 'bookingkit_sagas']);
    expect(tables[1]).toEqual(
      expect.arrayContaining(['bookingkit_appointments', 'bookingkit_sagas', 'bookingkit_idempotency']),
    );
    expect(await kit.service.cancel(cancel)).toMatchObject({
      replayed: true,
      appointment: cancelled.appointment,
    });

    // Cancelling what is cancelled already runs no saga, but the key is still claimed and answered.
    recorder.units.length = 0;
    recorder.outside.length = 0;
    const again = await kit.service.cancel({ ...cancel, idempotencyKey: 'call_5:cancel-again' });
    expect(again).toMatchObject({ replayed: false, calendar: 'not_needed' });
    expect(tablesOf(recorder.units)).toEqual([['bookingkit_idempotency', 'bookingkit_idempotency']]);
    await expect(
      kit.service.cancel({ ...cancel, idempotencyKey: 'call_5:cancel-again', reason: 'other body' }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_MISMATCH' });
    await kit.close();
  });
});
