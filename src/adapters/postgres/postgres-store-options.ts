import type { SqlClient } from './sql-client.js';
import type { Clock } from '../../ports/clock.js';

/** Options shared by every Postgres adapter. */
export interface PostgresStoreOptions {
  /** The connection: `pgClient(pool)` or `pgliteClient(db)`. */
  readonly sql: SqlClient;
  /** Schema the tables were migrated into (the one given to `migrate`). @default 'public' */
  readonly schema?: string;
}

/** Options of the Postgres adapters that read the time (leases, TTLs, creation times). */
export interface PostgresClockedStoreOptions extends PostgresStoreOptions {
  /** @default systemClock */
  readonly clock?: Clock;
}
