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
// The client: any driver behind the minimal SqlClient interface (pg, PGlite)
export type { SqlResult, SqlClient, SqlQueryOptions } from './sql-client.js';
export {
  pgClient,
  pgliteClient,
  type PgClientOptions,
  type PgQueryConfig,
  type PgQueryResult,
  type PgPoolClientLike,
  type PgPoolLike,
  TransactionRolledBackError,
  isTransactionRolledBackError,
  type PgliteLike,
  type PgliteTransactionLike,
} from './pg-client.js';

// Migrations
export { migrate, type MigrateOptions, type MigrateResult } from './migrate.js';

// Stores: one adapter per storage port, and all of them at once
export { createPostgresStores, type PostgresStores } from './postgres-stores.js';
export type { PostgresStoreOptions, PostgresClockedStoreOptions } from './postgres-store-options.js';
export { createPostgresAppointmentRepository } from './postgres-appointment-repository.js';
export { createPostgresCustomerRepository } from './postgres-customer-repository.js';
export { createPostgresCallRepository } from './postgres-call-repository.js';
export { createPostgresReconciliationCursorStore } from './postgres-reconciliation-cursor-store.js';
export { createPostgresUnitOfWork, type PostgresTransactionStores } from './postgres-unit-of-work.js';
export { createPostgresOutboxStore } from './postgres-outbox-store.js';
export { createPostgresSagaStore } from './postgres-saga-store.js';
export {
  createPostgresIdempotencyStore,
  type IdempotencyPurgeOptions,
  type PostgresIdempotencyStore,
} from './postgres-idempotency-store.js';
export { createPostgresTenantDirectory, type PostgresTenantDirectory } from './postgres-tenant-directory.js';
export { createPostgresLockService, type PostgresLockServiceOptions } from './postgres-lock-service.js';
export { createPostgresAvailabilityCache } from './postgres-availability-cache.js';
export { createPostgresAuditLog } from './postgres-audit-log.js';
export { createPostgresCustomerStatsStore } from './postgres-customer-stats-store.js';
