import type { PostgresStoreOptions } from './postgres-store-options.js';
import { instant, integer, json, keyText, readRow, type Row } from './rows.js';
import { createSqlContext } from './sql-context.js';
import { SqlConditions, decodeCursor, pageSize, toPage } from './sql-query.js';
import { parseWith } from '../../errors/validation-error.js';
import { AuditEntry, type AuditLog } from '../../ports/audit-log.js';
import { throwIfAborted } from '../../util/abort.js';
import { requireTenantId } from '../../util/tenant-id.js';

const TABLE = 'bookingkit_audit_log';

function toEntry(row: Row): unknown {
  return {
    eventId: row.event_id,
    type: row.type,
    tenantId: row.tenant_id,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    aggregateVersion: integer(row.aggregate_version),
    origin: row.origin,
    actor: row.actor,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    occurredAt: instant(row.occurred_at),
    recordedAt: instant(row.recorded_at),
    data: row.data,
  };
}

const keyOf = (row: Row): string | null => {
  const eventId = keyText(row.event_id);
  return eventId === null ? null : `${keyText(row.tenant_id) ?? ''}/${eventId}`;
};

/**
 * Creates the Postgres {@link AuditLog}: one row per tenant and event, so a redelivered event is
 * recorded once, even when two relays deliver it at the same moment (the primary key decides).
 * Times are stored to the millisecond and read back in UTC (`Z`) notation. Run `migrate` first,
 * with the same schema.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a missing client or an invalid schema name.
 * @example
 * ```ts
 * declare const pool: PgPoolLike;
 * declare const bus: EventBus<BookingEvents>;
 * declare const appointmentId: string;
 * // ---cut---
 * const auditLog = createPostgresAuditLog({ sql: pgClient(pool), schema: 'booking' });
 * registerAuditTrail(bus, { auditLog });
 * const { items } = await auditLog.listByAggregate('acme', { type: 'appointment', id: appointmentId });
 * ```
 */
export function createPostgresAuditLog(options: PostgresStoreOptions): AuditLog {
  const context = createSqlContext(options, 'createPostgresAuditLog');
  const table = context.table(TABLE);
  const ms = (placeholder: string): string => `date_trunc('milliseconds', ${placeholder}::timestamptz)`;
  const insertText =
    `INSERT INTO ${table} (tenant_id, event_id, type, aggregate_type, aggregate_id, aggregate_version, origin, ` +
    'actor, correlation_id, causation_id, occurred_at, recorded_at, data) ' +
    `VALUES ($1, $2, $3, $4, $5, $6::bigint, $7, $8::text::jsonb, $9, $10, ${ms('$11')}, ${ms('$12')}, $13::text::jsonb) ` +
    'ON CONFLICT (tenant_id, event_id) DO NOTHING';

  return {
    async append(input, opts = {}) {
      throwIfAborted(opts.signal);
      const entry = parseWith(AuditEntry, input, 'audit entry');
      context.assertWritable();
      const result = await context.sql.query(insertText, [
        entry.tenantId,
        entry.eventId,
        entry.type,
        entry.aggregateType,
        entry.aggregateId,
        entry.aggregateVersion,
        entry.origin,
        json(entry.actor),
        entry.correlationId,
        entry.causationId,
        entry.occurredAt,
        entry.recordedAt,
        json(entry.data),
      ]);
      return result.rowCount > 0;
    },

    async anonymise(tenantId, aggregates, rewrite, opts = {}) {
      throwIfAborted(opts.signal);
      const tenant = requireTenantId(tenantId);
      if (aggregates.length === 0) return 0;
      const { rows } = await context.sql.query<Row>(
        `SELECT * FROM ${table} WHERE tenant_id = $1 AND (aggregate_type, aggregate_id) IN ` +
          '(SELECT * FROM unnest($2::text[], $3::text[]))',
        [tenant, aggregates.map((a) => a.type), aggregates.map((a) => a.id)],
      );
      // Every rewrite runs before the one statement that writes them all: all or nothing.
      const changed: { eventId: string; data: string | null }[] = [];
      for (const row of rows) {
        const entry = readRow(AuditEntry, row, TABLE, toEntry, keyOf);
        const data = json(rewrite(structuredClone(entry)));
        if (data !== json(entry.data)) changed.push({ eventId: entry.eventId, data });
      }
      if (changed.length === 0) return 0;
      context.assertWritable();
      await context.sql.query(
        `UPDATE ${table} a SET data = u.data::jsonb FROM unnest($2::text[], $3::text[]) AS u(event_id, data) ` +
          'WHERE a.tenant_id = $1 AND a.event_id = u.event_id',
        [tenant, changed.map((c) => c.eventId), changed.map((c) => c.data)],
      );
      return changed.length;
    },

    async listByAggregate(tenantId, aggregate, page = {}, opts = {}) {
      throwIfAborted(opts.signal);
      const limit = pageSize(page);
      const after = decodeCursor(page.cursor);
      // Every condition is always present: a missing argument matches nothing, never everything.
      const where = new SqlConditions();
      where
        .add(`tenant_id = ${where.param(requireTenantId(tenantId))}`)
        .add(`aggregate_type = ${where.param(aggregate.type)}`)
        .add(`aggregate_id = ${where.param(aggregate.id)}`);
      if (after) {
        where.add(
          `(occurred_at, event_id) > (${where.param(after.time)}::timestamptz, ${where.param(after.id)})`,
        );
      }
      const { rows } = await context.sql.query<Row>(
        `SELECT * FROM ${table} WHERE ${where.text} ORDER BY occurred_at, event_id LIMIT ${limit + 1}`,
        where.params,
      );
      const entries = rows.map((row) => readRow(AuditEntry, row, TABLE, toEntry, keyOf));
      return toPage(entries, limit, (entry) => ({ time: entry.occurredAt, id: entry.eventId }));
    },
  };
}
