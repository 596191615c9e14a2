import type { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { tenantOfNumber } from '../ingestion/call-tenant.js';
import type { RetellTenantContext } from './define-function.js';
import type { RetellFunctionCallInfo } from './function-call.js';

/**
 * The `resolveTenant` of {@link createRetellFunctionRouter} that finds the tenant as the call
 * webhooks do: by the number the tenant owns, the called number of an inbound call or the calling
 * number of an outbound one. A web call, an unknown number, a suspended tenant or (with
 * `tenantIds`) a tenant of another workspace resolves to `null`, which the router answers with a
 * polite refusal: a call is never given another tenant's data.
 *
 * @param options.tenantIds - the tenants this router's workspace serves; default every tenant.
 * @example
 * ```ts
 * declare const tenants: TenantDirectory;
 * declare const options: Omit<RetellFunctionRouterOptions, 'resolveTenant'>;
 * // ---cut---
 * const router = createRetellFunctionRouter({ ...options, resolveTenant: retellTenantsFromNumbers(tenants) });
 * ```
 */
export function retellTenantsFromNumbers(
  tenants: Pick<TenantDirectory, 'findByPhoneNumber'>,
  options: { readonly tenantIds?: Iterable<string> } = {},
): (call: RetellFunctionCallInfo) => Promise<RetellTenantContext | null> {
  const workspace = options.tenantIds === undefined ? null : new Set(options.tenantIds);
  return async (call) => {
    const number =
      call.direction === 'inbound'
        ? call.to_number
        : call.direction === 'outbound'
          ? call.from_number
          : undefined;
    const found = await tenantOfNumber(tenants, number ?? null, workspace, undefined);
    if (!('tenant' in found)) return null;
    const { tenant } = found;
    return { tenantId: tenant.id, timeZone: tenant.timeZone, locale: tenant.locale };
  };
}
