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
    ...(hasBody ? { body: bodyStream(req), duplex: 'half' } : {}),
  });
  const response = await handler(request);
  res.status(response.status);
  response.headers.forEach((value, name) => res.append(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * The request body as a web stream. Not `Readable.toWeb`: when a handler stops reading early (a
 * 413 for an oversized body), Node 20's adapter still enqueues the chunks that arrive and throws
 * "Controller is already closed" outside any handler, which ends the process. Here a cancelled
 * stream drains the rest of the body and drops it.
 */
function bodyStream(req: ExpressRequest): ReadableStream<Uint8Array> {
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (done) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) req.pause();
      });
      req.once('end', () => {
        if (done) return;
        done = true;
        controller.close();
      });
      req.once('error', (error) => {
        if (done) return;
        done = true;
        controller.error(error);
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      done = true;
      req.resume();
    },
  });
}
