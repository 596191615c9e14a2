import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/**
 * A stable fingerprint of a request: the SHA-256 (lower-case hex) of its {@link canonicalJson}.
 * Two bodies with the same content have the same fingerprint whatever their key order, so a
 * retried request matches the first one, and a different request reusing its key is caught as a
 * mismatch.
 *
 * @throws {@link ValidationError} when `value` has no JSON form (see {@link canonicalJson}).
 * @example
 * ```ts
 * declare const store: IdempotencyStore;
 * declare const tenantId: string;
 * declare const key: string;
 * declare const body: unknown;
 * declare function book(body: unknown): Promise<string>;
 * // ---cut---
 * const result = await idempotent(store, { tenantId, key, fingerprint: fingerprint(body) }, () => book(body));
 * ```
 */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
