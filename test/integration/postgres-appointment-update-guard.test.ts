import { expect, it } from 'vitest';
import { createPostgresAppointmentRepository } from '../../src/adapters/postgres/postgres-appointment-repository.js';
import type { SqlClient } from '../../src/adapters/postgres/index.js';
import { isSlotConflictError } from '../../src/index.js';
import { anAppointment } from '../../src/testing/fixtures.js';
import { describeOnDatabases } from './postgres-test-database.js';

// An appointment update checks the double-booking rule in its own statement, under an advisory
// lock on the resource (so that concurrent moves into one slot do not deadlock). An update that
// keeps an active appointment's resource and times (a confirmation, a sync state, a new calendar
// uid) cannot break the rule: it needs neither the lock nor the overlap check, which a confirmation
// of every book used to pay. Seen here as the advisory locks the transaction holds after the update.

const at = (time: string) => `2030-05-06T${time}:00.000Z`;

/** The advisory locks the transaction of `tx` holds. */
async function advisoryLocks(tx: SqlClient): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    "SELECT count(*)::integer AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
  );
  return rows[0]!.n;
}

describeOnDatabases('Postgres appointment updates and the double-booking guard', (database) => {
  const repository = (sql: SqlClient) =>
    createPostgresAppointmentRepository({ sql, schema: database().schema });

  it('takes no advisory lock for an update that keeps an active appointment in its slot', async () => {
    const held = anAppointment({ status: 'pending', start: at('09:00'), end: at('09:30') });
    await repository(database().sql).insert(held);
    const locks = await database().sql.transaction(async (tx) => {
      await repository(tx).update({ ...held, status: 'confirmed', version: 2 }, 1);
      return advisoryLocks(tx);
    });
    expect(locks).toBe(0);
    expect(await repository(database().sql).get(held.tenantId, held.id)).toMatchObject({
      status: 'confirmed',
      version: 2,
    });
  });

  it('still takes the lock and checks the rule for a move, and refuses a move onto another appointment', async () => {
    const first = anAppointment({ start: at('11:00'), end: at('11:30') });
    const second = anAppointment({ start: at('12:00'), end: at('12:30') });
    await repository(database().sql).insert(first);
    await repository(database().sql).insert(second);
    const locks = await database().sql.transaction(async (tx) => {
      await repository(tx).update({ ...second, start: at('12:30'), end: at('13:00'), version: 2 }, 1);
      return advisoryLocks(tx);
    });
    expect(locks).toBe(1);
    const refused = await repository(database().sql)
      .update({ ...second, start: at('11:15'), end: at('11:45'), version: 3 }, 2)
      .catch((error: unknown) => error);
    expect(isSlotConflictError(refused)).toBe(true);
  });

  it('checks the rule for an appointment made active again', async () => {
    const cancelled = anAppointment({ status: 'cancelled', start: at('14:00'), end: at('14:30') });
    const taken = anAppointment({ start: at('14:00'), end: at('14:30') });
    await repository(database().sql).insert(cancelled);
    await repository(database().sql).insert(taken);
    const refused = await repository(database().sql)
      .update({ ...cancelled, status: 'confirmed', version: 2 }, 1)
      .catch((error: unknown) => error);
    expect(isSlotConflictError(refused)).toBe(true);
  });
});
