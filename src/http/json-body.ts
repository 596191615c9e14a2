import { ValidationError } from '../errors/validation-error.js';

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a request body as JSON. Bytes must be valid UTF-8: a body that is not is refused rather
 * than silently patched with replacement characters.
 *
 * @param body - the raw body, as bytes or as text.
 * @param subject - what the body is, for the error message. @default 'request body'
 * @throws {@link bookingkit!ValidationError} when the body is not valid UTF-8 or not valid JSON.
 * @example
 * ```ts
 * declare const request: Request;
 * // ---cut---
 * const value = parseJsonBody(await request.text(), 'order webhook');
 * ```
 */
export function parseJsonBody(body: string | Uint8Array, subject = 'request body'): unknown {
  let text: string;
  if (typeof body === 'string') text = body;
  else {
    try {
      text = strictDecoder.decode(body);
    } catch (cause) {
      throw new ValidationError(subject, [{ path: '', message: 'Body is not valid UTF-8' }], { cause });
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ValidationError(subject, [{ path: '', message: 'Body is not valid JSON' }], { cause });
  }
}

/**
 * Parses a body as a JSON object (not an array, string or `null`).
 *
 * @internal
 */
export function parseJsonObject(body: string | Uint8Array, subject: string): Record<string, unknown> {
  const value = parseJsonBody(body, subject);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(subject, [{ path: '', message: 'Expected a JSON object' }]);
  }
  return value as Record<string, unknown>;
}
