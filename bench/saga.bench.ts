/**
 * Three-step sagas with no-op steps per second. On the memory store, against the three awaited
 * calls without a saga. On Postgres, against the hand-written durable equivalent with the same
 * commits, in the same run: one INSERT of the log row, then one UPDATE per step (four autocommitted
 * statements, each carrying the input and the steps as JSON, as the saga's row does); that is the
 * headline ratio. A raw single-row INSERT (one commit, so not the same work) is shown as a
 * reference for the server's floor. The statements a saga sends are counted and printed per saga,
 * beside the hand-written log's, to check the goal of one round trip per step transition. Uses
 * DATABASE_URL, defaulting to postgres://postgres@127.0.0.1:5432/test.
 */
import pg from 'pg';
import { measureGroup, type BenchCase } from './harness.js';
import { createMemorySagaStore } from '../src/adapters/memory/memory-saga-store.js';
import { migrate, quoteSchema } from '../src/adapters/postgres/migrate.js';
import { pgClient } from '../src/adapters/postgres/pg-client.js';
import { createPostgresSagaStore } from '../src/adapters/postgres/postgres-saga-store.js';
import type { SqlClient } from '../src/adapters/postgres/sql-client.js';
import type { SagaStore } from '../src/saga/saga-store.js';
import { createSagaCoordinator } from '../src/saga/coordinator.js';
import { defineSaga } from '../src/saga/define-saga.js';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const noop = async (): Promise<null> => null;
const STEPS = ['one', 'two', 'three'] as const;
const saga = defineSaga<{ n: number }>({ name: 'bench' })
  .step(STEPS[0], { run: noop })
  .step(STEPS[1], { run: noop })
  .step(STEPS[2], { run: noop });

function coordinatorOn(store: SagaStore) {
  return createSagaCoordinator({ store, sagas: [saga] });
}

async function memory(): Promise<BenchCase[]> {
  let coordinator = coordinatorOn(createMemorySagaStore());
  let started = 0;
  return measureGroup(
    'saga: 3 no-op steps, memory store',
    'three awaited calls (no saga)',
    [
      {
        name: 'three awaited calls (no saga)',
        async: true,
        op: async () => (await noop(), await noop(), await noop()),
      },
      {
        name: 'bookingkit saga (memory store)',
        async: true,
        op: async () => {
          // A fresh store now and then, so that the log does not grow through the run.
          if ((started += 1) % 10_000 === 0) coordinator = coordinatorOn(createMemorySagaStore());
          await coordinator.start(saga, { n: started });
        },
      },
    ],
    { batch: 200, time: 1_500 },
  );
}

/** Statements of the hand-written log per saga: one INSERT, one UPDATE per step. */
const HAND_WRITTEN_STATEMENTS = 1 + STEPS.length;

/** A client that counts the statements it sends (a transaction counts as its own statements + 2). */
function counting(sql: SqlClient): { client: SqlClient; count(): number } {
  let statements = 0;
  const wrap = (target: SqlClient): SqlClient => ({
    query: (text, params) => ((statements += 1), target.query(text, params)),
    transaction: (fn) => ((statements += 2), target.transaction((tx) => fn(wrap(tx)))),
  });
  return { count: () => statements, client: wrap(sql) };
}

/** The log row's JSON after `done` steps, shaped like the saga's (input and step states). */
function logBody(n: number, done: number): string {
  return JSON.stringify({
    input: { n },
    steps: STEPS.map((name, i) => ({ name, status: i < done ? 'completed' : 'pending', output: null })),
  });
}

async function postgres(): Promise<BenchCase[]> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const schema = `bench_saga_${process.pid}`;
  const sql = pgClient(pool);
  try {
    await migrate(sql, { schema });
    await pool.query(
      `CREATE TABLE ${quoteSchema(schema)}.bench_rows (id bigserial PRIMARY KEY, saga_id text NOT NULL, body json NOT NULL)`,
    );
    const rows = `${quoteSchema(schema)}.bench_rows`;
    const counter = counting(sql);
    const counted = coordinatorOn(createPostgresSagaStore({ sql: counter.client, schema }));
    const coordinator = coordinatorOn(createPostgresSagaStore({ sql, schema }));

    const before = counter.count();
    for (let i = 0; i < 100; i += 1) await counted.start(saga, { n: i });
    const perSaga = (counter.count() - before) / 100;
    console.log(
      `\nsaga: ${perSaga} statements (round trips) per three-step saga on Postgres; ` +
        `the hand-written log sends ${HAND_WRITTEN_STATEMENTS} (one INSERT, one UPDATE per step)` +
        (perSaga === HAND_WRITTEN_STATEMENTS
          ? ''
          : ': NOT the same number of commits, the ratio compares unlike work'),
    );

    let n = 0;
    const insert = () =>
      pool.query(`INSERT INTO ${rows} (saga_id, body) VALUES ($1, $2::json)`, [`s-${(n += 1)}`, '{"n":1}']);
    const handWritten = 'hand-written log: INSERT + 1 UPDATE per step (same commits)';
    return await measureGroup(
      'saga: 3 no-op steps, postgres store',
      handWritten,
      [
        {
          name: handWritten,
          async: true,
          op: async () => {
            const id = (n += 1);
            const { rows: inserted } = await pool.query<{ id: string }>(
              `INSERT INTO ${rows} (saga_id, body) VALUES ($1, $2::json) RETURNING id`,
              [`s-${id}`, logBody(id, 0)],
            );
            for (let step = 1; step <= STEPS.length; step += 1) {
              await pool.query(`UPDATE ${rows} SET body = $2::json WHERE id = $1`, [
                inserted[0]!.id,
                logBody(id, step),
              ]);
            }
          },
        },
        {
          name: 'bookingkit saga (postgres store)',
          async: true,
          op: () => coordinator.start(saga, { n: (n += 1) }),
        },
        { name: 'reference: raw single-row INSERT (1 commit, not the same work)', async: true, op: insert },
      ],
      { batch: 20, time: 2_000 },
    );
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${quoteSchema(schema)} CASCADE`).catch(() => undefined);
    await pool.end();
  }
}

export async function run(): Promise<BenchCase[]> {
  const cases = await memory();
  try {
    cases.push(...(await postgres()));
  } catch (error) {
    console.error(`saga bench: postgres skipped: ${error instanceof Error ? error.message : String(error)}`);
  }
  return cases;
}
