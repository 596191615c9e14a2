import { z } from 'zod';
import type { PostgresClockedStoreOptions } from './postgres-store-options.js';
import { integer, keyText, readRow, type Row } from './rows.js';
import { clockOption, createSqlContext, type SqlContext } from './sql-context.js';
import { SqlConditions } from './sql-query.js';
import type { Clock } from '../../ports/clock.js';
import type { OutboxMessage, OutboxStore } from '../../ports/outbox-store.js';
import { throwIfAborted } from '../../util/abort.js';
import { checkNumberOption, numberOption } from '../../util/options.js';
import { optionalTenantId, requireTenantId } from '../../util/tenant-id.js';
import { checkOutboxInputs } from '../memory/outbox-input.js';

const TABLE = 'bookingkit_outbox';

const Epoch = z.number().finite();
const StoredMessage = z.object({
  id: z.string(),
  position: z.number().int().positive(),
  eventId: z.string(),
  eventType: z.string(),
  listener: z.string(),
  tenantId: z.string(),
  orderingKey: z.string(),
  payload: z.string(),
  availableAt: Epoch,
  status: z.enum(['pending', 'delivered', 'dead']),
  attempts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  leaseOwner: z.string().nullable(),
  leaseExpiresAt: Epoch.nullable(),
  createdAt: Epoch,
  deliveredAt: Epoch.nullable(),
}) satisfies z.ZodType<OutboxMessage>;

function toMessage(row: Row): unknown {
  const position = integer(row.position);
  return {
    id: String(position),
    position,
    eventId: row.event_id,
    eventType: row.event_type,
    listener: row.listener,
    tenantId: row.tenant_id,
    orderingKey: row.ordering_key,
    payload: row.payload,
    availableAt: row.available_at,
    status: row.status,
    attempts: integer(row.attempts),
    lastError: row.last_error,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  };
}

const read = (rows: readonly Row[]): OutboxMessage[] =>
  rows
    .map((row) => readRow(StoredMessage, row, TABLE, toMessage, (r) => keyText(r.position)))
    .sort((a, b) => a.position - b.position);

/** Store ids are positions; anything else names no message. */
const positionOf = (id: string): string | null => (/^[1-9]\d{0,18}$/.test(id) ? id : null);

/** Rows the given owner still leases at `now` (the settling statements' shared guard). */
const OWNED = `position = $1::bigint AND status = 'pending' AND lease_owner = $2 AND lease_expires_at >= $3::float8`;

/**
 * The outbox store over an existing {@link SqlContext} (the pool, or one transaction).
 *
 * @internal
 */
export function outboxStore(context: SqlContext, clock: Clock): OutboxStore {
  const t = context.table(TABLE);
  const query = (text: string, params: readonly unknown[]) => context.sql.query<Row>(text, params);
  const write = (text: string, params: readonly unknown[]) => {
    context.assertWritable();
    return query(text, params);
  };
  const columns =
    'tenant_id, event_id, event_type, listener, ordering_key, payload, available_at, created_at';
  // One message (the common case: one event, one queued listener): a plain VALUES row, which the
  // server plans and runs in about half the time of the unnest below.
  const appendOneText =
    `INSERT INTO ${t} (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7::float8, $8::float8) ` +
    'ON CONFLICT (event_id, listener) DO NOTHING';
  // WITH ORDINALITY ... ORDER BY: positions follow the order of the messages.
  const appendManyText =
    `INSERT INTO ${t} (${columns}) SELECT ${columns} FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], ` +
    `$5::text[], $6::text[], $7::float8[], $8::float8[]) WITH ORDINALITY AS m(${columns}, n) ORDER BY n ` +
    'ON CONFLICT (event_id, listener) DO NOTHING';
  /** Appends: fixed texts, prepared where the client can. */
  const append = (text: string, params: readonly unknown[]) => {
    context.assertWritable();
    return context.sql.query(text, params, { prepare: true });
  };
  const claimText =
    `WITH picked AS (SELECT o.position FROM ${t} o WHERE o.status = 'pending' AND o.available_at <= $1::float8 ` +
    'AND (o.lease_expires_at IS NULL OR o.lease_expires_at < $1::float8) ' +
    // Head of line: only the earliest pending message of a (listener, ordering key) is claimable.
    `AND NOT EXISTS (SELECT 1 FROM ${t} e WHERE e.status = 'pending' AND e.listener = o.listener ` +
    'AND e.ordering_key = o.ordering_key AND e.position < o.position) ' +
    'ORDER BY o.position LIMIT $2::integer FOR UPDATE SKIP LOCKED) ' +
    `UPDATE ${t} m SET attempts = m.attempts + 1, lease_owner = $3, lease_expires_at = $1::float8 + $4::float8 ` +
    'FROM picked WHERE m.position = picked.position RETURNING m.*';

  return {
    async append(messages, options = {}) {
      throwIfAborted(options.signal);
      checkOutboxInputs(messages);
      if (messages.length === 0) return;
      if (messages.length === 1) {
        const [m] = messages as readonly [(typeof messages)[number]];
        await append(appendOneText, [
          m.tenantId,
          m.eventId,
          m.eventType,
          m.listener,
          m.orderingKey,
          m.payload,
          m.availableAt,
          clock.now(),
        ]);
        return;
      }
      const column = <K extends keyof (typeof messages)[number]>(key: K) => messages.map((m) => m[key]);
      await append(appendManyText, [
        ...(
          ['tenantId', 'eventId', 'eventType', 'listener', 'orderingKey', 'payload', 'availableAt'] as const
        ).map(column),
        messages.map(() => clock.now()),
      ]);
    },

    async scrub(filter, rewrite, options = {}) {
      throwIfAborted(options.signal);
      const tenantId = requireTenantId(filter.tenantId);
      if (filter.orderingKeys.length === 0) return 0;
      // Locked until the transaction ends (a relay's claim skips them); every rewrite runs before
      // the one write, so a rewrite that throws writes nothing.
      const { rows } = await (options.dryRun ? query : write)(
        `SELECT position, payload FROM ${t} WHERE tenant_id = $1 AND ordering_key = ANY($2::text[])` +
          (options.dryRun ? '' : ' FOR UPDATE'),
        [tenantId, [...filter.orderingKeys]],
      );
      const changed: { position: string; payload: string }[] = [];
      for (const row of rows) {
        const payload = rewrite(String(row.payload));
        if (payload !== row.payload) changed.push({ position: String(row.position), payload });
      }
      if (changed.length > 0 && !options.dryRun) {
        await write(
          `UPDATE ${t} m SET payload = u.payload FROM unnest($1::bigint[], $2::text[]) AS u(position, payload) ` +
            'WHERE m.position = u.position',
          [changed.map((c) => c.position), changed.map((c) => c.payload)],
        );
      }
      return changed.length;
    },

    async claim(request) {
      throwIfAborted(request.signal);
      const limit = numberOption('limit', request.limit, 0, { max: 100_000, integer: true });
      if (limit === 0) return [];
      const { rows } = await write(claimText, [request.now, limit, request.owner, request.leaseMs]);
      return read(rows);
    },

    async markDelivered(id, owner, options) {
      throwIfAborted(options.signal);
      const position = positionOf(id);
      if (position === null) return false;
      const result = await write(
        `UPDATE ${t} SET status = 'delivered', delivered_at = $3::float8, lease_owner = NULL, lease_expires_at = NULL WHERE ${OWNED}`,
        [position, owner, options.now],
      );
      return result.rowCount > 0;
    },

    async markFailed(id, failure) {
      throwIfAborted(failure.signal);
      const position = positionOf(id);
      if (position === null) return false;
      const result = await write(
        `UPDATE ${t} SET last_error = $4, lease_owner = NULL, lease_expires_at = NULL, ` +
          `status = CASE WHEN $5::float8 IS NULL THEN 'dead' ELSE 'pending' END, available_at = COALESCE($5::float8, available_at) ` +
          `WHERE ${OWNED}`,
        [position, failure.owner, failure.now, failure.error, failure.retryAt],
      );
      return result.rowCount > 0;
    },

    async list(filter = {}) {
      throwIfAborted(filter.signal);
      const limit = numberOption('limit', filter.limit, 100, { max: 100_000, integer: true });
      const where = new SqlConditions()
        .when(filter.status, (p) => `status = ${p}`)
        .when(filter.listener, (p) => `listener = ${p}`)
        .when(optionalTenantId(filter.tenantId), (p) => `tenant_id = ${p}`);
      const { rows } = await query(
        `SELECT * FROM ${t} WHERE ${where.text} ORDER BY position LIMIT ${limit}`,
        where.params,
      );
      return read(rows);
    },

    async replay(ids, options) {
      throwIfAborted(options.signal);
      const positions = ids.map(positionOf).filter((p) => p !== null);
      if (positions.length === 0) return 0;
      const result = await write(
        `UPDATE ${t} SET status = 'pending', attempts = 0, available_at = $2::float8, lease_owner = NULL, lease_expires_at = NULL ` +
          `WHERE position = ANY($1::bigint[]) AND status = 'dead'`,
        [positions, options.now],
      );
      return result.rowCount;
    },

    async purge(options) {
      throwIfAborted(options.signal);
      const before = checkNumberOption('deliveredBefore', options.deliveredBefore, {
        min: -Number.MAX_SAFE_INTEGER,
      });
      const result = await write(
        `DELETE FROM ${t} WHERE status = 'delivered' AND delivered_at < $1::float8`,
        [before],
      );
      return result.rowCount;
    },
  };
}

/**
 * Creates the Postgres {@link OutboxStore}: the durable queue behind queued event listeners.
 * Append it in the transaction of the state change (through `createPostgresStores`' unit of
 * work); any number of relays, in any number of processes, share the table: each claim locks its
 * rows with `FOR UPDATE SKIP LOCKED` and leases them, and only the earliest pending message of a
 * (listener, ordering key) is handed out, so per-aggregate order holds across relays.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a missing client or an invalid schema name.
 * @example
 * ```ts
 * declare const pool: PgPoolLike;
 * // ---cut---
 * const outbox = createPostgresOutboxStore({ sql: pgClient(pool) });
 * const bus = createEventBus({ catalog: bookingEvents, outbox });
 * createOutboxRelay({ bus, store: outbox }).start();
 * ```
 */
export function createPostgresOutboxStore(options: PostgresClockedStoreOptions): OutboxStore {
  return outboxStore(
    createSqlContext(options, 'createPostgresOutboxStore'),
    clockOption(options.clock, 'createPostgresOutboxStore'),
  );
}
