import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { integer, parseRecord, type Row } from './rows.js';
import { createSqlContext, type SqlContext } from './sql-context.js';
import type { PostgresStoreOptions } from './postgres-store-options.js';
import {
  answerFor,
  encodeResult,
  decodeResult,
  IdempotencyRecord,
} from '../../idempotency/idempotency-record.js';
import {
  checkClaim,
  checkScope,
  checkSettle,
  type IdempotencyScope,
} from '../../idempotency/idempotency-scope.js';
import type {
  IdempotencyBeginOptions,
  IdempotencyBeginResult,
  IdempotencyCompleteOptions,
  IdempotencyReleaseOptions,
  IdempotencyStore,
} from '../../idempotency/idempotency-store.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { checkNumberOption, checkStringOption, numberOption } from '../../util/options.js';

const TABLE = 'bookingkit_idempotency';

/** What {@link PostgresIdempotencyStore.purgeExpired} deletes. */
export interface IdempotencyPurgeOptions extends OperationOptions {
  /** The current time, whole epoch ms: rows with `expires_at <= now` are deleted. */
  readonly now: number;
  /** Only this tenant's rows. @default every tenant */
  readonly tenantId?: string;
  /** Most rows deleted by one call; call again while it returns `limit`. @default 1_000 */
  readonly limit?: number;
}

/** The Postgres {@link IdempotencyStore}, plus housekeeping. */
export interface PostgresIdempotencyStore extends IdempotencyStore {
  /**
   * Deletes expired rows and returns how many. Optional: `begin` takes expired rows over in
   * place, so purging only reclaims the space of keys that are never seen again.
   */
  purgeExpired(options: IdempotencyPurgeOptions): Promise<number>;
}

/** The row `begin` returns: the claim it made, or the record that stands in the way. */
const BeginRow = z.object({ claimed: z.boolean() });

/**
 * Creates the Postgres {@link IdempotencyStore} over the `bookingkit_idempotency` table (created
 * by `migrate`). Each call is one statement, except a `begin` that finds the key taken: a first
 * `INSERT ... ON CONFLICT DO NOTHING` claims a free key, and when a row is in the way an
 * `INSERT ... ON CONFLICT DO UPDATE` takes it over if it expired and otherwise returns it
 * unchanged. Either way the primary key decides atomically, however many processes share the
 * table.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a missing client or an invalid schema name.
 * @example
 * ```ts
 * declare const tenantId: string;
 * declare const key: string;
 * declare const body: unknown;
 * declare function handle(body: unknown): Promise<string>;
 * // ---cut---
 * import pg from 'pg';
 * const sql = pgClient(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await migrate(sql);
 * const store = createPostgresIdempotencyStore({ sql });
 * const { value } = await idempotent(store, { tenantId, key, fingerprint: fingerprint(body) }, () => handle(body));
 * ```
 */
export function createPostgresIdempotencyStore(options: PostgresStoreOptions): PostgresIdempotencyStore {
  return idempotencyStore(createSqlContext(options, 'createPostgresIdempotencyStore'));
}

/** The claim, completion and release texts are fixed per schema: prepared where the client can. */
const PREPARE = { prepare: true } as const;

/**
 * The idempotency store over an existing {@link SqlContext} (the pool, or one transaction).
 *
 * @internal
 */
export function idempotencyStore(context: SqlContext): PostgresIdempotencyStore {
  const { sql } = context;
  const name = context.table(TABLE);
  const columns = '(tenant_id, key, fingerprint, state, token, lock_expires_at, expires_at)';
  // The common case, a key seen for the first time: a plain insert, as cheap as it gets.
  const claimText =
    `INSERT INTO ${name} ${columns} VALUES ($1, $2, $3, 'in_progress', $4, $5, $6) ` +
    `ON CONFLICT (tenant_id, key) DO NOTHING`;
  // When a row is in the way: take it over if it expired or its lock ran out, and otherwise
  // "update" it to its own values, which (unlike DO NOTHING) locks and returns the current row,
  // so the answer never depends on a snapshot that missed a concurrent writer. The cost is a row
  // version per duplicate.
  const claimable = `(i.expires_at <= $7 OR (i.state = 'in_progress' AND i.lock_expires_at <= $7))`;
  const take = (column: string, value: string): string =>
    `${column} = CASE WHEN ${claimable} THEN ${value} ELSE i.${column} END`;
  const takeOverText =
    `INSERT INTO ${name} AS i ${columns} VALUES ($1, $2, $3, 'in_progress', $4, $5, $6) ` +
    `ON CONFLICT (tenant_id, key) DO UPDATE SET ` +
    [
      take('fingerprint', 'EXCLUDED.fingerprint'),
      take('state', `'in_progress'`),
      take('token', 'EXCLUDED.token'),
      take('result', 'NULL'),
      take('lock_expires_at', 'EXCLUDED.lock_expires_at'),
      take('expires_at', 'EXCLUDED.expires_at'),
    ].join(', ') +
    ` RETURNING token = $4 AS claimed, fingerprint, state, result::text AS result, lock_expires_at, expires_at`;
  const completeText =
    `UPDATE ${name} SET state = 'completed', result = $4::text::jsonb, lock_expires_at = NULL ` +
    `WHERE tenant_id = $1 AND key = $2 AND token = $3 AND state = 'in_progress' AND expires_at > $5`;
  const releaseText = `DELETE FROM ${name} WHERE tenant_id = $1 AND key = $2 AND token = $3 AND state = 'in_progress' AND expires_at > $4`;

  return {
    async begin(scope: IdempotencyScope, opts: IdempotencyBeginOptions): Promise<IdempotencyBeginResult> {
      throwIfAborted(opts.signal);
      const { tenantId, key } = checkScope(scope);
      checkClaim(opts);
      const token = randomUUID();
      const lockExpiresAt = opts.now + opts.lockTtlMs;
      const params = [tenantId, key, opts.fingerprint, token, lockExpiresAt, opts.now + opts.ttlMs];
      const claimed = await sql.query(claimText, params, PREPARE);
      if (claimed.rowCount > 0) return { status: 'new', token, lockExpiresAt };
      const { rows } = await sql.query<Row>(takeOverText, [...params, opts.now]);
      const source = { table: TABLE, key: `${tenantId}/${key}` };
      const row = rows[0] ?? {};
      if (parseRecord(BeginRow, row, source).claimed) return { status: 'new', token, lockExpiresAt };
      return answerFor(parseRecord(IdempotencyRecord, toRecord(row), source), opts.fingerprint);
    },

    async complete(scope: IdempotencyScope, opts: IdempotencyCompleteOptions): Promise<boolean> {
      throwIfAborted(opts.signal);
      const { tenantId, key } = checkScope(scope);
      checkSettle(opts);
      const result = encodeResult(opts.result);
      const { rowCount } = await sql.query(
        completeText,
        [tenantId, key, opts.token, result, opts.now],
        PREPARE,
      );
      return rowCount > 0;
    },

    async release(scope: IdempotencyScope, opts: IdempotencyReleaseOptions): Promise<boolean> {
      throwIfAborted(opts.signal);
      const { tenantId, key } = checkScope(scope);
      checkSettle(opts);
      const { rowCount } = await sql.query(releaseText, [tenantId, key, opts.token, opts.now], PREPARE);
      return rowCount > 0;
    },

    async purgeExpired(opts: IdempotencyPurgeOptions): Promise<number> {
      throwIfAborted(opts.signal);
      const now = checkNumberOption('now', opts.now, { integer: true });
      const limit = numberOption('limit', opts.limit, 1_000, { min: 1, max: 1_000_000, integer: true });
      const tenantId = opts.tenantId === undefined ? null : checkStringOption('tenantId', opts.tenantId, 255);
      const { rowCount } = await sql.query(
        `DELETE FROM ${name} WHERE (tenant_id, key) IN ` +
          `(SELECT tenant_id, key FROM ${name} WHERE expires_at <= $1 AND ($2::text IS NULL OR tenant_id = $2) LIMIT $3)`,
        [now, tenantId, limit],
      );
      return rowCount;
    },
  };
}

function toRecord(row: Row): unknown {
  const lockExpiresAt = integer(row.lock_expires_at);
  return {
    state: row.state,
    fingerprint: row.fingerprint,
    expiresAt: integer(row.expires_at),
    ...(row.state === 'completed'
      ? { result: typeof row.result === 'string' ? decodeResult(row.result) : undefined }
      : { lockExpiresAt }),
  };
}
