/**
 * Three-step sagas with no-op steps per second. On the memory store, against the three awaited
 * calls without a saga. On Postgres, against raw single-row INSERTs on the same server in the same
 * run, and against the hand-written durable equivalent (one INSERT and three UPDATEs); the statements
 * a saga sends are counted and reported per saga, to check the goal of at most one round trip
 * per step transition. Uses DATABASE_URL, defaulting to postgres://postgres@127.0.0.1:5432/test.
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
const saga = defineSaga<{ n: number }>({ name: 'bench' })
  .step('one', { run: noop })
  .step('two', { run: noop })
  .step('three', { run: noop });

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

/** A client that counts the statements it sends. */
function counting(sql: SqlClient): { client: SqlClient; count(): number } {
  let statements = 0;
  return {
    count: () => statements,
    client: {
      query: (text, params) => ((statements += 1), sql.query(text, params)),
      transaction: (fn) => sql.transaction(fn),
    },
  };
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
    const coordinator = coordinatorOn(createPostgresSagaStore({ sql: counter.client, schema }));

    const before = counter.count();
    for (let i = 0; i < 100; i += 1) await coordinator.start(saga, { n: i });
    const perSaga = (counter.count() - before) / 100;
    console.log(
      `\nsaga: ${perSaga} statements (round trips) per three-step saga on Postgres: one INSERT and one UPDATE per step`,
    );

    let n = 0;
    const insert = () =>
      pool.query(`INSERT INTO ${rows} (saga_id, body) VALUES ($1, $2::json)`, [`s-${(n += 1)}`, '{"n":1}']);
    return await measureGroup(
      'saga: 3 no-op steps, postgres store',
      'raw single-row INSERT',
      [
        { name: 'raw single-row INSERT', async: true, op: insert },
        {
          name: 'raw INSERT + 3 UPDATEs (hand-written durable log)',
          async: true,
          op: async () => {
            const { rows: inserted } = await pool.query<{ id: string }>(
              `INSERT INTO ${rows} (saga_id, body) VALUES ($1, $2::json) RETURNING id`,
              [`s-${(n += 1)}`, '{"step":0}'],
            );
            for (let step = 1; step <= 3; step += 1) {
              await pool.query(`UPDATE ${rows} SET body = $2::json WHERE id = $1`, [
                inserted[0]!.id,
                `{"step":${step}}`,
              ]);
            }
          },
        },
        {
          name: 'bookingkit saga (postgres store)',
          async: true,
          op: () => coordinator.start(saga, { n: (n += 1) }),
        },
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
