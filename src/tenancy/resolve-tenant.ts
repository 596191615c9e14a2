import { maskPhoneNumber } from '../domain/phone-number.js';
import type { TenantDirectory } from './tenant-directory.js';
import type { OperationOptions } from '../util/abort.js';
import { TenantSuspendedError, UnknownTenantError } from './errors.js';
import type { Tenant } from './tenant.js';

/** What identifies the tenant of a request: exactly one of its id, inbound number, API key or route key. */
export type TenantLookup =
  | { readonly tenantId: string }
  | { readonly phoneNumber: string }
  | { readonly apiKey: string }
  | { readonly routeKey: string };

function safeValue(by: TenantLookup): UnknownTenantError['context'] {
  if ('tenantId' in by) return { by: 'tenantId', value: by.tenantId };
  if ('phoneNumber' in by) return { by: 'phoneNumber', value: maskPhoneNumber(by.phoneNumber) };
  if ('apiKey' in by) return { by: 'apiKey', value: null };
  return { by: 'routeKey', value: `${by.routeKey.slice(0, 4)}…` };
}

function lookUp(
  directory: TenantDirectory,
  by: TenantLookup,
  options: OperationOptions,
): Promise<Tenant | null> {
  if ('tenantId' in by) return directory.get(by.tenantId, options);
  if ('phoneNumber' in by) return directory.findByPhoneNumber(by.phoneNumber, options);
  if ('apiKey' in by) return directory.findByApiKey(by.apiKey, options);
  return directory.findByRouteKey(by.routeKey, options);
}

/**
 * Resolves the tenant of a request and refuses it when there is none or it is suspended. There
 * is deliberately no fallback: a request for an unknown number, key or route is rejected, never
 * served as some default tenant.
 *
 * @throws {@link UnknownTenantError} when no tenant matches (the context never holds the API key
 * nor a full phone number); {@link TenantSuspendedError} when the tenant is suspended.
 * @example
 * ```ts
 * declare const tenants: TenantDirectory;
 * declare const call: Call;
 * // ---cut---
 * if (call.toNumber) {
 *   const tenant = await resolveTenant(tenants, { phoneNumber: call.toNumber });
 * }
 * ```
 */
export async function resolveTenant(
  directory: TenantDirectory,
  by: TenantLookup,
  options: OperationOptions = {},
): Promise<Tenant> {
  const tenant = await lookUp(directory, by, options);
  if (!tenant) throw new UnknownTenantError(safeValue(by));
  if (tenant.status === 'suspended') throw new TenantSuspendedError({ tenantId: tenant.id });
  return tenant;
}
