import type { PostgresStoreOptions } from './postgres-store-options.js';
import { keyText, readRow, type Row } from './rows.js';
import { createSqlContext } from './sql-context.js';
import { UNIQUE_VIOLATION, sqlState } from './sql-errors.js';
import { DuplicateRecordError } from '../../errors/store-errors.js';
import { parseWith } from '../../errors/validation-error.js';
import type { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { hashApiKey } from '../../tenancy/api-key.js';
import { Tenant, type TenantInput } from '../../tenancy/tenant.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { requireTenantId } from '../../util/tenant-id.js';

const TABLE = 'bookingkit_tenants';

/** The identifiers of a tenant, by the kind stored in `bookingkit_tenant_keys`. */
const KINDS = [
  ['phone', 'phoneNumbers'],
  ['api_key', 'apiKeyHashes'],
  ['route_key', 'routeKeys'],
] as const satisfies readonly (readonly [string, keyof Tenant])[];

type Kind = (typeof KINDS)[number][0];

/** A {@link TenantDirectory} whose tenants are kept in Postgres, with the writes to manage them. */
export interface PostgresTenantDirectory extends TenantDirectory {
  /**
   * Inserts or replaces a tenant, with its inbound numbers, API key digests and route keys. A
   * tenant without a `locale` is stored with `en`.
   * @throws {@link bookingkit!ValidationError} for an invalid tenant; {@link DuplicateRecordError} when
   * another tenant already has one of its numbers or keys (nothing is changed then).
   */
  save(tenant: TenantInput, options?: OperationOptions): Promise<void>;
  /** Removes a tenant and its numbers and keys. `false` when it was not there. */
  remove(tenantId: string, options?: OperationOptions): Promise<boolean>;
}

function toTenant(row: Row): unknown {
  return {
    id: row.tenant_id,
    name: row.name,
    status: row.status,
    timeZone: row.time_zone,
    calendarUnavailablePolicy: row.calendar_unavailable_policy,
    locale: row.locale,
    phoneNumbers: row.phone_numbers,
    apiKeyHashes: row.api_key_hashes,
    routeKeys: row.route_keys,
  };
}

/**
 * Creates the Postgres {@link TenantDirectory}. Each inbound number, API key digest and route key
 * belongs to one tenant (a unique key table enforces it), and lookups answer `null` for anything
 * unknown: there is no fallback tenant. Tenants are managed with `save` and `remove`.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a missing client or an invalid schema name.
 * @example
 * ```ts
 * declare const pool: PgPoolLike;
 * declare const tenant: Tenant;
 * declare const apiKey: string;
 * // ---cut---
 * const tenants = createPostgresTenantDirectory({ sql: pgClient(pool) });
 * await tenants.save({ ...tenant, apiKeyHashes: [hashApiKey(apiKey)] });
 * const caller = await tenants.findByPhoneNumber('+493012345678');
 * ```
 */
export function createPostgresTenantDirectory(options: PostgresStoreOptions): PostgresTenantDirectory {
  const context = createSqlContext(options, 'createPostgresTenantDirectory');
  const tenants = context.table(TABLE);
  const keys = context.table('bookingkit_tenant_keys');
  const read = (rows: readonly Row[]): Tenant | null => {
    const [row] = rows;
    return row === undefined ? null : readRow(Tenant, row, TABLE, toTenant, (r) => keyText(r.tenant_id));
  };
  const findBy = async (kind: Kind, value: string, opts: OperationOptions): Promise<Tenant | null> => {
    throwIfAborted(opts.signal);
    const { rows } = await context.sql.query<Row>(
      `SELECT t.* FROM ${keys} k JOIN ${tenants} t ON t.tenant_id = k.tenant_id WHERE k.kind = $1 AND k.value = $2`,
      [kind, value],
    );
    return read(rows);
  };
  const entries = (tenant: Tenant) =>
    KINDS.flatMap(([kind, field]) => tenant[field].map((value) => [kind, value] as const));

  /** The first number or key of `tenant` that another tenant holds, to name in the error. */
  const takenKey = async (tenant: Tenant) => {
    const pairs = entries(tenant);
    const { rows } = await context.sql.query<{ kind: Kind; value: string }>(
      `SELECT kind, value FROM ${keys} WHERE (kind, value) IN (SELECT * FROM unnest($1::text[], $2::text[])) AND tenant_id <> $3 LIMIT 1`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1]), tenant.id],
    );
    const taken = rows[0];
    const field = KINDS.find(([kind]) => kind === taken?.kind)?.[1] ?? 'key';
    return new DuplicateRecordError({ entity: 'Tenant', field, value: taken?.value ?? '' });
  };

  return {
    async get(tenantId, opts = {}) {
      throwIfAborted(opts.signal);
      const id = requireTenantId(tenantId);
      return read((await context.sql.query<Row>(`SELECT * FROM ${tenants} WHERE tenant_id = $1`, [id])).rows);
    },
    findByPhoneNumber: (phone, opts = {}) => findBy('phone', phone, opts),
    findByApiKey: (apiKey, opts = {}) => findBy('api_key', hashApiKey(apiKey), opts),
    findByRouteKey: (routeKey, opts = {}) => findBy('route_key', routeKey, opts),

    async save(input, opts = {}) {
      throwIfAborted(opts.signal);
      const tenant = parseWith(Tenant, input, 'Tenant');
      const pairs = entries(tenant);
      try {
        await context.sql.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO ${tenants} (tenant_id, name, status, time_zone, calendar_unavailable_policy, phone_numbers, api_key_hashes, route_keys, locale) ` +
              'VALUES ($1, $2, $3, $4, $5, $6::text[], $7::text[], $8::text[], $9) ON CONFLICT (tenant_id) DO UPDATE SET ' +
              'name = EXCLUDED.name, status = EXCLUDED.status, time_zone = EXCLUDED.time_zone, ' +
              'calendar_unavailable_policy = EXCLUDED.calendar_unavailable_policy, phone_numbers = EXCLUDED.phone_numbers, ' +
              'api_key_hashes = EXCLUDED.api_key_hashes, route_keys = EXCLUDED.route_keys, locale = EXCLUDED.locale',
            [
              tenant.id,
              tenant.name,
              tenant.status,
              tenant.timeZone,
              tenant.calendarUnavailablePolicy,
              tenant.phoneNumbers,
              tenant.apiKeyHashes,
              tenant.routeKeys,
              tenant.locale,
            ],
          );
          await tx.query(`DELETE FROM ${keys} WHERE tenant_id = $1`, [tenant.id]);
          await tx.query(
            `INSERT INTO ${keys} (kind, value, tenant_id) SELECT DISTINCT kind, value, $3 FROM unnest($1::text[], $2::text[]) AS k(kind, value)`,
            [pairs.map((p) => p[0]), pairs.map((p) => p[1]), tenant.id],
          );
        });
      } catch (error) {
        if (sqlState(error) === UNIQUE_VIOLATION) throw await takenKey(tenant);
        throw error;
      }
    },

    async remove(tenantId, opts = {}) {
      throwIfAborted(opts.signal);
      const id = requireTenantId(tenantId);
      const result = await context.sql.query(`DELETE FROM ${tenants} WHERE tenant_id = $1`, [id]);
      return result.rowCount > 0;
    },
  };
}
