import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SqlClient } from './sql-client.js';
import { requireSqlClient } from './sql-options.js';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /**
   * Schema to create the tables in (created if missing). Every adapter of one deployment must
   * be given the same schema. @default 'public'
   */
  readonly schema?: string;
  /** Folder of `NNN_name.sql` files. @default the migrations shipped with bookingkit */
  readonly directory?: string;
}

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Migrations applied by this call, in order. */
  readonly applied: readonly string[];
  /** Migrations that were already applied. */
  readonly skipped: readonly string[];
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Arbitrary constant that names bookingkit's migration lock among advisory locks. */
const MIGRATION_LOCK_ID = 0x626b6d67; // 'bkmg'

/**
 * Validates a schema name and returns it quoted for SQL text; the error names `factory` when given.
 *
 * @internal
 */
export function quoteSchema(schema: string, factory?: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new InvalidOptionError(
      'schema',
      schema,
      'a lower-case SQL identifier (letters, digits, _; at most 63)',
      { factory },
    );
  }
  return `"${schema}"`;
}

function defaultDirectory(): string {
  return fileURLToPath(new URL('./migrations/', import.meta.url));
}

/**
 * Applies bookingkit's SQL migrations that have not been applied yet, in file-name order, each in
 * its own transaction, under a Postgres advisory lock so that several instances starting at once
 * do not race. Applied migrations are recorded in `bookingkit_migrations`. Safe to call on every
 * start.
 *
 * @throws {@link bookingkit!InvalidOptionError} (as a rejection) naming `migrate` for a missing
 *   `sql` client or an invalid schema name.
 * @example
 * ```ts
 * declare const pool: PgPoolLike;
 * // ---cut---
 * const sql = pgClient(pool);
 * const { applied } = await migrate(sql, { schema: 'booking' });
 * ```
 */
export async function migrate(sql: SqlClient, options: MigrateOptions = {}): Promise<MigrateResult> {
  requireSqlClient('migrate', { sql });
  const schema = quoteSchema(options.schema ?? 'public', 'migrate');
  const directory = options.directory ?? defaultDirectory();
  const files = (await readdir(directory)).filter((file) => /^\d{3}_[\w-]+\.sql$/.test(file)).sort();
  const applied: string[] = [];
  // Those applied before: one read, no lock, so a start on an up-to-date schema costs one query.
  // Each pending one is checked again under the lock (another instance may apply it first).
  const before = await appliedBefore(sql, schema);
  const skipped: string[] = files.filter((file) => before.has(file));
  for (const file of files) {
    if (before.has(file)) continue;
    const text = await readFile(`${directory.replace(/\/$/, '')}/${file}`, 'utf8');
    await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
      await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.bookingkit_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const done = await tx.query(`SELECT 1 FROM ${schema}.bookingkit_migrations WHERE name = $1`, [file]);
      if (done.rows.length > 0) {
        skipped.push(file);
        return;
      }
      await tx.query(`SET LOCAL search_path TO ${schema}, public`);
      await tx.query(text);
      await tx.query(`INSERT INTO ${schema}.bookingkit_migrations (name) VALUES ($1)`, [file]);
      applied.push(file);
    });
  }
  return { applied, skipped: skipped.sort() };
}

/** The migrations recorded in `schema`, or none when it has no migrations table yet. */
async function appliedBefore(sql: SqlClient, schema: string): Promise<Set<string>> {
  const exists = await sql.query<{ found: unknown }>('SELECT to_regclass($1) IS NOT NULL AS found', [
    `${schema}.bookingkit_migrations`,
  ]);
  if (exists.rows[0]?.found !== true) return new Set();
  const { rows } = await sql.query<{ name: string }>(`SELECT name FROM ${schema}.bookingkit_migrations`);
  return new Set(rows.map((row) => row.name));
}
