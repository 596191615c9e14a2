import type { Tenant } from './tenant.js';
import type { OperationOptions } from '../util/abort.js';

/**
 * Finds tenants by what identifies them in a request. Every lookup answers `null` for an unknown
 * value; callers reject the request then (see `resolveTenant`): there is no fallback tenant.
 *
 * @example
 * ```ts
 * declare const tenants: TenantDirectory;
 * // ---cut---
 * const tenant = await tenants.findByPhoneNumber('+493012345678');
 * if (!tenant) throw new Error('no tenant answers this number');
 * ```
 */
export interface TenantDirectory {
  get(tenantId: string, options?: OperationOptions): Promise<Tenant | null>;
  /** The tenant that owns the inbound number (E.164). */
  findByPhoneNumber(phone: string, options?: OperationOptions): Promise<Tenant | null>;
  /** The tenant of an API key (compared by its SHA-256 digest). */
  findByApiKey(apiKey: string, options?: OperationOptions): Promise<Tenant | null>;
  /** The tenant of a webhook route key. */
  findByRouteKey(routeKey: string, options?: OperationOptions): Promise<Tenant | null>;
}
