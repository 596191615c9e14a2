import { ValidationError } from '../errors/validation-error.js';

function described(value: unknown): string {
  if (value === '') return 'an empty string';
  if (value === null) return 'null';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

/**
 * Checks the tenant id that scopes a store operation and returns it: it must be a non-empty
 * string. Every tenant-scoped adapter calls this one guard before it builds a query or a key, so
 * a missing tenant can never drop the scope (an SQL filter left out matches every tenant's rows;
 * a Redis key built from `undefined` is shared by every caller that lost its tenant) and every
 * adapter refuses the same values in the same way.
 *
 * @param value - the tenant id as the caller passed it.
 * @param path - where the id sits in the caller's input, e.g. `tenantId` or `0.tenantId`.
 * @throws {@link ValidationError} with one issue at `path` when `value` is not a non-empty string.
 * @internal
 * @example
 * ```ts
 * declare function select(where: string, params: unknown[]): Promise<unknown[]>;
 * // ---cut---
 * async function list(tenantId: string | undefined) {
 *   const tenant = requireTenantId(tenantId); // ValidationError naming `tenantId` for undefined or ''
 *   return select('tenant_id = $1', [tenant]);
 * }
 * ```
 */
export function requireTenantId(value: unknown, path = 'tenantId'): string {
  if (typeof value === 'string' && value.length > 0) return value;
  throw new ValidationError('tenant scope', [
    { path, message: `must be a non-empty string, got ${described(value)}` },
  ]);
}

/**
 * Checks an optional tenant filter, where leaving it out means "every tenant" (an operator's
 * listing of the whole outbox, say): `undefined` passes, anything else must be a tenant id that
 * {@link requireTenantId} accepts, so an empty or non-string filter is refused rather than
 * matching nothing in one adapter and a coerced tenant in another.
 *
 * @throws {@link ValidationError} with one issue at `path` for an empty or non-string value.
 * @internal
 * @example
 * ```ts
 * declare const query: { tenantId?: string };
 * // ---cut---
 * const tenantId = optionalTenantId(query.tenantId); // undefined: list every tenant's messages
 * ```
 */
export function optionalTenantId(value: unknown, path = 'tenantId'): string | undefined {
  return value === undefined ? undefined : requireTenantId(value, path);
}
