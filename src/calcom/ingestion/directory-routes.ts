import { TenantSuspendedError } from '../../tenancy/errors.js';
import type { TenantDirectory } from '../../tenancy/tenant-directory.js';
import type { OperationOptions } from '../../util/abort.js';
import { hasMethods, requireOption } from '../../util/options.js';
import type { CalcomWebhookRouteResolver } from './routes.js';

/** Options of {@link calcomRoutesFromDirectory}. */
export interface CalcomDirectoryRoutesOptions {
  /** Finds the tenant of a route key (`Tenant.routeKeys`). */
  readonly tenants: Pick<TenantDirectory, 'findByRouteKey'>;
  /**
   * The secret the tenant's Cal.com webhook subscription was registered with, `null` (or `''`)
   * when it has none, e.g. from the Cal.com credentials resolver:
   * `async (id) => (await credentials.resolve(id)).webhookSecret`.
   */
  readonly webhookSecret: (
    tenantId: string,
    options: OperationOptions,
  ) => Promise<string | null> | string | null;
}

/**
 * A {@link CalcomWebhookRouteResolver} over the tenant directory: the route key names the tenant
 * (`findByRouteKey`, unknown keys answer `null`), and `webhookSecret` gives its secret. A
 * suspended tenant's deliveries are refused with `TenantSuspendedError` (403), before their body
 * is read.
 *
 * @throws {@link bookingkit!InvalidOptionError} at creation for a missing `tenants` or `webhookSecret`.
 * @example
 * ```ts
 * declare const kit: BookingKit;
 * declare const credentials: { resolve(tenantId: string): Promise<{ webhookSecret: string }> };
 * // ---cut---
 * const routes = calcomRoutesFromDirectory({
 *   tenants: kit.tenants,
 *   webhookSecret: async (tenantId) => (await credentials.resolve(tenantId)).webhookSecret,
 * });
 * const route = await routes('rk_3f9a8c21', {}); // { tenantId, webhookSecret }, or null
 * // createCalcomWebhookHandler({ ...kit, routes })
 * ```
 */
export function calcomRoutesFromDirectory(options: CalcomDirectoryRoutesOptions): CalcomWebhookRouteResolver {
  const factory = 'calcomRoutesFromDirectory';
  const tenants = requireOption(
    factory,
    options,
    'tenants',
    'a TenantDirectory, e.g. kit.tenants',
    hasMethods('findByRouteKey'),
  );
  const webhookSecret = requireOption(
    factory,
    options,
    'webhookSecret',
    'a function from tenant id to its Cal.com webhook secret',
    (value) => typeof value === 'function',
  );
  return async (routeKey, callOptions) => {
    const tenant = await tenants.findByRouteKey(routeKey, callOptions);
    if (!tenant) return null;
    if (tenant.status === 'suspended') throw new TenantSuspendedError({ tenantId: tenant.id });
    const secret = await webhookSecret(tenant.id, callOptions);
    return { tenantId: tenant.id, webhookSecret: secret === '' ? null : secret };
  };
}
