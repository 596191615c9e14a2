import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeAdapterOptions, ReadBody } from './node-request.js';
import { serveNode, type FetchHandler } from './node.js';

/** The part of a Fastify request the adapter uses (a `FastifyRequest` fits). */
export interface FastifyRequestLike {
  readonly raw: IncomingMessage;
  /** What Fastify's content-type parser made of the body. */
  readonly body?: unknown;
}

/** The part of a Fastify reply the adapter uses (a `FastifyReply` fits). */
export interface FastifyReplyLike {
  readonly raw: ServerResponse;
  /** Tells Fastify the handler writes the response itself. */
  hijack(): unknown;
}

/**
 * Serves a fetch-style handler from a Fastify route: `app.all('/api/*', toFastify(api.handle))`.
 * The reply is hijacked and written by the adapter, streamed.
 *
 * Fastify parses JSON bodies before the handler runs, so the exact bytes are gone by then. Keep
 * them in the scope of these routes: remove Fastify's parsers (its JSON parser would still take
 * `application/json`, which a `'*'` parser does not override) and add one that hands the raw
 * buffer on: `scope.removeAllContentTypeParsers()`, then
 * `scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))`
 * (inside a plugin, to leave the app's other routes parsing JSON). A `Buffer` or string body is
 * passed on as it is; a body Fastify parsed is serialised again as JSON (enough for the REST API,
 * not for webhook signatures); without a body the raw stream is passed on.
 *
 * @example
 * ```ts
 * declare const api: ApiHandler;
 * declare const app: {
 *   register(plugin: (scope: any) => Promise<void>): unknown;
 * };
 * // ---cut---
 * app.register(async (scope) => {
 *   scope.removeAllContentTypeParsers();
 *   scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request: unknown, body: Buffer, done: (e: null, b: Buffer) => void) => done(null, body));
 *   scope.all('/api/*', toFastify(api.handle));
 * });
 * ```
 */
export function toFastify(
  handler: FetchHandler,
  options: NodeAdapterOptions = {},
): (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<void> {
  return async (request, reply) => {
    reply.hijack();
    await serveNode(handler, request.raw, reply.raw, { ...options, ...bodyOf(request) });
  };
}

function bodyOf(request: FastifyRequestLike): { read?: ReadBody } {
  const { body } = request;
  if (body === undefined || body === null) return request.raw.readableEnded ? { read: { bytes: '' } } : {};
  if (body instanceof Uint8Array || typeof body === 'string') return { read: { bytes: body } };
  return { read: { bytes: JSON.stringify(body) } };
}
