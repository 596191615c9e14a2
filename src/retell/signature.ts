import { systemClock } from '../ports/clock.js';
import { bodyBytes, decodeSha256Hex, digestsEqual, hmacSha256 } from '../http/hmac.js';
import { checkNumberOption, checkStringOption, numberOption } from '../util/options.js';

/** Name of the header that carries Retell's signature (lower case, as `Headers` and Node give it). */
export const retellSignatureHeader = 'x-retell-signature';

/** Default of {@link VerifyRetellSignatureOptions.toleranceMs}: 5 minutes, Retell's own window. */
export const defaultRetellToleranceMs = 300_000;

/** Why a Retell signature was refused. */
export type RetellSignatureFailure =
  /** No signature header, or an empty one. */
  | 'missing'
  /** Not `v=<ms>,d=<64 hex digits>`, or a timestamp beyond the safe-integer range. */
  | 'malformed'
  /** Signed more than `toleranceMs` before or after `now`: a replay, or a badly wrong clock. */
  | 'stale'
  /** Well-formed and fresh, but not signed with this key over this body. */
  | 'mismatch';

/** Outcome of {@link verifyRetellSignature}; when accepted, the signing time it carried. */
export type RetellSignatureResult =
  | { readonly ok: true; readonly timestamp: number }
  | { readonly ok: false; readonly reason: RetellSignatureFailure };

/** Options of {@link verifyRetellSignature}. */
export interface VerifyRetellSignatureOptions {
  /** The current time, epoch milliseconds (pass `clock.now()` to use a `Clock`). @default systemClock.now() */
  readonly now?: number;
  /** Largest accepted distance between `now` and the signed timestamp, inclusive. @default 300000 */
  readonly toleranceMs?: number;
}

/** Options of {@link signRetellBody}. */
export interface SignRetellBodyOptions {
  /** The signing time, epoch milliseconds. @default systemClock.now() */
  readonly now?: number;
}

// Anchored, as the official TypeScript SDK (v5.50+) parses it: case-insensitive, exactly 64 hex
// digits. Hex case cannot change the outcome: digests are compared as decoded bytes.
const SIGNATURE = /^v=(\d+),d=([0-9a-f]{64})$/i;

/**
 * Verifies Retell's `x-retell-signature` header (`v=<ms>,d=<hex>`) over the raw request body:
 * HMAC-SHA256 keyed with the API key that carries Retell's "webhook" badge, over the body bytes
 * followed by the decimal timestamp, compared in constant time, and accepted only within
 * `toleranceMs` of `now` (inclusive). The same scheme signs webhooks, the inbound-call webhook and
 * custom-function calls (verify a bodiless GET/DELETE call against `''`).
 *
 * A digest in upper-case hex is accepted, as the official TypeScript SDK accepts it (the Python SDK
 * does not): Retell sends lower case, and since the decoded bytes are compared, accepting either
 * case admits no signature that the lower-case form would refuse.
 *
 * @param rawBody - the body exactly as received: the bytes, or their UTF-8 text. Never
 *   `JSON.stringify` of a parsed body; re-serialising changes escapes (`é` vs `\u00e9`) and spacing.
 * @param signatureHeader - the header's value; `null`/`undefined` when absent.
 * @param apiKey - the Retell API key with the webhook badge, `key_` prefix included.
 * @throws {@link bookingkit!InvalidOptionError} for an empty `apiKey`, a `rawBody` that is neither a string
 *   nor bytes, or a bad `now` / `toleranceMs`.
 * @example
 * ```ts
 * declare const apiKey: string;
 * // ---cut---
 * async function onWebhook(request: Request): Promise<Response> {
 *   const rawBody = await request.text();
 *   const result = verifyRetellSignature(rawBody, request.headers.get('x-retell-signature'), apiKey);
 *   if (!result.ok) return new Response(null, { status: 401 }); // result.reason says why, for logs
 *   return new Response(null, { status: 204 });
 * }
 * ```
 */
export function verifyRetellSignature(
  rawBody: string | Uint8Array,
  signatureHeader: string | null | undefined,
  apiKey: string,
  options: VerifyRetellSignatureOptions = {},
): RetellSignatureResult {
  checkStringOption('apiKey', apiKey);
  const toleranceMs = numberOption('toleranceMs', options.toleranceMs, defaultRetellToleranceMs, {
    integer: true,
  });
  // A NaN `now` would make every timestamp look fresh; refuse it instead of failing open.
  const now = options.now === undefined ? systemClock.now() : checkNumberOption('now', options.now);
  const bytes = bodyBytes(rawBody);

  if (signatureHeader === undefined || signatureHeader === null || signatureHeader === '') {
    return { ok: false, reason: 'missing' };
  }
  const match = SIGNATURE.exec(signatureHeader);
  const timestamp = Number(match?.[1]);
  const digest = decodeSha256Hex(match?.[2] ?? '');
  if (!match || !Number.isSafeInteger(timestamp) || !digest) return { ok: false, reason: 'malformed' };
  if (Math.abs(now - timestamp) > toleranceMs) return { ok: false, reason: 'stale' };

  // The official SDKs sign `body + String(timestamp)`; the canonical decimal is used, as they do.
  const expected = hmacSha256(apiKey, bytes, String(timestamp));
  return digestsEqual(expected, digest) ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}

/**
 * Signs a body the way Retell does, returning the `x-retell-signature` header value. For tests and
 * simulators that play Retell's part.
 *
 * @throws {@link bookingkit!InvalidOptionError} for an empty `apiKey`, a `rawBody` that is neither a string
 *   nor bytes, or a `now` that is not a whole number of 0 or more.
 * @example
 * ```ts
 * declare const call: Call;
 * declare const url: string;
 * declare const apiKey: string;
 * declare const clock: Clock;
 * // ---cut---
 * const body = JSON.stringify({ event: 'call_started', call });
 * const request = new Request(url, {
 *   method: 'POST',
 *   body,
 *   headers: { 'x-retell-signature': signRetellBody(body, apiKey, { now: clock.now() }) },
 * });
 * ```
 */
export function signRetellBody(
  rawBody: string | Uint8Array,
  apiKey: string,
  options: SignRetellBodyOptions = {},
): string {
  checkStringOption('apiKey', apiKey);
  const now =
    options.now === undefined ? systemClock.now() : checkNumberOption('now', options.now, { integer: true });
  const digest = hmacSha256(apiKey, bodyBytes(rawBody), String(now)).toString('hex');
  return `v=${now},d=${digest}`;
}
