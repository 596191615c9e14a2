import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { checkNumberOption } from '../util/options.js';

/** Statuses whose responses may not carry a body (RFC 9110). */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * Builds a JSON `Response`. `Content-Type: application/json` is set unless `init.headers` sets a
 * content type of its own (e.g. `application/problem+json`).
 *
 * @param status - HTTP status, 200 to 599, and not one that forbids a body (204, 205, 304).
 * @param body - any value `JSON.stringify` accepts.
 * @param init - further response options; its `status` is ignored in favour of `status`.
 * @throws {@link bookingkit!InvalidOptionError} for a status out of range or one that forbids a body.
 * @throws `TypeError` when `body` cannot be serialised (`undefined`, a function, a BigInt, a cycle).
 * @example
 * ```ts
 * const response = jsonResponse(200, { received: true }, { headers: { 'cache-control': 'no-store' } });
 * ```
 */
export function jsonResponse(status: number, body: unknown, init: ResponseInit = {}): Response {
  checkNumberOption('status', status, { integer: true, min: 200, max: 599 });
  if (NULL_BODY_STATUSES.has(status)) {
    throw new InvalidOptionError('status', status, 'a status that allows a body (not 204, 205 or 304)');
  }
  const text = JSON.stringify(body) as string | undefined;
  if (text === undefined)
    throw new TypeError(`jsonResponse: body of type ${typeof body} is not JSON-serialisable`);
  const headers = new Headers(init.headers);
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  return new Response(text, { ...init, status, headers });
}
