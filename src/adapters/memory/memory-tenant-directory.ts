import { z } from 'zod';
import { ValidationError, parseWith, type ValidationIssue } from '../../errors/validation-error.js';
import type { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { hashApiKey } from '../../tenancy/api-key.js';
import { Tenant, type TenantInput } from '../../tenancy/tenant.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { requireOption } from '../../util/options.js';
import { requireTenantId } from '../../util/tenant-id.js';

/** Options of {@link createMemoryTenantDirectory}. */
export interface MemoryTenantDirectoryOptions {
  /**
   * Every tenant the directory knows; validated when the directory is created. A tenant without
   * a `locale` speaks `en`.
   */
  readonly tenants: readonly TenantInput[];
}

type IndexedField = 'id' | 'phoneNumbers' | 'apiKeyHashes' | 'routeKeys';

/** Builds one lookup index, reporting a value that two tenants claim. */
function indexBy(
  tenants: readonly Tenant[],
  field: IndexedField,
  issues: ValidationIssue[],
): Map<string, Tenant> {
  const index = new Map<string, Tenant>();
  tenants.forEach((tenant, position) => {
    const values = field === 'id' ? [tenant.id] : tenant[field];
    values.forEach((value, valuePosition) => {
      const owner = index.get(value);
      if (owner && owner !== tenant) {
        const path =
          field === 'id' ? `tenants.${position}.id` : `tenants.${position}.${field}.${valuePosition}`;
        issues.push({ path, message: `already belongs to tenant ${owner.id}` });
      } else {
        index.set(value, tenant);
      }
    });
  });
  return index;
}

/**
 * The embedded {@link TenantDirectory}: a fixed list of tenants, for tests, development and
 * deployments configured from a file. The list is validated when the directory is created (an
 * invalid field, or a phone number, API key, route key or id claimed by two tenants, is named in
 * the error), so a bad configuration fails at start-up, not on the first request.
 *
 * @throws {@link ValidationError} naming each bad field, e.g. `tenants.1.phoneNumbers.0`.
 * @throws `InvalidOptionError` naming `createMemoryTenantDirectory` when `tenants` is not an array.
 * @example
 * ```ts
 * const tenants = createMemoryTenantDirectory({
 *   tenants: [{ id: 'salon', name: 'Salon', status: 'active', timeZone: 'Europe/Berlin', calendarUnavailablePolicy: 'queue',
 *     phoneNumbers: ['+493012345678'], apiKeyHashes: [hashApiKey(process.env.SALON_API_KEY!)], routeKeys: ['salon-7f3a9c'] }],
 * });
 * ```
 */
export function createMemoryTenantDirectory(options: MemoryTenantDirectoryOptions): TenantDirectory {
  // A missing list is a wiring mistake (InvalidOptionError); a bad tenant in it is bad input
  // (ValidationError naming the field).
  requireOption(
    'createMemoryTenantDirectory',
    options,
    'tenants',
    'an array of Tenant records (it may be empty), e.g. [{ id, name, status, timeZone }]',
    Array.isArray,
  );
  const tenants = structuredClone(
    parseWith(z.object({ tenants: z.array(Tenant) }), options, 'tenant directory options').tenants,
  );
  const issues: ValidationIssue[] = [];
  const byId = indexBy(tenants, 'id', issues);
  const byPhone = indexBy(tenants, 'phoneNumbers', issues);
  const byKeyHash = indexBy(tenants, 'apiKeyHashes', issues);
  const byRouteKey = indexBy(tenants, 'routeKeys', issues);
  if (issues.length > 0) throw new ValidationError('tenant directory options', issues);

  const find = (
    index: Map<string, Tenant>,
    key: string,
    options: OperationOptions,
  ): Promise<Tenant | null> => {
    throwIfAborted(options.signal);
    const tenant = index.get(key);
    return Promise.resolve(tenant ? structuredClone(tenant) : null);
  };

  return {
    get: async (tenantId, opts = {}) => find(byId, requireTenantId(tenantId), opts),
    findByPhoneNumber: async (phone, opts = {}) => find(byPhone, phone, opts),
    findByApiKey: async (apiKey, opts = {}) => find(byKeyHash, hashApiKey(apiKey), opts),
    findByRouteKey: async (routeKey, opts = {}) => find(byRouteKey, routeKey, opts),
  };
}
