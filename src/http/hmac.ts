import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidOptionError } from '../errors/invalid-option-error.js';

const encoder = new TextEncoder();
const SHA256_HEX = /^[0-9a-f]{64}$/i;

/**
 * The bytes of a request body as it was signed: strings are encoded as UTF-8, byte arrays are used
 * as they are. Signatures are over bytes, so a body must never be re-serialised before this step.
 *
 * @internal
 */
export function bodyBytes(body: string | Uint8Array): Uint8Array {
  if (typeof body === 'string') return encoder.encode(body);
  // A parsed object (e.g. Express's `req.body` after `express.json()`) is the classic mistake:
  // re-serialising it changes the bytes, so it could never verify reliably.
  if (!(body instanceof Uint8Array)) {
    throw new InvalidOptionError('rawBody', body, 'the raw body as a string or Uint8Array (not parsed JSON)');
  }
  return body;
}

/**
 * HMAC-SHA256 of the concatenated `parts` with `key` (a string, used as its UTF-8 bytes).
 *
 * @internal
 */
export function hmacSha256(key: string, ...parts: readonly (string | Uint8Array)[]): Buffer {
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(bodyBytes(part));
  return hmac.digest();
}

/**
 * Decodes a SHA-256 digest written as 64 hex digits (either case), or returns `null` when `hex`
 * is not exactly that. Comparing decoded bytes makes the letter case irrelevant to the outcome.
 *
 * @internal
 */
export function decodeSha256Hex(hex: string): Buffer | null {
  return SHA256_HEX.test(hex) ? Buffer.from(hex, 'hex') : null;
}

/**
 * Compares two digests in constant time (for equal lengths; different lengths are unequal and
 * reveal only that).
 *
 * @internal
 */
export function digestsEqual(expected: Uint8Array, actual: Uint8Array): boolean {
  return expected.byteLength === actual.byteLength && timingSafeEqual(expected, actual);
}
