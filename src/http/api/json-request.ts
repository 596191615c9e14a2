import { ValidationError, parseWith } from '../../errors/validation-error.js';
import type { z } from 'zod';
import { parseJsonObject } from '../json-body.js';
import { readBodyLimited } from '../read-body.js';

/**
 * Reads a request body as a JSON object under `limitBytes` (413 past it); an empty body reads as
 * `{}` when `emptyAsObject` is set. A declared content type other than JSON is refused with a
 * `ValidationError` naming `content-type`.
 *
 * @throws `PayloadTooLargeError`, `ValidationError` (not JSON, not an object, wrong content type).
 * @internal
 */
export async function readJsonObject(
  request: Request,
  options: { readonly limitBytes: number; readonly emptyAsObject?: boolean },
): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type');
  const body = await readBodyLimited(request, { limitBytes: options.limitBytes, signal: request.signal });
  if (body.bytes.byteLength === 0 && options.emptyAsObject) return {};
  if (type !== null && !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new ValidationError('request', [
      { path: 'content-type', message: `must be application/json, got ${type.slice(0, 100)}` },
    ]);
  }
  return parseJsonObject(body.bytes, 'request body');
}

/**
 * The query string of `request` as an object (a repeated name gives its values comma-joined),
 * validated with `schema`; issues name the parameter.
 *
 * @throws `ValidationError` naming each bad parameter.
 * @internal
 */
export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const params = new URL(request.url).searchParams;
  const query: Record<string, string> = {};
  for (const name of new Set(params.keys())) query[name] = params.getAll(name).join(',');
  return parseWith(schema, query, 'query');
}
