import { randomUUID } from 'node:crypto';
import type { PostgresStoreOptions } from './postgres-store-options.js';
import { clockOption, createSqlContext } from './sql-context.js';
import type { Clock } from '../../ports/clock.js';
import type { LockLease, LockService } from '../../ports/lock.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { checkNumberOption } from '../../util/options.js';

/** Options of {@link createPostgresLockService}. */
export interface PostgresLockServiceOptions extends PostgresStoreOptions {
  /**
   * Times the leases. By default the database server's clock does, so that instances whose
   * clocks disagree still agree on when a lease ends; pass a clock to time them in the
   * application instead (e.g. a fake clock in tests).
   * @default the database server's clock
   */
  readonly clock?: Clock;
}

const checkTtl = (ttlMs: number): number => checkNumberOption('ttlMs', ttlMs, { min: 1, integer: true });

/**
 * Creates the Postgres {@link LockService}: one row per held key in `bookingkit_locks`, taken with
 * a single `INSERT ... ON CONFLICT DO UPDATE ... WHERE expired` statement, so exactly one of many
 * concurrent acquirers wins, and a crashed holder's lease simply runs out. Lock keys are global:
 * put the tenant in the key (`reconcile:tenant-a`) for per-tenant work.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a missing client, an invalid schema name or clock.
 * @example
 * ```ts
 * declare const pool: PgPoolLike;
 * declare function reconcile(): Promise<void>;
 * // ---cut---
 * const locks = createPostgresLockService({ sql: pgClient(pool) });
 * const lease = await locks.acquire('reconcile:tenant-a', { ttlMs: 60_000 });
 * if (lease) try { await reconcile(); } finally { await lease.release(); }
 * ```
 */
export function createPostgresLockService(options: PostgresLockServiceOptions): LockService {
  const context = createSqlContext(options, 'createPostgresLockService');
  const clock =
    options.clock === undefined ? undefined : clockOption(options.clock, 'createPostgresLockService');
  const locks = context.table('bookingkit_locks');
  // `now` in epoch ms: the clock's when there is one, the server's otherwise.
  const NOW = 'coalesce($3::float8, extract(epoch from clock_timestamp())::float8 * 1000)';
  const now = (): number | null => clock?.now() ?? null;

  const lease = (key: string, token: string): LockLease => ({
    key,
    token,
    async extend(ttlMs: number, opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      const ttl = checkTtl(ttlMs);
      const result = await context.sql.query(
        `UPDATE ${locks} SET expires_at = ${NOW} + $4::float8 WHERE key = $1 AND token = $2 AND expires_at > ${NOW}`,
        [key, token, now(), ttl],
      );
      return result.rowCount > 0;
    },
    async release(opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      await context.sql.query(`DELETE FROM ${locks} WHERE key = $1 AND token = $2`, [key, token]);
    },
  });

  return {
    async acquire(key, opts) {
      throwIfAborted(opts.signal);
      const ttl = checkTtl(opts.ttlMs);
      const token = randomUUID();
      const { rows } = await context.sql.query(
        `INSERT INTO ${locks} AS l (key, token, expires_at) VALUES ($1, $2, ${NOW} + $4::float8) ` +
          `ON CONFLICT (key) DO UPDATE SET token = EXCLUDED.token, expires_at = EXCLUDED.expires_at WHERE l.expires_at <= ${NOW} ` +
          'RETURNING token',
        [key, token, now(), ttl],
      );
      return rows.length > 0 ? lease(key, token) : null;
    },
  };
}
