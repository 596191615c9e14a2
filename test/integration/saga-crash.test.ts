import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, quoteSchema } from '../../src/adapters/postgres/migrate.js';
import { pgClient } from '../../src/adapters/postgres/pg-client.js';
import { createPostgresSagaStore } from '../../src/adapters/postgres/postgres-saga-store.js';
import type { SqlClient } from '../../src/adapters/postgres/sql-client.js';
import { createSagaCoordinator } from '../../src/saga/coordinator.js';
import { createFakeClock } from '../../src/testing/fake-clock.js';
import { runAndKillAt, type KilledWorker } from '../support/kill-at.js';
import { databaseUrl, uniqueName } from '../support/servers.js';
import { createSideTables, crashSaga } from './fixtures/saga-crash-saga.js';

const WORKER = fileURLToPath(new URL('./fixtures/saga-crash-worker.ts', import.meta.url));

/** Where each worker is killed: every step boundary and the middle of every step, both ways. */
const FORWARD = [
  'one:start',
  'one:effect',
  'one:completed',
  'two:start',
  'two:effect',
  'two:completed',
  'three:start',
  'three:effect',
  'three:completed',
];
const BACKWARD = [
  'three:start',
  'undo:two:start',
  'undo:two:effect',
  'undo:two:completed',
  'undo:one:start',
  'undo:one:effect',
  'undo:one:completed',
];
const SCENARIOS = [
  ...FORWARD.map((point) => ({ sagaId: `fwd-${point}`, point, fail: false })),
  ...BACKWARD.map((point) => ({ sagaId: `back-${point}`, point, fail: true })),
];

/** Runs the worker on one saga and SIGKILLs it as soon as it reports `point`. */
function runAndKill(schema: string, scenario: (typeof SCENARIOS)[number]): Promise<KilledWorker> {
  return runAndKillAt(
    WORKER,
    { SAGA_SCHEMA: schema, SAGA_ID: scenario.sagaId, SAGA_FAIL: scenario.fail ? '1' : '0' },
    scenario.point,
    scenario.sagaId,
  );
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function pooled<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

describe.skipIf(!databaseUrl)(
  'saga crash recovery (needs DATABASE_URL: PGlite cannot be shared across processes)',
  () => {
    const schema = uniqueName('bkpg_saga_crash').toLowerCase();
    const q = quoteSchema(schema);
    let pool: pg.Pool;
    let sql: SqlClient;

    beforeAll(async () => {
      pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
      sql = pgClient(pool);
      await migrate(sql, { schema });
      await createSideTables(sql, q);
    });

    afterAll(async () => {
      await sql.query(`DROP SCHEMA IF EXISTS ${q} CASCADE`);
      await pool.end();
    });

    it('recovers sagas killed at every step boundary and mid-step to completed or compensated, applying each effect once', async () => {
      const killed = await pooled(SCENARIOS, 4, (scenario) => runAndKill(schema, scenario));
      for (const [i, result] of killed.entries()) {
        expect(result.signal, `${SCENARIOS[i]!.sagaId}: ${result.stderr}`).toBe('SIGKILL');
        expect(result.lines.at(-1)).toBe(`at:${SCENARIOS[i]!.point}`);
      }

      const store = createPostgresSagaStore({ sql, schema });
      const before = new Map((await store.list({ limit: 100 })).map((r) => [r.id, r.state]));
      expect(before.size).toBe(SCENARIOS.length);
      const live = [...before.values()].filter(
        (state) => state === 'running' || state === 'compensating',
      ).length;
      expect(live).toBe(SCENARIOS.length - 2); // killed after the last write: three:completed and undo:one:completed

      // A new process: its clock is past every lease the dead workers held.
      const clock = createFakeClock(Date.now() + 3_600_000);
      const coordinator = createSagaCoordinator({
        store,
        sagas: [crashSaga(sql, q, () => undefined)],
        clock,
        owner: 'recoverer',
      });
      expect(await coordinator.recover()).toEqual({
        claimed: live,
        completed: 8,
        compensated: live - 8,
        failed: 0,
        compensationFailed: 0,
        interrupted: 0,
      });

      const states = new Map((await store.list({ limit: 100 })).map((r) => [r.id, r.state]));
      const totals = new Map(
        (
          await sql.query<{ saga_id: string; applied: number }>(
            `SELECT saga_id, applied FROM ${q}.crash_totals`,
          )
        ).rows.map((r) => [r.saga_id, r.applied]),
      );
      const effects = (
        await sql.query<{ saga_id: string; step: string }>(
          `SELECT saga_id, step FROM ${q}.crash_effects ORDER BY saga_id, step`,
        )
      ).rows;
      const runs = (
        await sql.query<{ saga_id: string; step: string; kind: string; n: string }>(
          `SELECT saga_id, step, kind, count(*) AS n FROM ${q}.crash_runs GROUP BY saga_id, step, kind`,
        )
      ).rows;
      const runCount = (sagaId: string, step: string, kind = 'run') =>
        Number(runs.find((r) => r.saga_id === sagaId && r.step === step && r.kind === kind)?.n ?? 0);

      for (const { sagaId, fail } of SCENARIOS) {
        expect(states.get(sagaId), sagaId).toBe(fail ? 'compensated' : 'completed');
        expect(totals.get(sagaId), sagaId).toBe(fail ? 0 : 3);
        expect(
          effects.filter((e) => e.saga_id === sagaId).map((e) => e.step),
          sagaId,
        ).toEqual(fail ? [] : ['one', 'three', 'two']);
      }
      // Killed after a step's effect but before its completion was logged: the step ran again
      // after recovery, and its keyed effect absorbed the second run.
      for (const step of ['one', 'two', 'three']) expect(runCount(`fwd-${step}:effect`, step), step).toBe(2);
      for (const step of ['one', 'two'])
        expect(runCount(`back-undo:${step}:effect`, step, 'undo'), step).toBe(2);
      // Killed after the completion was logged: the step never ran again.
      for (const step of ['one', 'two']) expect(runCount(`fwd-${step}:completed`, step), step).toBe(1);
      expect(runCount('back-undo:two:completed', 'two', 'undo')).toBe(1);
    }, 120_000);
  },
);
