import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isTransactionRolledBackError,
  pgClient,
  type PgPoolClientLike,
  type PgPoolLike,
} from '../../src/adapters/postgres/pg-client.js';
import { isStorageUnavailableError } from '../../src/errors/store-errors.js';
import { databaseUrl, uniqueName } from '../support/servers.js';

const reason = databaseUrl ? '' : ' (skipped: DATABASE_URL is not set; pgClient wraps a real pg pool)';

describe.skipIf(!databaseUrl)(`pgClient on a real server${reason}`, () => {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  const sql = pgClient(pool);
  const table = uniqueName('pgclient');

  beforeAll(async () => {
    await sql.query(`CREATE TABLE ${table} (id int PRIMARY KEY)`);
  });
  afterAll(async () => {
    await sql.query(`DROP TABLE IF EXISTS ${table}`);
    await pool.end();
  });

  it('commits what the transaction wrote', async () => {
    await sql.transaction(async (tx) => {
      await tx.query(`INSERT INTO ${table} (id) VALUES ($1)`, [1]);
    });
    expect((await sql.query(`SELECT id FROM ${table} WHERE id = 1`)).rows).toEqual([{ id: 1 }]);
  });

  it('rolls back and rethrows when the work throws', async () => {
    await expect(
      sql.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${table} (id) VALUES ($1)`, [2]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await sql.query(`SELECT id FROM ${table} WHERE id = 2`)).rows).toEqual([]);
  });

  it('reports a transaction that Postgres rolled back at COMMIT because a failed statement was swallowed', async () => {
    const outcome = sql.transaction(async (tx) => {
      await tx.query(`INSERT INTO ${table} (id) VALUES ($1)`, [3]);
      await tx.query(`INSERT INTO ${table} (id) VALUES ($1)`, [3]).catch(() => undefined);
      return 'looked fine';
    });
    await expect(outcome).rejects.toSatisfy(isTransactionRolledBackError);
    expect((await sql.query(`SELECT id FROM ${table} WHERE id = 3`)).rows).toEqual([]);
  });

  it('fails the transaction, not the process, when the server ends its connection between statements', async () => {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      const outcome = sql.transaction(async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        // The server's goodbye arrives while no query runs: pg emits it as an 'error' event on the
        // checked-out connection, which ends the process when nothing listens.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await tx.query('SELECT 1');
      });
      await expect(outcome).rejects.toSatisfy(isStorageUnavailableError);
    } finally {
      await admin.end();
    }
    // The broken connection was discarded: the pool answers with a fresh one.
    expect((await sql.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('reports a database it cannot reach as StorageUnavailableError, the driver error as its cause', async () => {
    // A port nothing listens on: the connection is refused.
    const unreachable = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:9/test', max: 1 });
    const offline = pgClient(unreachable);
    try {
      const query = await offline.query('SELECT 1').catch((error: unknown) => error);
      expect(isStorageUnavailableError(query) && (query.cause as { code?: string }).code).toBe(
        'ECONNREFUSED',
      );
      const transaction = await offline.transaction(async () => 'never').catch((error: unknown) => error);
      expect(isStorageUnavailableError(transaction)).toBe(true);
    } finally {
      await unreachable.end();
    }
  });

  it('leaves a failing statement its own error', async () => {
    const error = await sql.query('SELECT * FROM bookingkit_no_such_table').catch((e: unknown) => e);
    expect(isStorageUnavailableError(error)).toBe(false);
    expect((error as { code?: string }).code).toBe('42P01');
  });
});

describe('pgClient on a connection the server ends as the transaction begins', () => {
  /** A pool whose connections fail every statement with `error`, as a connection Postgres ended does. */
  function endedPool(error: Error) {
    const released: unknown[] = [];
    const connection: PgPoolClientLike = {
      query: () => Promise.reject(error),
      release: (broken) => void released.push(broken),
    };
    const pool: PgPoolLike = {
      query: () => Promise.reject(error),
      connect: () => Promise.resolve(connection),
    };
    return { pool, released };
  }

  // Seen when Postgres restarts under load: the pool hands out a connection whose server process is
  // being terminated, and the FATAL message answers BEGIN (a 500 instead of a 503 before the fix).
  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P03', 'the database system is starting up'],
    ['ECONNRESET', 'read ECONNRESET'],
  ])(
    'reports a BEGIN failing with %s as StorageUnavailableError and discards the connection',
    async (code, message) => {
      const cause = Object.assign(new Error(message), { code });
      const { pool, released } = endedPool(cause);
      const error = await pgClient(pool)
        .transaction(async () => 'never')
        .catch((e: unknown) => e);
      expect(isStorageUnavailableError(error)).toBe(true);
      expect((error as Error).cause).toBe(cause);
      expect(released).toHaveLength(1);
      expect(released[0]).toBeInstanceOf(Error);
    },
  );
});
