import { ReconciliationCursor } from '../../domain/reconciliation-cursor.js';
import { parseWith } from '../../errors/validation-error.js';
import type { ReconciliationCursorStore } from '../../ports/reconciliation-cursor-store.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { requireTenantId } from '../../util/tenant-id.js';
import type { PostgresStoreOptions } from './postgres-store-options.js';
import { instant, keyText, readRow, type Row } from './rows.js';
import { createSqlContext, type SqlContext } from './sql-context.js';

const TABLE = 'bookingkit_reconciliation_cursors';

const toCursor = (row: Row): unknown => ({
  tenantId: row.tenant_id,
  localUpdatedSince: instant(row.local_updated_since),
  remoteUpdatedSince: instant(row.remote_updated_since),
  lastFullRunAt: instant(row.last_full_run_at),
  updatedAt: instant(row.updated_at),
});

/** The store over a SQL context (the pool's, or a transaction's). @internal */
export function reconciliationCursorStore(context: SqlContext): ReconciliationCursorStore {
  const table = context.table(TABLE);
  const selectText =
    'SELECT tenant_id, local_updated_since, remote_updated_since, last_full_run_at, updated_at ' +
    `FROM ${table} WHERE tenant_id = $1`;
  const upsertText =
    `INSERT INTO ${table} (tenant_id, local_updated_since, remote_updated_since, last_full_run_at, updated_at) ` +
    'VALUES ($1, $2::timestamptz, $3::timestamptz, $4::timestamptz, $5::timestamptz) ' +
    'ON CONFLICT (tenant_id) DO UPDATE SET local_updated_since = EXCLUDED.local_updated_since, ' +
    'remote_updated_since = EXCLUDED.remote_updated_since, last_full_run_at = EXCLUDED.last_full_run_at, ' +
    'updated_at = EXCLUDED.updated_at';
  return {
    async get(tenantId: string, options: OperationOptions = {}): Promise<ReconciliationCursor | null> {
      throwIfAborted(options.signal);
      const tenant = requireTenantId(tenantId);
      const { rows } = await context.sql.query<Row>(selectText, [tenant]);
      const [row] = rows;
      if (!row) return null;
      return readRow(ReconciliationCursor, row, TABLE, toCursor, (r) => keyText(r.tenant_id));
    },
    async save(cursor: ReconciliationCursor, options: OperationOptions = {}): Promise<void> {
      throwIfAborted(options.signal);
      const parsed = parseWith(ReconciliationCursor, cursor, 'reconciliation cursor');
      context.assertWritable();
      await context.sql.query(upsertText, [
        parsed.tenantId,
        parsed.localUpdatedSince,
        parsed.remoteUpdatedSince,
        parsed.lastFullRunAt,
        parsed.updatedAt,
      ]);
    },
  };
}

/**
 * Creates the Postgres {@link ReconciliationCursorStore}: one row per tenant in
 * `bookingkit_reconciliation_cursors`, replaced by each save (an upsert, so concurrent saves
 * leave one of them whole). `createPostgresStores` includes one as `reconciliationCursors`. Run
 * `migrate` first, with the same schema.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a missing client or an invalid schema name.
 * @example
 * ```ts
 * declare const pool: PgPoolLike;
 * // ---cut---
 * const cursors = createPostgresReconciliationCursorStore({ sql: pgClient(pool), schema: 'booking' });
 * const cursor = await cursors.get('acme'); // null before the first run
 * ```
 */
export function createPostgresReconciliationCursorStore(
  options: PostgresStoreOptions,
): ReconciliationCursorStore {
  return reconciliationCursorStore(createSqlContext(options, 'createPostgresReconciliationCursorStore'));
}
