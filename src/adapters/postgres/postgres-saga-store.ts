import type { PostgresStoreOptions } from './postgres-store-options.js';
import { integer, json, readRow, type Row } from './rows.js';
import { createSqlContext, type SqlContext } from './sql-context.js';
import { SqlConditions } from './sql-query.js';
import { VersionConflictError } from '../../errors/store-errors.js';
import { PURGEABLE_SAGA_STATES, SagaRecord, type SagaStore } from '../../saga/saga-store.js';
import { throwIfAborted } from '../../util/abort.js';
import { checkNumberOption, numberOption } from '../../util/options.js';
import { optionalTenantId } from '../../util/tenant-id.js';

const TABLE = 'bookingkit_sagas';
const LIVE = `state IN ('running', 'compensating')`;
const PURGEABLE = `state IN (${PURGEABLE_SAGA_STATES.map((state) => `'${state}'`).join(', ')})`;
/** `finished_at` (migration 021): the time of the write that made the saga final, else null. */
const finishedAt = (state: string, time: string): string =>
  `CASE WHEN ${state} IN ('completed', 'compensated', 'failed', 'compensation_failed') THEN ${time} END`;
const COLUMNS =
  'id, tenant_id, name, state, input, steps, failed_step, error, lease_owner, lease_expires_at, recoveries, version, created_at, updated_at';

/** A `json` column: parsed by pg and PGlite, text from a driver set up to return text. */
function parsed(value: unknown): unknown {
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}

function toRecord(row: Row): unknown {
  return {
    id: row.id,
    name: row.name,
    tenantId: row.tenant_id,
    state: row.state,
    input: parsed(row.input),
    steps: parsed(row.steps),
    failedStep: row.failed_step,
    error: parsed(row.error),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    recoveries: integer(row.recoveries),
    version: integer(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const read = (row: Row): SagaRecord =>
  readRow(SagaRecord, row, TABLE, toRecord, (r) => (typeof r.id === 'string' ? r.id : null));

/**
 * The saga store over an existing {@link SqlContext} (the pool, or one transaction).
 *
 * @internal
 */
export function sagaStore(context: SqlContext): SagaStore {
  const t = context.table(TABLE);
  const query = (text: string, params: readonly unknown[]) => context.sql.query<Row>(text, params);
  /** A fixed statement of this store (its columns named): prepared where the client can. */
  const prepared = (text: string, params: readonly unknown[]) =>
    context.sql.query<Row>(text, params, { prepare: true });
  const selectText = `SELECT ${COLUMNS} FROM ${t} WHERE id = $1`;
  const selectOne = async (id: string): Promise<SagaRecord | undefined> => {
    const { rows } = await prepared(selectText, [id]);
    return rows[0] === undefined ? undefined : read(rows[0]);
  };
  const insertText =
    `INSERT INTO ${t} (${COLUMNS}, finished_at) VALUES ($1, $2, $3, $4, $5::json, $6::json, $7, $8::json, $9, ` +
    `$10::float8, $11::integer, $12::integer, $13::float8, $14::float8, ${finishedAt('$4', '$14::float8')}) ` +
    'ON CONFLICT (id) DO NOTHING';
  // One statement per transition: the version and lease-owner checks travel with the write.
  const saveText =
    `UPDATE ${t} SET state = $4, steps = $5::json, failed_step = $6, error = $7::json, lease_owner = $8, ` +
    'lease_expires_at = $9::float8, updated_at = $10::float8, version = version + 1, ' +
    `finished_at = ${finishedAt('$4', '$10::float8')} ` +
    'WHERE id = $1 AND version = $2::integer AND lease_owner = $3 AND tenant_id IS NOT DISTINCT FROM $11';

  return {
    async create(record, options = {}) {
      throwIfAborted(options.signal);
      const r = record;
      const inserted = await prepared(insertText, [
        r.id,
        r.tenantId,
        r.name,
        r.state,
        json(r.input) ?? 'null',
        json(r.steps),
        r.failedStep,
        json(r.error),
        r.leaseOwner,
        r.leaseExpiresAt,
        r.recoveries,
        r.version,
        r.createdAt,
        r.updatedAt,
      ]);
      if (inserted.rowCount > 0) return { record, created: true };
      const existing = await selectOne(record.id);
      // Only a concurrent delete could make it vanish; report that as the conflict it is.
      if (!existing)
        throw new VersionConflictError({
          entity: 'saga',
          id: record.id,
          expectedVersion: record.version,
          actualVersion: null,
        });
      return { record: existing, created: false };
    },

    async get(id, options = {}) {
      throwIfAborted(options.signal);
      return selectOne(id);
    },

    async save(record, options) {
      throwIfAborted(options.signal);
      const r = record;
      const result = await prepared(saveText, [
        r.id,
        r.version,
        options.owner,
        r.state,
        json(r.steps),
        r.failedStep,
        json(r.error),
        r.leaseOwner,
        r.leaseExpiresAt,
        r.updatedAt,
        r.tenantId,
      ]);
      if (result.rowCount === 0) {
        const { rows } = await query(`SELECT version FROM ${t} WHERE id = $1`, [r.id]);
        const actual = rows[0] === undefined ? null : Number(integer(rows[0].version));
        throw new VersionConflictError({
          entity: 'saga',
          id: r.id,
          expectedVersion: r.version,
          actualVersion: actual,
        });
      }
      return { ...record, version: record.version + 1 };
    },

    async claim(request) {
      throwIfAborted(request.signal);
      const limit = numberOption('limit', request.limit, 0, { integer: true, max: 10_000 });
      if (limit === 0 || request.names.length === 0) return [];
      const where = new SqlConditions();
      const now = `${where.param(request.now)}::float8`;
      where
        .add(LIVE)
        .add(`name = ANY(${where.param([...request.names])}::text[])`)
        .add(`(lease_expires_at IS NULL OR lease_expires_at < ${now})`)
        .when(request.id, (p) => `id = ${p}`);
      const { rows } = await query(
        `WITH picked AS (SELECT id FROM ${t} WHERE ${where.text} ` +
          `ORDER BY lease_expires_at NULLS FIRST, id LIMIT ${limit} FOR UPDATE SKIP LOCKED) ` +
          `UPDATE ${t} s SET lease_owner = ${where.param(request.owner)}, lease_expires_at = ${now} + ${where.param(request.leaseMs)}::float8, ` +
          `updated_at = ${now}, version = s.version + 1, recoveries = s.recoveries + 1 ` +
          `FROM picked WHERE s.id = picked.id RETURNING ${COLUMNS.replace(/(\w+)/g, 's.$1')}`,
        where.params,
      );
      // The lease expiry is the same for every claimed row: order by id, as the listing does.
      return rows.map(read).sort((a, b) => Buffer.compare(Buffer.from(a.id), Buffer.from(b.id)));
    },

    async list(filter = {}) {
      throwIfAborted(filter.signal);
      const limit = numberOption('limit', filter.limit, 100, { integer: true, max: 10_000 });
      const where = new SqlConditions()
        .when(filter.states, (p) => `state = ANY(${p}::text[])`)
        .when(filter.name, (p) => `name = ${p}`)
        .when(optionalTenantId(filter.tenantId), (p) => `tenant_id = ${p}`)
        .when(filter.leaseExpiredBefore, (p) => `lease_expires_at < ${p}::float8`)
        .when(filter.afterId, (p) => `id > ${p}`);
      const { rows } = await query(
        `SELECT ${COLUMNS} FROM ${t} WHERE ${where.text} ORDER BY id LIMIT ${limit}`,
        where.params,
      );
      return rows.map(read);
    },

    async purge(options) {
      throwIfAborted(options.signal);
      const before = checkNumberOption('finishedBefore', options.finishedBefore, {
        min: -Number.MAX_SAFE_INTEGER,
      });
      const where = new SqlConditions().add(PURGEABLE);
      where.add(`finished_at < ${where.param(before)}::float8`).when(options.id, (p) => `id = ${p}`);
      const result = await query(`DELETE FROM ${t} WHERE ${where.text}`, where.params);
      return result.rowCount;
    },
  };
}

/**
 * Creates the Postgres {@link SagaStore}: the saga coordinator's durable log, one row per saga.
 * Each transition is a single `UPDATE` that checks the version and the lease owner in its
 * `WHERE` clause (one round trip); recovering coordinators claim expired leases with
 * `FOR UPDATE SKIP LOCKED`, so each saga goes to one of them.
 *
 * @throws `InvalidOptionError` for a missing client or an invalid schema name.
 * @example
 * ```ts
 * declare const pool: PgPoolLike;
 * declare const bookSaga: RegisteredSaga;
 * // ---cut---
 * const store = createPostgresSagaStore({ sql: pgClient(pool), schema: 'booking' });
 * const coordinator = createSagaCoordinator({ store, sagas: [bookSaga] });
 * await coordinator.recover();
 * ```
 */
export function createPostgresSagaStore(options: PostgresStoreOptions): SagaStore {
  return sagaStore(createSqlContext(options, 'createPostgresSagaStore'));
}
