import type { PostgresClockedStoreOptions } from './postgres-store-options.js';
import { clockOption, createSqlContext } from './sql-context.js';
import { ValidationError } from '../../errors/validation-error.js';
import type { AvailabilityCache } from '../../ports/availability-cache.js';
import { throwIfAborted } from '../../util/abort.js';
import { checkNumberOption } from '../../util/options.js';
import { requireTenantId } from '../../util/tenant-id.js';

/** The value as JSON text, or a ValidationError saying why it cannot be cached. */
function toJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new ValidationError(
      'cache value',
      [{ path: '', message: `is not JSON-serialisable: ${String(error)}` }],
      { cause: error },
    );
  }
  if (text === undefined)
    throw new ValidationError('cache value', [{ path: '', message: 'is not JSON-serialisable' }]);
  // jsonb cannot hold the NUL character.
  if (text.includes('\\u0000'))
    throw new ValidationError('cache value', [{ path: '', message: 'contains a NUL character' }]);
  return text;
}

/**
 * Creates the Postgres {@link AvailabilityCache}: entries in `bookingkit_availability_cache`
 * (jsonb value, tags as `text[]` with a GIN index), scoped by tenant. Expired entries are never
 * read, and are cleared from the tenant on each `set`. For a cache shared by many instances
 * without database load, prefer the Redis adapter; this one needs nothing but the database.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a missing client, an invalid schema name or clock.
 * @example
 * ```ts
 * declare const pool: PgPoolLike;
 * declare const tenantId: string;
 * declare const eventTypeId: string;
 * declare const day: string;
 * declare const slots: TimeRange[];
 * // ---cut---
 * const cache = createPostgresAvailabilityCache({ sql: pgClient(pool) });
 * await cache.set(tenantId, `slots:${eventTypeId}:${day}`, slots, { ttlMs: 60_000, tags: [`eventType:${eventTypeId}`] });
 * ```
 */
export function createPostgresAvailabilityCache(options: PostgresClockedStoreOptions): AvailabilityCache {
  const context = createSqlContext(options, 'createPostgresAvailabilityCache');
  const clock = clockOption(options.clock, 'createPostgresAvailabilityCache');
  const cache = context.table('bookingkit_availability_cache');

  return {
    async get(tenantId, key, opts = {}) {
      throwIfAborted(opts.signal);
      const { rows } = await context.sql.query<{ value: unknown }>(
        `SELECT value FROM ${cache} WHERE tenant_id = $1 AND key = $2 AND expires_at > $3::float8`,
        [requireTenantId(tenantId), key, clock.now()],
      );
      return rows[0]?.value;
    },

    async set(tenantId, key, value, entry) {
      throwIfAborted(entry.signal);
      const tenant = requireTenantId(tenantId);
      const ttl = checkNumberOption('ttlMs', entry.ttlMs, { min: 1, integer: true });
      const text = toJson(value);
      const now = clock.now();
      await context.sql.query(
        `WITH expired AS (DELETE FROM ${cache} WHERE tenant_id = $1 AND expires_at <= $5::float8 AND key <> $2) ` +
          `INSERT INTO ${cache} (tenant_id, key, value, tags, expires_at) VALUES ($1, $2, $3::text::jsonb, $4::text[], $5::float8 + $6::float8) ` +
          'ON CONFLICT (tenant_id, key) DO UPDATE SET value = EXCLUDED.value, tags = EXCLUDED.tags, expires_at = EXCLUDED.expires_at',
        [tenant, key, text, [...entry.tags], now, ttl],
      );
    },

    async invalidateTags(tenantId, tags, opts = {}) {
      throwIfAborted(opts.signal);
      const tenant = requireTenantId(tenantId);
      if (tags.length === 0) return;
      await context.sql.query(`DELETE FROM ${cache} WHERE tenant_id = $1 AND tags && $2::text[]`, [
        tenant,
        [...tags],
      ]);
    },
  };
}
