import type { IncomingMessage, ServerResponse } from 'node:http';
import { answeredEarly, endAfterBody, sizedEarlyAnswer } from './node-early-answer.js';
import { toFetchRequest, type NodeAdapterOptions } from './node-request.js';
import { writeFetchResponse } from './node-response.js';

/** A fetch-style handler, as every `bookingkit/http` factory returns. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Serves a fetch-style handler from Node's `http` (or `https`) server: builds a `Request` from the
 * `IncomingMessage` with its raw body stream (so the handler reads it under its size limit and
 * verifies signatures over the exact bytes), and streams the `Response` back. The request's
 * signal aborts when the client disconnects. A handler that throws (the bookingkit ones never do)
 * is answered with a bare 500. An answer given before the body was read whole (a 413, a 401) is
 * sent with its length, and the rest of the body is read and dropped (up to 16 MiB or 10 s) before
 * the answer ends, so that a client still sending can read it.
 *
 * @example
 * ```ts
 * declare const kit: BookingKit;
 * // ---cut---
 * import { createServer } from 'node:http';
 *
 * const api = createBookingApi(kit);
 * createServer(toNodeHandler((request) => api.handle(request))).listen(3000);
 * ```
 */
export function toNodeHandler(
  handler: FetchHandler,
  options: NodeAdapterOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void serveNode(handler, req, res, options);
  };
}

/**
 * Runs `handler` for one Node request, answering 500 when it throws; never rejects (a response
 * that cannot be written destroys the connection).
 *
 * @internal
 */
export async function serveNode(
  handler: FetchHandler,
  req: IncomingMessage,
  res: ServerResponse,
  options: Parameters<typeof toFetchRequest>[2],
): Promise<void> {
  let response: Response;
  let request: Request | undefined;
  try {
    request = toFetchRequest(req, res, options);
    response = await handler(request);
  } catch {
    response = new Response(
      JSON.stringify({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: 'The request failed',
      }),
      {
        status: 500,
        headers: { 'content-type': 'application/problem+json', 'x-content-type-options': 'nosniff' },
      },
    );
  }
  try {
    if (answeredEarly(req)) {
      // The client is still sending the body: the handler's stream of it no longer holds it up,
      // and the answer is sized so that the client can read it whole before it is done sending.
      if (request?.body && !request.body.locked) await request.body.cancel().catch(() => undefined);
      await writeFetchResponse(await sizedEarlyAnswer(response), res, req.method ?? 'GET', () =>
        endAfterBody(req, res),
      );
    } else {
      await writeFetchResponse(response, res, req.method ?? 'GET');
    }
  } catch (error) {
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
