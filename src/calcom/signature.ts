import { bodyBytes, decodeSha256Hex, digestsEqual, hmacSha256 } from '../http/hmac.js';
import { checkStringOption } from '../util/options.js';

/** Name of the header that carries Cal.com's signature (lower case, as `Headers` and Node give it). */
export const calcomSignatureHeader = 'x-cal-signature-256';

/** The literal value Cal.com puts in the signature header when the webhook has no secret. */
export const calcomUnsignedMarker = 'no-secret-provided';

/** Why a Cal.com signature was refused. */
export type CalcomSignatureFailure =
  /** No signature header, or an empty one. */
  | 'missing'
  /** The header is `no-secret-provided`: the webhook was registered without a secret. */
  | 'unsigned'
  /** Not 64 hex digits (no `sha256=` prefix is expected). */
  | 'malformed'
  /** Not signed with this secret over this body. */
  | 'mismatch';

/** Outcome of {@link verifyCalcomSignature}. */
export type CalcomSignatureResult =
  { readonly ok: true } | { readonly ok: false; readonly reason: CalcomSignatureFailure };

/**
 * Verifies Cal.com's `x-cal-signature-256` header: the hex HMAC-SHA256 of the exact raw body,
 * keyed with the webhook's secret, compared in constant time. A webhook registered without a secret
 * is sent with the header `no-secret-provided`; it is refused as `unsigned`, never accepted.
 *
 * Cal.com signs no timestamp, so a captured delivery can be replayed: make handlers idempotent
 * (key on `triggerEvent` + `payload.uid`). Hex digits are accepted in either case (Cal.com sends
 * lower case; the decoded bytes are compared, so case cannot change the outcome).
 *
 * @param rawBody - the body exactly as received, bytes or their UTF-8 text; never re-serialised JSON.
 * @param signatureHeader - the header's value; `null`/`undefined` when absent.
 * @param secret - the secret the webhook was registered with.
 * @throws {@link bookingkit!InvalidOptionError} for an empty `secret` or a `rawBody` that is neither a string
 *   nor bytes.
 * @example
 * ```ts
 * declare const secret: string;
 * // ---cut---
 * async function onWebhook(request: Request): Promise<Response> {
 *   const rawBody = await request.text();
 *   const result = verifyCalcomSignature(rawBody, request.headers.get('x-cal-signature-256'), secret);
 *   if (!result.ok) return new Response(null, { status: 401 }); // result.reason says why, for logs
 *   return new Response(null, { status: 204 });
 * }
 * ```
 */
export function verifyCalcomSignature(
  rawBody: string | Uint8Array,
  signatureHeader: string | null | undefined,
  secret: string,
): CalcomSignatureResult {
  checkStringOption('secret', secret);
  const bytes = bodyBytes(rawBody);
  if (signatureHeader === undefined || signatureHeader === null || signatureHeader === '') {
    return { ok: false, reason: 'missing' };
  }
  if (signatureHeader === calcomUnsignedMarker) return { ok: false, reason: 'unsigned' };
  const digest = decodeSha256Hex(signatureHeader);
  if (!digest) return { ok: false, reason: 'malformed' };
  return digestsEqual(hmacSha256(secret, bytes), digest) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/**
 * Signs a body the way Cal.com does, returning the `x-cal-signature-256` header value. For tests
 * and simulators that play Cal.com's part.
 *
 * @throws {@link bookingkit!InvalidOptionError} for an empty `secret` or a `rawBody` that is neither a string
 *   nor bytes.
 * @example
 * ```ts
 * declare const secret: string;
 * // ---cut---
 * const body = JSON.stringify({ triggerEvent: 'PING', createdAt: new Date().toISOString(), payload: {} });
 * const headers = { 'x-cal-signature-256': signCalcomBody(body, secret) };
 * ```
 */
export function signCalcomBody(rawBody: string | Uint8Array, secret: string): string {
  checkStringOption('secret', secret);
  return hmacSha256(secret, bodyBytes(rawBody)).toString('hex');
}
