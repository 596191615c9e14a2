import type { PostgresClockedStoreOptions } from './postgres-store-options.js';
import { recordTable, type Column } from './record-table.js';
import { instant, integer, type Row } from './rows.js';
import { clockOption, createSqlContext, type SqlContext } from './sql-context.js';
import type { Clock } from '../../ports/clock.js';
import { SqlConditions, decodeCursor, pageSize, toPage } from './sql-query.js';
import { Call } from '../../domain/call.js';
import { CallUpsert, mergeCall, type CallPatch } from '../../domain/call-merge.js';
import { Id } from '../../domain/common.js';
import { anonymisedCall } from '../../domain/personal-data.js';
import { parseWith } from '../../errors/validation-error.js';
import type { CallRepository, CallUpsertResult } from '../../ports/call-repository.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { requireTenantId } from '../../util/tenant-id.js';

const TABLE = 'bookingkit_calls';

const COLUMNS: readonly Column<Call>[] = [
  { name: 'tenant_id', type: 'text', value: (c) => c.tenantId },
  { name: 'id', type: 'text', value: (c) => c.id },
  { name: 'from_number', type: 'text', value: (c) => c.fromNumber },
  { name: 'to_number', type: 'text', value: (c) => c.toNumber },
  { name: 'direction', type: 'text', value: (c) => c.direction },
  { name: 'call_type', type: 'text', value: (c) => c.callType },
  { name: 'status', type: 'text', value: (c) => c.status },
  { name: 'agent_id', type: 'text', value: (c) => c.agentId },
  { name: 'customer_id', type: 'text', value: (c) => c.customerId },
  { name: 'started_at', type: 'timestamptz', value: (c) => c.startedAt },
  { name: 'ended_at', type: 'timestamptz', value: (c) => c.endedAt },
  { name: 'duration_ms', type: 'bigint', value: (c) => c.durationMs },
  { name: 'disconnection_reason', type: 'text', value: (c) => c.disconnectionReason },
  { name: 'transcript', type: 'text', value: (c) => c.transcript },
  { name: 'analysis', type: 'jsonb', value: (c) => c.analysis },
  { name: 'cost_cents', type: 'bigint', value: (c) => c.costCents },
  { name: 'appointment_ids', type: 'text[]', value: (c) => c.appointmentIds },
  { name: 'events', type: 'text[]', value: (c) => c.events },
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
    callType: row.call_type,
    status: row.status,
    agentId: row.agent_id,
    customerId: row.customer_id,
    startedAt: instant(row.started_at),
    endedAt: instant(row.ended_at),
    durationMs: integer(row.duration_ms),
    disconnectionReason: row.disconnection_reason,
    transcript: row.transcript,
    analysis: row.analysis,
    costCents: integer(row.cost_cents),
    appointmentIds: row.appointment_ids,
    events: row.events,
    version: integer(row.version),
    createdAt: instant(row.created_at),
    updatedAt: instant(row.updated_at),
  };
}

/** When a call counts as started: when it did, or when it was registered if it has not yet. */
const SORT_TIME = 'coalesce(started_at, created_at)';

/**
 * Rounds of read, merge and version-guarded write one merge may take: each round some concurrent
 * writer of the call wins, so this bounds how many may write one call at once.
 */
const MERGE_ATTEMPTS = 50;

/**
 * The call repository over an existing {@link SqlContext} (the pool, or one transaction).
 *
 * @internal
 */
export function callRepository(context: SqlContext, clock: Clock): CallRepository {
  /** When a write that names no time happened: now on the stores' clock. */
  const now = (): string => new Date(clock.now()).toISOString();
  const table = recordTable(context, {
    table: TABLE,
    entity: 'Call',
    schema: Call,
    columns: COLUMNS,
    toRecord,
    // No constraint but the key: an update can only miss its version.
    updateGuard: 'none',
  });

  // Async, so that an invalid tenant id rejects rather than throws.
  const get = async (tenantId: string, id: string, options: OperationOptions = {}) =>
    table.first('tenant_id = $1 AND id = $2', [requireTenantId(tenantId), id], options);

  /**
   * Merges `patch` into the stored call: read, merge, then insert if absent or update at the
   * version read; a concurrent write makes the write miss, and the merge starts over from what
   * that write stored, so no event is lost.
   */
  const merge = async (
    tenantId: string,
    patch: CallPatch,
    event: string | null,
    at: string,
    options: OperationOptions,
  ): Promise<CallUpsertResult> => {
    for (let attempt = 1; ; attempt += 1) {
      throwIfAborted(options.signal);
      const stored = await get(tenantId, patch.id, options);
      const merged = mergeCall(stored, tenantId, patch, event, at);
      // Nothing to change (a duplicate event, or a link already there): the call is stored.
      if (merged === null) return { call: stored as Call, applied: false };
      const saved =
        stored === null ? await table.insertIfAbsent(merged) : await table.updateAt(merged, stored.version);
      if (saved) return { call: merged, applied: true };
      if (attempt >= MERGE_ATTEMPTS) throw await table.versionConflict(merged, stored?.version ?? 0);
    }
  };

  return {
    async upsert(tenantId, upsert, options: OperationOptions = {}) {
      throwIfAborted(options.signal);
      const tenant = requireTenantId(tenantId);
      const { event, at, ...patch } = parseWith(CallUpsert, upsert, 'CallUpsert');
      return merge(tenant, patch, event, at ?? now(), options);
    },

    async linkAppointment(tenantId, callId, appointmentId, options: OperationOptions = {}) {
      throwIfAborted(options.signal);
      const tenant = requireTenantId(tenantId);
      const patch = {
        id: parseWith(Id, callId, 'callId'),
        appointmentIds: [parseWith(Id, appointmentId, 'appointmentId')],
      };
      return (await merge(tenant, patch, null, now(), options)).call;
    },

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

    get,

    async anonymiseForCustomer(tenantId, customerId, options: OperationOptions = {}) {
      throwIfAborted(options.signal);
      const tenant = requireTenantId(tenantId);
      const customer = parseWith(Id, customerId, 'customerId');
      const at = now();
      // Locked for the transaction this runs in; outside one, a concurrent write makes an update
      // miss its version, and that call is read again and erased from what the write stored.
      let pending = await table.select('tenant_id = $1 AND customer_id = $2 FOR UPDATE', [tenant, customer]);
      const changed: string[] = [];
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        throwIfAborted(options.signal);
        const missed: Call[] = [];
        for (const call of pending) {
          const erased = anonymisedCall(call, at);
          if (erased === null) continue;
          if (await table.updateAt(erased, call.version)) changed.push(call.id);
          else if (attempt >= MERGE_ATTEMPTS) throw await table.versionConflict(erased, call.version);
          else missed.push(call);
        }
        pending = missed.length
          ? await table.select('tenant_id = $1 AND customer_id = $2 AND id = ANY($3::text[]) FOR UPDATE', [
              tenant,
              customer,
              missed.map((call) => call.id),
            ])
          : [];
      }
      return changed;
    },

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
export function createPostgresCallRepository(options: PostgresClockedStoreOptions): CallRepository {
  return callRepository(
    createSqlContext(options, 'createPostgresCallRepository'),
    clockOption(options.clock, 'createPostgresCallRepository'),
  );
}
