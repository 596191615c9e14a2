import type { Tenant } from '../../tenancy/tenant.js';
import type { TenantDirectory } from '../../tenancy/tenant-directory.js';
import type { RetellCall } from '../webhook-schema.js';

/** The two numbers of a phone call, seen from the tenant's side. */
export interface RetellCallNumbers {
  /** The tenant's own number: the one called (inbound) or calling (outbound). */
  readonly tenantNumber: string;
  /** The other party's number: the caller (inbound) or the one called (outbound). */
  readonly otherNumber: string;
}

/**
 * The tenant's number and the other party's number of a call: for an inbound call the called
 * number is the tenant's, for an outbound call the calling one. `null` for a web call (no
 * numbers) or a direction Retell might add: the tenant is never guessed.
 *
 * @example
 * ```ts
 * declare const call: RetellCall;
 * // ---cut---
 * const numbers = retellCallNumbers(call); // { tenantNumber: call.to_number, otherNumber: call.from_number } when inbound
 * ```
 */
export function retellCallNumbers(call: RetellCall): RetellCallNumbers | null {
  if (call.call_type !== 'phone_call') return null;
  if (call.direction === 'inbound') return { tenantNumber: call.to_number, otherNumber: call.from_number };
  if (call.direction === 'outbound') return { tenantNumber: call.from_number, otherNumber: call.to_number };
  return null;
}

/**
 * Why a Retell request has no tenant: the call has no number that could name one (a web call),
 * no tenant owns the number, the tenant owning it is suspended, or it belongs to another
 * workspace than the one the request came through.
 */
export type RetellUnresolvedTenant = 'no_number' | 'unknown_number' | 'tenant_suspended' | 'other_workspace';

/**
 * The active tenant that owns `number`, or why there is none. Never a default tenant.
 *
 * @param workspaceTenants - the tenants of the workspace the request came through; `null` for
 *   every tenant.
 * @internal
 */
export async function tenantOfNumber(
  tenants: Pick<TenantDirectory, 'findByPhoneNumber'>,
  number: string | null,
  workspaceTenants: ReadonlySet<string> | null,
  signal: AbortSignal | undefined,
): Promise<{ readonly tenant: Tenant } | { readonly unresolved: RetellUnresolvedTenant }> {
  if (number === null) return { unresolved: 'no_number' };
  const tenant = await tenants.findByPhoneNumber(number, signal ? { signal } : {});
  if (!tenant) return { unresolved: 'unknown_number' };
  if (workspaceTenants !== null && !workspaceTenants.has(tenant.id)) return { unresolved: 'other_workspace' };
  if (tenant.status === 'suspended') return { unresolved: 'tenant_suspended' };
  return { tenant };
}
