import { createHash } from 'node:crypto';

/**
 * The SHA-256 hex digest of an API key, as tenant directories store it: keys themselves are
 * never kept, so a leaked directory does not leak working keys.
 *
 * @example
 * ```ts
 * declare const tenantA: Tenant;
 * // ---cut---
 * const tenant = { ...tenantA, apiKeyHashes: [hashApiKey(process.env.TENANT_A_KEY!)] };
 * ```
 */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}
