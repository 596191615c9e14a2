import type { z } from 'zod';
import { CorruptRecordError } from '../../errors/store-errors.js';
import { formatValidationIssues, toValidationIssues } from '../../errors/validation-error.js';

/** A row as a driver returns it. @internal */
export type Row = Record<string, unknown>;

/**
 * A `timestamptz` value (a `Date` from pg and PGlite, or text from a driver set up to return
 * text) as an ISO string in UTC with milliseconds; anything else is returned as it is, for the
 * record's schema to reject.
 *
 * @internal
 */
export function instant(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? value : value.toISOString();
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? value : new Date(ms).toISOString();
  }
  return value;
}

/**
 * An integer column (`bigint` comes back as text from pg, as a number or bigint from PGlite) as a
 * number; anything that is not a safe integer is returned as it is, for the schema to reject.
 *
 * @internal
 */
export function integer(value: unknown): unknown {
  if (typeof value === 'bigint')
    return value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER ? Number(value) : value;
  if (typeof value === 'string' && /^-?\d{1,16}$/.test(value)) {
    const parsed = Number(value);
    return Number.isSafeInteger(parsed) ? parsed : value;
  }
  return value;
}

/** Where a row was read, for {@link CorruptRecordError}. @internal */
export interface RowSource {
  /** The table, e.g. `bookingkit_appointments`. */
  readonly table: string;
  /** The row's key, e.g. `tenant-a/appt-1`. */
  readonly key: string | null;
}

/**
 * Validates a record built from a row with the record's zod schema.
 *
 * @throws {@link CorruptRecordError} naming the table, the key and each bad field.
 * @internal
 */
export function parseRecord<S extends z.ZodType>(schema: S, record: unknown, source: RowSource): z.output<S> {
  const parsed = schema.safeParse(record);
  if (parsed.success) return parsed.data;
  throw new CorruptRecordError(
    {
      store: `postgres:${source.table}`,
      key: source.key,
      problem: formatValidationIssues(toValidationIssues(parsed.error.issues)),
    },
    { cause: parsed.error },
  );
}

/**
 * Maps a row to a record and validates it. A mapping that throws (a column of an unexpected
 * shape) is reported as a corrupt record too, never as a crash.
 *
 * @throws {@link CorruptRecordError}
 * @internal
 */
export function readRow<S extends z.ZodType>(
  schema: S,
  row: Row,
  table: string,
  toRecord: (row: Row) => unknown,
  keyOf: (row: Row) => string | null = tenantKey,
): z.output<S> {
  const key = keyOf(row);
  let record: unknown;
  try {
    record = toRecord(row);
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    throw new CorruptRecordError({ store: `postgres:${table}`, key, problem }, { cause: error });
  }
  return parseRecord(schema, record, { table, key });
}

/** A key column as text for error messages, or `null` when it is missing. @internal */
export function keyText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint'
    ? String(value)
    : JSON.stringify(value);
}

/** The key of a row keyed by `(tenant_id, id)`, as `tenant/id`. @internal */
export function tenantKey(row: Row): string | null {
  const id = keyText(row.id);
  const tenantId = keyText(row.tenant_id);
  if (id === null) return null;
  return tenantId === null ? id : `${tenantId}/${id}`;
}

/**
 * Serialises a value for a `$n::text::jsonb` parameter (drivers disagree on how they send JS
 * arrays and objects, so bookingkit always sends JSON text).
 *
 * @internal
 */
export function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
