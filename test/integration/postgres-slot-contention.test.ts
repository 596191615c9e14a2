import { describe, expect, it } from 'vitest';
import { createPostgresAppointmentRepository } from '../../src/adapters/postgres/postgres-appointment-repository.js';
import { createPostgresStores } from '../../src/adapters/postgres/postgres-stores.js';
import type { SqlClient } from '../../src/adapters/postgres/index.js';
import { isSlotConflictError } from '../../src/index.js';
import { anAppointment } from '../../src/testing/fixtures.js';
import { describeOnDatabases } from './postgres-test-database.js';

// Concurrent writes into one slot of one resource must not deadlock. Without a lock taken before
// the write, each write's exclusion check waits for another's uncommitted row; Postgres finds the
// cycle only after `deadlock_timeout` (1 s by default) and aborts one of them, so a burst of
// bookings for one popular slot stalled for seconds. Counted here as the deadlock errors
// (SQLSTATE 40P01) the server returned, not by time.

/** Bursts of concurrent moves. */
const BURSTS = 25;

const at = (time: string) => `2030-05-06T${time}:00.000Z`;

/** `sql` counting the statements that failed with a deadlock, also inside transactions. */
function countingDeadlocks(sql: SqlClient, seen: { deadlocks: number }): SqlClient {
  return {
    async query(text, params) {
      try {
        return await sql.query(text, params);
      } catch (error) {
        if ((error as { code?: unknown }).code === '40P01') seen.deadlocks += 1;
        throw error;
      }
    },
    transaction: (fn) => sql.transaction((tx) => fn(countingDeadlocks(tx, seen))),
  };
}

async function settle<T>(writes: Promise<T>[]) {
  const results = await Promise.allSettled(writes);
  const fulfilled = results.filter((r) => r.status === 'fulfilled').length;
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  return { fulfilled, errors };
}

describeOnDatabases(
  'Postgres appointments under contention for one slot',
  (database, kind) => {
    // PGlite has one connection: its writes never run concurrently.
    const concurrent = kind === 'server' ? describe : describe.skip;

    concurrent('concurrent writes into one slot', () => {
      it('inserts: one succeeds, the others get SlotConflictError, and none deadlocks', async () => {
        const seen = { deadlocks: 0 };
        const sql = countingDeadlocks(database().openClient(), seen);
        const repo = createPostgresAppointmentRepository({ sql, schema: database().schema });
        const { fulfilled, errors } = await settle(
          Array.from({ length: 20 }, (_, i) =>
            repo.insert(anAppointment({ start: at(`09:${String(i).padStart(2, '0')}`), end: at('10:30') })),
          ),
        );
        expect(fulfilled).toBe(1);
        expect(errors.every(isSlotConflictError)).toBe(true);
        expect(seen.deadlocks).toBe(0);
      });

      // The cycle forms only when the writes interleave just so (about one burst in twenty here):
      // many bursts, so that a missing lock shows.
      it(
        'updates moving different appointments into one free slot: one succeeds, none deadlocks',
        { timeout: 180_000 },
        async () => {
          const seen = { deadlocks: 0 };
          const sql = countingDeadlocks(database().openClient(), seen);
          const repo = createPostgresAppointmentRepository({ sql, schema: database().schema });
          for (let burst = 0; burst < BURSTS; burst += 1) {
            const appointments = Array.from({ length: 10 }, (_, i) =>
              anAppointment({ start: at(`${10 + i}:00`), end: at(`${10 + i}:30`) }),
            );
            await Promise.all(appointments.map((appointment) => repo.insert(appointment)));
            const { fulfilled, errors } = await settle(
              appointments.map((a) =>
                repo.update({ ...a, start: at('09:00'), end: at('09:30'), version: 2 }, 1),
              ),
            );
            expect(fulfilled).toBe(1);
            expect(errors.every(isSlotConflictError)).toBe(true);
            expect(seen.deadlocks).toBe(0);
            await database().truncate();
          }
        },
      );

      it('units of work inserting into one slot: one commits, none deadlocks', async () => {
        const seen = { deadlocks: 0 };
        const sql = countingDeadlocks(database().openClient(), seen);
        const stores = createPostgresStores({ sql, schema: database().schema });
        const { fulfilled, errors } = await settle(
          Array.from({ length: 10 }, (_, i) =>
            stores.unitOfWork.run((tx) =>
              tx.appointments.insert(
                anAppointment({ start: at(`09:${String(i * 3).padStart(2, '0')}`), end: at('10:30') }),
              ),
            ),
          ),
        );
        expect(fulfilled).toBe(1);
        expect(errors.every(isSlotConflictError)).toBe(true);
        expect(seen.deadlocks).toBe(0);
      });
    });
  },
  { poolSize: 12 },
);
