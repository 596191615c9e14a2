import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeAdapterOptions, ReadBody } from './node-request.js';
import { serveNode, type FetchHandler } from './node.js';

/**
 * The part of an Express request the adapter uses (typed here so bookingkit needs no Express
 * types). An Express `Request` fits.
 */
export type ExpressRequestLike = IncomingMessage & {
  /** The URL before any mount path was stripped (Express sets it). */
  readonly originalUrl?: string;
  /** What a body parser made of the body, when one ran. */
  readonly body?: unknown;
  /** The exact body bytes, when the app kept them (e.g. in `express.json({ verify })`). */
  readonly rawBody?: unknown;
};

/** Express's `next`. */
export type ExpressNext = (error?: unknown) => void;

/**
 * The body an Express body parser already read, if one did: the kept `rawBody` bytes, else what
 * `express.raw()` or `express.text()` left, else the parsed JSON serialised again (fine for the
 * REST API; not for webhooks, whose signatures need the exact bytes: mount those routes before
 * `express.json()`, or keep `rawBody`).
 */
function readBodyOf(req: ExpressRequestLike): ReadBody {
  if (req.rawBody instanceof Uint8Array) return { bytes: req.rawBody };
  // body-parser marks a request whose stream it consumed with `_body`.
  if ((req as { _body?: unknown })._body !== true && !req.readableEnded) return undefined;
  const { body } = req;
  if (body instanceof Uint8Array || typeof body === 'string') return { bytes: body };
  if (body === undefined) return { bytes: '' };
  return { bytes: JSON.stringify(body) };
}

/**
 * Mounts a fetch-style handler in Express as a middleware `(req, res, next)`: the request is
 * answered by the handler (a 404 of the handler is an answer too, so mount it on its path). The
 * URL is Express's `originalUrl`, so `app.use('/api', toExpress(api.handle))` keeps the `/api`
 * prefix the handler expects. The raw body stream goes to the handler when no body parser read
 * it first; after one, see `rawBody` on {@link ExpressRequestLike}. Failures of the adapter itself go
 * to `next`.
 *
 * @example
 * ```ts
 * declare const kit: BookingKit;
 * // ---cut---
 * import express from 'express';
 *
 * const api = createBookingApi(kit);
 * const app = express();
 * app.use('/api', toExpress(api.handle)); // before app.use(express.json()), so the stream is unread
 * app.listen(3000);
 * ```
 */
export function toExpress(
  handler: FetchHandler,
  options: NodeAdapterOptions = {},
): (req: ExpressRequestLike, res: ServerResponse, next: ExpressNext) => void {
  return (req, res, next) => {
    const read = readBodyOf(req);
    serveNode(handler, req, res, {
      ...options,
      ...(req.originalUrl ? { url: req.originalUrl } : {}),
      ...(read ? { read } : {}),
    }).catch(next); // serveNode does not reject; `next` is there should that ever change
  };
}
