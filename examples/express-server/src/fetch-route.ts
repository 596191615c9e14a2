import { Readable } from 'node:stream';
import type {
  NextFunction,
  Request as ExpressRequest,
  RequestHandler,
  Response as ExpressResponse,
} from 'express';

/** A fetch-style handler, as bookingkit's webhook, inbound and function handlers are. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Mounts a fetch-style handler on Express. The body is passed on as the raw stream, unread: the
 * handler reads it under its own size limit and checks the signature over the exact bytes (so no
 * body parser may run before these routes).
 */
export function fetchRoute(handler: FetchHandler): RequestHandler {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    respond(handler, req, res).catch(next);
  };
}

async function respond(handler: FetchHandler, req: ExpressRequest, res: ExpressResponse): Promise<void> {
  const url = new URL(req.originalUrl, `http://${req.headers.host ?? 'localhost'}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const request = new Request(url, {
    method: req.method,
    headers,
    signal: abort.signal,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  });
  const response = await handler(request);
  res.status(response.status);
  response.headers.forEach((value, name) => res.append(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}
