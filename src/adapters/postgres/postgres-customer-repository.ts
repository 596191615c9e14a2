import type { PostgresStoreOptions } from './postgres-store-options.js';
import { recordTable, type Column } from './record-table.js';
import { instant, integer, type Row } from './rows.js';
import { createSqlContext, type SqlContext } from './sql-context.js';
import { UNIQUE_VIOLATION, sqlState, violatedConstraint } from './sql-errors.js';
import { Customer } from '../../domain/customer.js';
import { DuplicateRecordError } from '../../errors/store-errors.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import { throwIfAborted } from '../../util/abort.js';
import { requireTenantId } from '../../util/tenant-id.js';

const TABLE = 'bookingkit_customers';

const COLUMNS: readonly Column<Customer>[] = [
  { name: 'tenant_id', type: 'text', value: (c) => c.tenantId },
  { name: 'id', type: 'text', value: (c) => c.id },
  { name: 'name', type: 'text', value: (c) => c.name },
  { name: 'email', type: 'text', value: (c) => c.email },
  { name: 'phone', type: 'text', value: (c) => c.phone },
  { name: 'locale', type: 'text', value: (c) => c.locale },
  { name: 'merged_into', type: 'text', value: (c) => c.mergedInto },
  { name: 'stats', type: 'jsonb', value: (c) => c.stats },
  { name: 'version', type: 'integer', value: (c) => c.version },
  { name: 'created_at', type: 'timestamptz', value: (c) => c.createdAt },
  { name: 'updated_at', type: 'timestamptz', value: (c) => c.updatedAt },
];

function toRecord(row: Row): unknown {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    locale: row.locale,
    mergedInto: row.merged_into,
    stats: row.stats,
    version: integer(row.version),
    createdAt: instant(row.created_at),
    updatedAt: instant(row.updated_at),
  };
}

/** The unique indexes of the table, and the field each one guards. */
const UNIQUE_FIELDS: Readonly<Record<string, 'phone' | 'email'>> = {
  bookingkit_customers_phone_key: 'phone',
  bookingkit_customers_email_key: 'email',
};

const translate = (customer: Customer) => async (error: unknown) => {
  const field =
    sqlState(error) === UNIQUE_VIOLATION ? UNIQUE_FIELDS[violatedConstraint(error) ?? ''] : undefined;
  if (field === undefined) return error;
  return new DuplicateRecordError(
    { entity: 'Customer', field, value: customer[field] ?? '' },
    { cause: error },
  );
};

/**
 * The customer repository over an existing {@link SqlContext} (the pool, or one transaction).
 *
 * @internal
 */
export function customerRepository(context: SqlContext): CustomerRepository {
  const table = recordTable(context, {
    table: TABLE,
    entity: 'Customer',
    schema: Customer,
    columns: COLUMNS,
    toRecord,
    refused: async (customer) => {
      // The unique indexes on phone and email (among customers not merged away) are the others.
      const { rows } = await context.sql.query<{ phone_taken: boolean }>(
        `SELECT phone = $2 AS phone_taken FROM ${context.table(TABLE)} ` +
          'WHERE tenant_id = $1 AND merged_into IS NULL AND (phone = $2 OR lower(email) = lower($3)) ' +
          'ORDER BY phone = $2 DESC LIMIT 1',
        [customer.tenantId, customer.phone, customer.email],
      );
      const field = rows[0]?.phone_taken === false ? 'email' : 'phone';
      return new DuplicateRecordError({ entity: 'Customer', field, value: customer[field] ?? '' });
    },
  });
  const byKey = 'tenant_id = $1 AND id = $2';
  return {
    insert: (customer, options = {}) => table.insert(customer, translate(customer), options),
    insertIfAbsent: async (customer, options = {}) => {
      throwIfAborted(options.signal);
      return context.unrefused(() => table.insertIfAbsent(customer), translate(customer));
    },
    update: (customer, expectedVersion, options = {}) =>
      table.update(customer, expectedVersion, translate(customer), options),
    get: async (tenantId, id, options = {}) => table.first(byKey, [requireTenantId(tenantId), id], options),
    findByPhone: async (tenantId, phone, options = {}) =>
      table.first(
        'tenant_id = $1 AND phone = $2 AND merged_into IS NULL',
        [requireTenantId(tenantId), phone],
        options,
      ),
    findByEmail: async (tenantId, email, options = {}) =>
      table.first(
        'tenant_id = $1 AND lower(email) = lower($2) AND merged_into IS NULL',
        [requireTenantId(tenantId), email],
        options,
      ),
  };
}

/**
 * Creates the Postgres {@link CustomerRepository}. Phone and email are unique among a tenant's
 * unmerged customers through partial unique indexes (email compared lower-case), so concurrent
 * inserts of one caller's number cannot create two customers.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a missing client or an invalid schema name.
 * @example
 * ```ts
 * declare const pool: PgPoolLike;
 * declare const tenantId: string;
 * // ---cut---
 * const customers = createPostgresCustomerRepository({ sql: pgClient(pool) });
 * const known = await customers.findByPhone(tenantId, '+493012345678');
 * ```
 */
export function createPostgresCustomerRepository(options: PostgresStoreOptions): CustomerRepository {
  return customerRepository(createSqlContext(options, 'createPostgresCustomerRepository'));
}
