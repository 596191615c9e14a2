import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { pgClient } from '../../src/adapters/postgres/pg-client.js';
import { databaseUrl, uniqueName } from '../support/servers.js';

const reason = databaseUrl
  ? ''
  : ' (skipped: DATABASE_URL is not set; prepared statements need a real server)';

describe.skipIf(!databaseUrl)(`pgClient prepared statements on a real server${reason}`, () => {
  // One connection: every statement meets the prepared statements of the ones before it.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const sql = pgClient(pool);
  const schema = uniqueName('pgprepared').toLowerCase();
  const insert = `INSERT INTO ${schema}.t (id, note) VALUES ($1, $2)`;
  const count = `SELECT count(*)::int AS n FROM ${schema}.t`;
  const prepare = { prepare: true } as const;

  afterAll(async () => {
    await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  const createSchema = async () => {
    await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await sql.query(`CREATE SCHEMA ${schema}`);
    await sql.query(`CREATE TABLE ${schema}.t (id int PRIMARY KEY, note text)`);
  };

  it('keeps working when the schema is dropped and created again under the same name', async () => {
    await createSchema();
    await sql.query(insert, [1, 'a'], prepare);
    await sql.transaction((tx) => tx.query(insert, [2, 'b'], prepare));
    await createSchema();
    await sql.query(insert, [1, 'a'], prepare);
    await sql.transaction((tx) => tx.query(insert, [2, 'b'], prepare));
    expect((await sql.query<{ n: number }>(count, [], prepare)).rows).toEqual([{ n: 2 }]);
  });

  it('keeps working when a migration adds a column to the table it writes', async () => {
    await createSchema();
    await sql.query(insert, [1, 'a'], prepare);
    await sql.query(`ALTER TABLE ${schema}.t ADD COLUMN extra text NOT NULL DEFAULT 'x'`);
    await sql.query(insert, [2, 'b'], prepare);
    expect((await sql.query<{ n: number }>(count, [], prepare)).rows).toEqual([{ n: 2 }]);
  });

  it('prepares a statement again on a connection where a failed transaction kept it from parsing', async () => {
    await createSchema();
    const update = `UPDATE ${schema}.t SET note = $2 WHERE id = $1`;
    const outcome = sql.transaction(async (tx) => {
      await tx.query('SELECT 1/0').catch(() => undefined);
      // The transaction is aborted: this statement's parse is refused.
      await tx.query(update, [1, 'z'], prepare);
    });
    await expect(outcome).rejects.toThrow(/aborted/);
    await sql.query(insert, [1, 'a'], prepare);
    expect((await sql.query(update, [1, 'z'], prepare)).rowCount).toBe(1);
  });
});
