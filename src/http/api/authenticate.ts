import type { Actor } from '../../domain/origin.js';
import { hashApiKey } from '../../tenancy/api-key.js';
import { resolveTenant } from '../../tenancy/resolve-tenant.js';
import type { TenantDirectory } from '../../tenancy/tenant-directory.js';
import type { Tenant } from '../../tenancy/tenant.js';
import { isUnknownTenantError } from '../../tenancy/errors.js';
import { AuthenticationError } from './errors.js';

/** Who a REST request acts for: the tenant that owns its API key, and the key as an actor. */
export interface ApiCaller {
  readonly tenant: Tenant;
  /**
   * The actor recorded on the commands the request sends: `staff`, identified by the first 12
   * hex digits of the key's SHA-256 digest (never the key), e.g. `api-key:3f1a9c0b7d2e`.
   */
  readonly actor: Actor;
}

const BEARER = /^Bearer[ ]+([\x21-\x7e]{1,512})[ ]*$/i;

/**
 * Resolves the tenant of a request from `Authorization: Bearer <API key>`.
 *
 * @throws {@link AuthenticationError} for a missing or malformed header or an unknown key (401);
 *   `TenantSuspendedError` for a suspended tenant (403).
 * @internal
 */
export async function authenticate(
  request: Request,
  tenants: TenantDirectory,
  signal: AbortSignal | undefined,
): Promise<ApiCaller> {
  const header = request.headers.get('authorization');
  if (header === null) throw new AuthenticationError('missing');
  const apiKey = BEARER.exec(header)?.[1];
  if (apiKey === undefined) throw new AuthenticationError('malformed');
  let tenant: Tenant;
  try {
    tenant = await resolveTenant(tenants, { apiKey }, signal ? { signal } : {});
  } catch (error) {
    if (isUnknownTenantError(error)) throw new AuthenticationError('unknown_key');
    throw error;
  }
  return { tenant, actor: { type: 'staff', id: `api-key:${hashApiKey(apiKey).slice(0, 12)}` } };
}
