/**
 * Postgres adapters for bookingkit's storage ports, written against the minimal
 * {@link SqlClient} interface: `pg` fits through {@link pgClient}, PGlite through
 * {@link pgliteClient}. {@link migrate} creates the tables.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { pgClient, migrate } from 'bookingkit/postgres';
 * const sql = pgClient(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await migrate(sql);
 * ```
 *
 * @module bookingkit/postgres
 */
export * from './sql-client.js';
export * from './pg-client.js';
export * from './migrate.js';
export * from './postgres-idempotency-store.js';
export * from './postgres-store-options.js';
export * from './postgres-adapters.js';
export { createPostgresSagaStore } from './postgres-saga-store.js';
