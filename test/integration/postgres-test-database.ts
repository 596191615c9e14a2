import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import pg from 'pg';
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, inject } from 'vitest';
import { migrate, pgClient, pgliteClient, type SqlClient } from '../../src/adapters/postgres/index.js';
import { quoteSchema } from '../../src/adapters/postgres/migrate.js';
import { PGLITE_TEMPLATE_SCHEMA } from '../support/pglite-template.js';
import { databaseUrl, uniqueName } from '../support/servers.js';

/** The tables of bookingkit's core migrations (001-009), emptied after each test. */
const TABLES = [
  'bookingkit_appointments',
  'bookingkit_customers',
  'bookingkit_calls',
  'bookingkit_outbox',
  'bookingkit_tenants',
  'bookingkit_tenant_keys',
  'bookingkit_locks',
  'bookingkit_availability_cache',
];

/** PGlite starts a whole Postgres in WebAssembly: slow on a loaded machine. */
const STARTUP_TIMEOUT_MS = 120_000;

/** Where Postgres tests run: PGlite always, and the real server when DATABASE_URL is set. */
export type DatabaseKind = 'PGlite' | 'server';

/** One migrated schema of one test file, on PGlite or on the real server. */
export interface TestDatabase {
  readonly kind: DatabaseKind;
  readonly sql: SqlClient;
  readonly schema: string;
  /** Another client on its own pool (the same instance on PGlite, which has one connection). */
  openClient(): SqlClient;
  /** Empties every core table. */
  truncate(): Promise<void>;
}

async function open(
  kind: DatabaseKind,
  poolSize: number,
  closers: (() => Promise<void>)[],
): Promise<() => SqlClient> {
  if (kind === 'server') {
    return () => {
      const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
      closers.push(() => pool.end());
      return pgClient(pool);
    };
  }
  // Loads the migrated data directory that the global setup prepared (no initdb, no migrations).
  const template = await readFile(inject('pgliteTemplate'));
  const db = await PGlite.create({ extensions: { btree_gist }, loadDataDir: new Blob([template]) });
  closers.push(() => db.close());
  const client = pgliteClient(db);
  return () => client;
}

/**
 * Registers, for the enclosing suite, a fresh migrated schema opened before its tests and dropped
 * (with every connection closed) after them; returns a getter for it.
 */
function useTestDatabase(kind: DatabaseKind, poolSize: number): () => TestDatabase {
  let database: TestDatabase | undefined;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    // A PGlite database belongs to this file alone and comes migrated; the server is shared, so
    // each file migrates a schema of its own there and drops it afterwards.
    const name = kind === 'PGlite' ? PGLITE_TEMPLATE_SCHEMA : uniqueName('bookingkit_pg').toLowerCase();
    const schema = quoteSchema(name);
    const openClient = await open(kind, poolSize, closers);
    const sql = openClient();
    if (kind === 'server') {
      closers.unshift(async () => {
        await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      });
    }
    await migrate(sql, { schema: name });
    database = {
      kind,
      sql,
      schema: name,
      openClient,
      async truncate() {
        // DELETE rather than TRUNCATE: much faster on the few rows of a test.
        await sql.query(TABLES.map((t) => `DELETE FROM ${schema}.${t};`).join('\n'));
      },
    };
  }, STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    for (const close of closers.splice(0)) await close();
    database = undefined;
  });

  return () => {
    if (!database) throw new Error('test database used outside its suite');
    return database;
  };
}

/** Options of {@link describeOnDatabases}. */
export interface DatabaseSuiteOptions {
  /** Connections per pool on the real server. @default 8 */
  readonly poolSize?: number;
  /** Empty the tables after each test. @default true */
  readonly truncateAfterEach?: boolean;
}

/**
 * Declares the suite `body` once per database: on PGlite always, and on the real server when
 * DATABASE_URL is set (under CI it must be: test/support/servers.ts fails the run otherwise).
 */
export function describeOnDatabases(
  title: string,
  body: (database: () => TestDatabase, kind: DatabaseKind) => void,
  options: DatabaseSuiteOptions = {},
): void {
  const kinds: DatabaseKind[] = databaseUrl ? ['PGlite', 'server'] : ['PGlite'];
  for (const kind of kinds) {
    describe(`${title} (${kind})`, () => {
      const database = useTestDatabase(kind, options.poolSize ?? 8);
      if (options.truncateAfterEach ?? true) afterEach(() => database().truncate());
      body(database, kind);
    });
  }
}
