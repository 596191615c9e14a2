import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, quoteSchema } from '../../src/adapters/postgres/migrate.js';
import { pgClient } from '../../src/adapters/postgres/pg-client.js';
import { createPostgresStores } from '../../src/adapters/postgres/postgres-stores.js';
import type { SqlClient } from '../../src/adapters/postgres/sql-client.js';
import { createSagaCoordinator } from '../../src/saga/coordinator.js';
import { createFakeClock } from '../../src/testing/fake-clock.js';
import { runAndKillAt, type KilledWorker } from '../support/kill-at.js';
import { databaseUrl, uniqueName } from '../support/servers.js';
import { createRemoteTable, localCrashSaga } from './fixtures/local-crash-saga.js';

const WORKER = fileURLToPath(new URL('./fixtures/local-crash-worker.ts', import.meta.url));

/**
 * Where each worker is killed, and how often the remote step `two` has run once the saga is done:
 * it runs again only when the kill came after its effect and before the next local step's
 * transaction, which carries its completion, committed.
 */
const SCENARIOS = [
  { point: 'one:effect', remoteRuns: 1 }, // inside the first transaction: nothing was written
  { point: 'one:completed', remoteRuns: 1 },
  { point: 'two:effect', remoteRuns: 2 },
  { point: 'three:effect', remoteRuns: 2 }, // inside the last transaction: rolled back
  { point: 'three:completed', remoteRuns: 1 },
].map((s) => ({ ...s, sagaId: `local-${s.point}` }));

function runAndKill(schema: string, sagaId: string, point: string): Promise<KilledWorker> {
  return runAndKillAt(WORKER, { SAGA_SCHEMA: schema, SAGA_ID: sagaId }, point, sagaId);
}

describe.skipIf(!databaseUrl)(
  'local saga steps after SIGKILL (needs DATABASE_URL: PGlite cannot be shared across processes)',
  () => {
    const schema = uniqueName('bkpg_local_crash').toLowerCase();
    const q = quoteSchema(schema);
    let pool: pg.Pool;
    let sql: SqlClient;

    beforeAll(async () => {
      pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
      sql = pgClient(pool);
      await migrate(sql, { schema });
      await createRemoteTable(sql, q);
    });

    afterAll(async () => {
      await sql.query(`DROP SCHEMA IF EXISTS ${q} CASCADE`);
      await pool.end();
    });

    it('applies each local step exactly once, whether the kill came inside its transaction or after it', async () => {
      const killed = await Promise.all(SCENARIOS.map((s) => runAndKill(schema, s.sagaId, s.point)));
      for (const [i, result] of killed.entries()) {
        expect(result.signal, `${SCENARIOS[i]!.sagaId}: ${result.stderr}`).toBe('SIGKILL');
        expect(result.lines.at(-1)).toBe(`at:${SCENARIOS[i]!.point}`);
      }
      const stores = createPostgresStores({ sql, schema });
      // Killed inside the first transaction: the saga was never created.
      expect(await stores.sagas.get('local-one:effect')).toBeUndefined();

      // A new process: its clock is past every lease the dead workers held.
      const coordinator = createSagaCoordinator({
        store: stores.sagas,
        transactions: stores.unitOfWork,
        sagas: [localCrashSaga(sql, q, () => undefined)],
        clock: createFakeClock(Date.now() + 3_600_000),
        owner: 'recoverer',
      });
      const report = await coordinator.recover();
      expect(report).toMatchObject({ claimed: 3, completed: 3, failed: 0, interrupted: 0 });
      // The caller of the saga that never started starts it again.
      const saga = localCrashSaga(sql, q, () => undefined);
      const again = createSagaCoordinator({
        store: stores.sagas,
        transactions: stores.unitOfWork,
        sagas: [saga],
      });
      await again.start(saga, {}, { sagaId: 'local-one:effect' });

      const applied = (
        await sql.query<{ saga_id: string; event_type: string; n: string }>(
          `SELECT ordering_key AS saga_id, event_type, count(*) AS n FROM ${q}.bookingkit_outbox GROUP BY 1, 2`,
        )
      ).rows;
      const remote = (
        await sql.query<{ saga_id: string; n: string }>(
          `SELECT saga_id, count(*) AS n FROM ${q}.local_crash_remote GROUP BY 1`,
        )
      ).rows;
      for (const { sagaId, remoteRuns } of SCENARIOS) {
        expect((await stores.sagas.get(sagaId))?.state, sagaId).toBe('completed');
        for (const step of ['one', 'three']) {
          const row = applied.find((r) => r.saga_id === sagaId && r.event_type === `local.${step}`);
          expect(Number(row?.n ?? 0), `${sagaId} ${step}`).toBe(1);
        }
        expect(Number(remote.find((r) => r.saga_id === sagaId)?.n ?? 0), sagaId).toBe(remoteRuns);
      }
    }, 120_000);
  },
);
