import type { z } from 'zod';
import { readRow, json, integer, type Row } from './rows.js';
import type { SqlContext } from './sql-context.js';
import { DuplicateRecordError, VersionConflictError } from '../../errors/store-errors.js';
import { ValidationError, parseWith } from '../../errors/validation-error.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { checkNumberOption } from '../../util/options.js';
import { isTrustedRecord } from '../../domain/trusted-record.js';

/** SQL types that record columns are sent as. @internal */
export type ColumnType = 'text' | 'text[]' | 'integer' | 'bigint' | 'timestamptz' | 'jsonb';

/** One column of a record table: its name, its type, and how to read it off a record. @internal */
export interface Column<T> {
  readonly name: string;
  readonly type: ColumnType;
  readonly value: (record: T) => unknown;
}

/** A record with the keys every record table shares. @internal */
export interface VersionedRecord {
  readonly tenantId: string;
  readonly id: string;
  readonly version: number;
}

/** How one record type is stored. @internal */
export interface RecordTableSpec<T extends VersionedRecord> {
  /** Unqualified table name, e.g. `bookingkit_calls`. */
  readonly table: string;
  /** Name of the record in errors, e.g. `Call`. */
  readonly entity: string;
  readonly schema: z.ZodType<T>;
  /** Every column, starting with `tenant_id` and `id`. */
  readonly columns: readonly Column<T>[];
  /**
   * The error for an insert that wrote nothing although its id was free: the unique index or
   * exclusion constraint in the way. @default the id is reported taken
   */
  readonly refused?: (record: T) => Promise<Error>;
  /**
   * How updates avoid the table's constraints, so that they need no savepoint in a transaction:
   * `none` (no constraint but the key can refuse an update), or a condition that holds exactly
   * when the updated row would break no constraint (placeholders `$G1`, `$G2`, ... take
   * `values(record)`; `$1` and `$2` are the tenant and id). An update it stops writes nothing and
   * is reported through `refused`. A concurrent transaction can still make the constraint refuse
   * the update; that error then fails the whole unit of work. @default updates run under a
   * savepoint, so a refused one leaves the transaction usable
   */
  readonly updateGuard?:
    | 'none'
    | {
        readonly condition: string;
        readonly values: (record: T) => unknown[];
        /**
         * A condition on the stored row (its columns unqualified; the same `$G` placeholders)
         * under which the update cannot break the constraint whatever it writes, e.g. a row that
         * stays where it is. The update then skips `condition` and the {@link updateLock}.
         * @default the condition and the lock apply to every update
         */
        readonly unless?: string;
      };
  /**
   * A key that an update takes a transaction-scoped advisory lock on before it writes, so that
   * concurrent updates with one key run one after another. For a table whose constraint several
   * updates can break at once (the double-booking rule): each one's constraint check would wait for
   * another's uncommitted row, and Postgres would break the cycle only after `deadlock_timeout`
   * (a second by default) by aborting one of them. Under the lock, a later update finds the earlier
   * one committed and is refused at once. @default no lock
   */
  readonly updateLock?: (record: T) => string;
  /** Builds the record (not yet validated) from a row. */
  readonly toRecord: (row: Row) => unknown;
}

/**
 * The statements every versioned record table needs, built once per table: insert unless the
 * key exists, update at an expected version, select, and read rows back through the schema.
 *
 * @internal
 */
export interface RecordTable<T extends VersionedRecord> {
  /** The qualified table name. */
  readonly name: string;
  /**
   * Validates (unless it is a {@link isTrustedRecord | trusted record}) and inserts `record` (at
   * version 1); `false` when its `(tenantId, id)` exists.
   */
  insertIfAbsent(record: T): Promise<boolean>;
  /**
   * Validates (unless it is trusted) and replaces the record stored at `expectedVersion` (the
   * record must carry `expectedVersion + 1`); `false` when there is none.
   */
  updateAt(record: T, expectedVersion: number): Promise<boolean>;
  /** The error for a failed versioned write, with the stored version when there is one. */
  versionConflict(record: T, expectedVersion: number): Promise<VersionConflictError>;
  /** Records matching `condition` (SQL after `WHERE`, then `ORDER BY`/`LIMIT` if any). */
  select(condition: string, params: readonly unknown[]): Promise<T[]>;
  /** The first record matching `condition`, or `null`. */
  first(condition: string, params: readonly unknown[], options: OperationOptions): Promise<T | null>;
  /**
   * Inserts a new record under a guard: {@link DuplicateRecordError} (`id`) when the key exists,
   * other refusals as `translate` says.
   */
  insert(record: T, translate: Translate, options: OperationOptions): Promise<void>;
  /** Replaces a record under a guard: {@link VersionConflictError} unless it is at `expectedVersion`. */
  update(record: T, expectedVersion: number, translate: Translate, options: OperationOptions): Promise<void>;
}

/** Turns a database error into the error a store throws (see {@link SqlContext.guard}). @internal */
export type Translate = (error: unknown) => Promise<unknown>;

function placeholder(type: ColumnType, index: number): string {
  return type === 'jsonb' ? `$${index}::text::jsonb` : `$${index}::${type}`;
}

function parameter<T>(column: Column<T>, record: T): unknown {
  const value = column.value(record);
  return column.type === 'jsonb' ? json(value) : value;
}

/**
 * The table's own statements are fixed per table and schema: prepared where the client can (not
 * `select`, whose `SELECT *` a migration adding a column would break for a prepared statement).
 */
const PREPARE = { prepare: true } as const;

/** The insert and update statements of a record table. */
interface Statements {
  readonly insert: string;
  readonly update: string;
}

/**
 * Statements by column list (one per table), then by qualified name and guard: a table's are
 * built once, not for every repository made over a transaction. Bounded per table (a process that
 * writes to many schemas rebuilds them now and then).
 */
const statementCache = new WeakMap<object, Map<string, Statements>>();
const STATEMENT_CACHE_SIZE = 64;

function statementsOf<T extends VersionedRecord>(name: string, spec: RecordTableSpec<T>): Statements {
  const guard = typeof spec.updateGuard === 'object' ? spec.updateGuard : undefined;
  const key = `${name}\u0000${guard?.condition ?? ''}\u0000${guard?.unless ?? ''}\u0000${spec.updateLock ? 1 : 0}`;
  let byKey = statementCache.get(spec.columns);
  if (!byKey) statementCache.set(spec.columns, (byKey = new Map<string, Statements>()));
  let statements = byKey.get(key);
  if (!statements) {
    if (byKey.size >= STATEMENT_CACHE_SIZE) byKey.clear();
    statements = buildStatements(name, spec);
    byKey.set(key, statements);
  }
  return statements;
}

function buildStatements<T extends VersionedRecord>(name: string, spec: RecordTableSpec<T>): Statements {
  const names = spec.columns.map((c) => c.name);
  const insert =
    `INSERT INTO ${name} (${names.join(', ')}) VALUES (${spec.columns.map((c, i) => placeholder(c.type, i + 1)).join(', ')}) ` +
    // Any key, unique index or exclusion constraint: a refused insert answers no row instead of
    // an error, so it needs no savepoint inside a transaction (`refused` tells what was in the way).
    'ON CONFLICT DO NOTHING';
  const updated = spec.columns.slice(2);
  const n = spec.columns.length;
  const lockKey = spec.updateLock;
  // Parameters: the columns, the expected version, the lock key (if any), the guard's values.
  const guardOffset = n + 1 + (lockKey ? 1 : 0);
  const guard = typeof spec.updateGuard === 'object' ? spec.updateGuard : undefined;
  const numbered = (condition: string) =>
    condition.replace(/\$G(\d+)/g, (_, i: string) => `$${guardOffset + Number(i)}`);
  // The lock is taken as the row is checked, before it is written; a scalar subquery is evaluated
  // only where the CASE below reaches it.
  const lock = lockKey
    ? `(SELECT true FROM pg_advisory_xact_lock(hashtextextended($${n + 2}::text, 0)))`
    : undefined;
  const checks = [lock, guard && `(${numbered(guard.condition)})`].filter((c) => c !== undefined);
  const check =
    checks.length === 0
      ? ''
      : guard?.unless === undefined
        ? ` AND ${checks.join(' AND ')}`
        : // CASE evaluates its branches in order: a row the condition clears takes no lock.
          ` AND CASE WHEN ${numbered(guard.unless)} THEN true ELSE ${checks.join(' AND ')} END`;
  const update =
    `UPDATE ${name} SET (${updated.map((c) => c.name).join(', ')}) = ` +
    `(${updated.map((c, i) => placeholder(c.type, i + 3)).join(', ')}) ` +
    `WHERE tenant_id = $1 AND id = $2 AND version = $${n + 1}::integer${check}`;
  return { insert, update };
}

/** @internal */
export function recordTable<T extends VersionedRecord>(
  context: SqlContext,
  spec: RecordTableSpec<T>,
): RecordTable<T> {
  const name = context.table(spec.table);
  const { insert: insertText, update: updateText } = statementsOf(name, spec);
  const lockKey = spec.updateLock;
  const guard = typeof spec.updateGuard === 'object' ? spec.updateGuard : undefined;
  const guardValues = guard ? guard.values : () => [];
  const lockValues = lockKey ? (record: T) => [lockKey(record)] : () => [];
  const versionText = `SELECT version FROM ${name} WHERE tenant_id = $1 AND id = $2`;
  const validate = (record: T, version: number): T => {
    // A record the domain code built from checked parts is written as it is (see trustedRecord).
    const parsed = isTrustedRecord(record) ? record : parseWith(spec.schema, record, spec.entity);
    if (parsed.version !== version) {
      throw new ValidationError(spec.entity, [
        { path: 'version', message: `Expected ${version}, got ${parsed.version}` },
      ]);
    }
    return parsed;
  };
  const values = (record: T): unknown[] => spec.columns.map((column) => parameter(column, record));
  const duplicateId = (record: T) =>
    new DuplicateRecordError({ entity: spec.entity, field: 'id', value: record.id });
  const idText = `SELECT 1 FROM ${name} WHERE tenant_id = $1 AND id = $2`;
  /** Why an insert wrote nothing: the id is taken, or else what the spec finds in the way. */
  const refused = async (record: T): Promise<Error> => {
    if (!spec.refused) return duplicateId(record);
    const { rows } = await context.sql.query(idText, [record.tenantId, record.id], PREPARE);
    return rows.length > 0 ? duplicateId(record) : spec.refused(record);
  };

  const table: RecordTable<T> = {
    name,
    async insertIfAbsent(record) {
      context.assertWritable();
      const result = await context.sql.query(insertText, values(validate(record, 1)), PREPARE);
      return result.rowCount > 0;
    },
    async updateAt(record, expectedVersion) {
      context.assertWritable();
      checkNumberOption('expectedVersion', expectedVersion, { min: 1, integer: true });
      const result = await context.sql.query(
        updateText,
        [
          ...values(validate(record, expectedVersion + 1)),
          expectedVersion,
          ...lockValues(record),
          ...guardValues(record),
        ],
        PREPARE,
      );
      return result.rowCount > 0;
    },
    async versionConflict(record, expectedVersion) {
      const { rows } = await context.sql.query<{ version: unknown }>(
        versionText,
        [record.tenantId, record.id],
        PREPARE,
      );
      const actual = rows[0] === undefined ? null : integer(rows[0].version);
      return new VersionConflictError({
        entity: spec.entity,
        id: record.id,
        expectedVersion,
        actualVersion: typeof actual === 'number' ? actual : null,
      });
    },
    async select(condition, params) {
      const { rows } = await context.sql.query<Row>(`SELECT * FROM ${name} WHERE ${condition}`, params);
      return rows.map((row) => readRow(spec.schema, row, spec.table, spec.toRecord));
    },
    async first(condition, params, options) {
      throwIfAborted(options.signal);
      const [found] = await table.select(`${condition} LIMIT 1`, params);
      return found ?? null;
    },
    async insert(record, translate, options) {
      throwIfAborted(options.signal);
      const inserted = await context.unrefused(() => table.insertIfAbsent(record), translate);
      if (!inserted) throw await refused(record);
    },
    async update(record, expectedVersion, translate, options) {
      throwIfAborted(options.signal);
      if (spec.updateGuard === undefined) {
        const updated = await context.guard(() => table.updateAt(record, expectedVersion), translate);
        if (!updated) throw await table.versionConflict(record, expectedVersion);
        return;
      }
      const updated = await context.unrefused(() => table.updateAt(record, expectedVersion), translate);
      if (updated) return;
      const conflict = await table.versionConflict(record, expectedVersion);
      // At the expected version, it was the guard that stopped the update.
      if (conflict.context.actualVersion === expectedVersion && spec.refused)
        throw await spec.refused(record);
      throw conflict;
    },
  };
  return table;
}
