import type { PostgresStoreOptions } from './postgres-store-options.js';
import { recordTable, type Column } from './record-table.js';
import { instant, integer, type Row } from './rows.js';
import { createSqlContext, type SqlContext } from './sql-context.js';
import { SqlConditions, decodeCursor, pageSize, toPage } from './sql-query.js';
import { Call } from '../../domain/call.js';
import type { CallRepository } from '../../ports/call-repository.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { requireTenantId } from '../../util/tenant-id.js';

const TABLE = 'bookingkit_calls';

const COLUMNS: readonly Column<Call>[] = [
  { name: 'tenant_id', type: 'text', value: (c) => c.tenantId },
  { name: 'id', type: 'text', value: (c) => c.id },
  { name: 'from_number', type: 'text', value: (c) => c.fromNumber },
  { name: 'to_number', type: 'text', value: (c) => c.toNumber },
  { name: 'direction', type: 'text', value: (c) => c.direction },
  { name: 'status', type: 'text', value: (c) => c.status },
  { name: 'agent_id', type: 'text', value: (c) => c.agentId },
  { name: 'customer_id', type: 'text', value: (c) => c.customerId },
  { name: 'started_at', type: 'timestamptz', value: (c) => c.startedAt },
  { name: 'ended_at', type: 'timestamptz', value: (c) => c.endedAt },
  { name: 'disconnection_reason', type: 'text', value: (c) => c.disconnectionReason },
  { name: 'analysis', type: 'jsonb', value: (c) => c.analysis },
  { name: 'cost_cents', type: 'bigint', value: (c) => c.costCents },
  { name: 'appointment_ids', type: 'text[]', value: (c) => c.appointmentIds },
  { name: 'version', type: 'integer', value: (c) => c.version },
  { name: 'created_at', type: 'timestamptz', value: (c) => c.createdAt },
  { name: 'updated_at', type: 'timestamptz', value: (c) => c.updatedAt },
];

function toRecord(row: Row): unknown {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    fromNumber: row.from_number,
    toNumber: row.to_number,
    direction: row.direction,
    status: row.status,
    agentId: row.agent_id,
    customerId: row.customer_id,
    startedAt: instant(row.started_at),
    endedAt: instant(row.ended_at),
    disconnectionReason: row.disconnection_reason,
    analysis: row.analysis,
    costCents: integer(row.cost_cents),
    appointmentIds: row.appointment_ids,
    version: integer(row.version),
    createdAt: instant(row.created_at),
    updatedAt: instant(row.updated_at),
  };
}

/** When a call counts as started: when it did, or when it was registered if it has not yet. */
const SORT_TIME = 'coalesce(started_at, created_at)';

/**
 * The call repository over an existing {@link SqlContext} (the pool, or one transaction).
 *
 * @internal
 */
export function callRepository(context: SqlContext): CallRepository {
  const table = recordTable(context, {
    table: TABLE,
    entity: 'Call',
    schema: Call,
    columns: COLUMNS,
    toRecord,
    // No constraint but the key: an update can only miss its version.
    updateGuard: 'none',
  });

  return {
    async save(call, expectedVersion, options: OperationOptions = {}) {
      throwIfAborted(options.signal);
      // Version conflicts are answered without a database error, so no savepoint is needed.
      const saved =
        expectedVersion === null
          ? await table.insertIfAbsent(call)
          : await table.updateAt(call, expectedVersion);
      // Expected version 0 stands for "not stored yet", as in the memory adapter.
      if (!saved) throw await table.versionConflict(call, expectedVersion ?? 0);
    },

    get: async (tenantId, id, options = {}) =>
      table.first('tenant_id = $1 AND id = $2', [requireTenantId(tenantId), id], options),

    async list(tenantId, query = {}, options: OperationOptions = {}) {
      throwIfAborted(options.signal);
      const tenant = requireTenantId(tenantId);
      const limit = pageSize(query);
      const before = decodeCursor(query.cursor);
      // The tenant is a required condition, never an optional filter: `when` would drop it.
      const where = new SqlConditions();
      where
        .add(`tenant_id = ${where.param(tenant)}`)
        .when(query.from, (p) => `${SORT_TIME} >= ${p}::timestamptz`)
        .when(query.to, (p) => `${SORT_TIME} < ${p}::timestamptz`);
      if (before)
        where.add(
          `(${SORT_TIME}, id) < (${where.param(before.time)}::timestamptz, ${where.param(before.id)})`,
        );
      const rows = await table.select(
        `${where.text} ORDER BY ${SORT_TIME} DESC, id DESC LIMIT ${limit + 1}`,
        where.params,
      );
      return toPage(rows, limit, (c) => ({ time: c.startedAt ?? c.createdAt, id: c.id }));
    },
  };
}

/**
 * Creates the Postgres {@link CallRepository}. Voice-provider webhooks arrive out of order and
 * more than once: a first sighting inserts only if the call is not stored yet and every other
 * write replaces a known version, so concurrent deliveries never overwrite each other.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a missing client or an invalid schema name.
 * @example
 * ```ts
 * declare const pool: PgPoolLike;
 * declare const call: Call;
 * // ---cut---
 * const calls = createPostgresCallRepository({ sql: pgClient(pool) });
 * await calls.save(call, null);
 * ```
 */
export function createPostgresCallRepository(options: PostgresStoreOptions): CallRepository {
  return callRepository(createSqlContext(options, 'createPostgresCallRepository'));
}
