import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeBodyStream } from './node-body-stream.js';

/** Options of {@link toNodeHandler} and the other adapters. */
export interface NodeAdapterOptions {
  /**
   * Take the scheme and host of the request URL from `X-Forwarded-Proto` / `X-Forwarded-Host`
   * (set this behind a proxy you trust, never otherwise: a client could send them).
   * @default false
   */
  readonly trustProxy?: boolean;
}

/** The body of a request, when a framework already read it. @internal */
export type ReadBody = { readonly bytes: Uint8Array | string } | undefined;

const BODYLESS = new Set(['GET', 'HEAD']);

/**
 * A fetch `Request` for a Node request: its method, URL (`url`, e.g. Express's `originalUrl`),
 * headers, and body: `read` when a framework already consumed the stream, else the raw stream
 * itself (never buffered here: the handler reads it under its size limit). Its signal aborts when
 * the client goes away before the answer is written.
 *
 * @internal
 */
export function toFetchRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: NodeAdapterOptions & { readonly url?: string; readonly read?: ReadBody },
): Request {
  const first = (value: string | string[] | undefined): string | undefined =>
    (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
  const encrypted = 'encrypted' in req.socket && req.socket.encrypted === true;
  const proto =
    (options.trustProxy && first(req.headers['x-forwarded-proto'])) || (encrypted ? 'https' : 'http');
  const host =
    (options.trustProxy && first(req.headers['x-forwarded-host'])) || req.headers.host || 'localhost';
  const url = new URL(options.url ?? req.url ?? '/', `${proto}://${host}`);

  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    // HTTP/2 pseudo-headers (`:path`) are not headers a Request may carry.
    if (!name.startsWith(':')) headers.append(name, req.rawHeaders[i + 1] as string);
  }

  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('The client closed the connection'));
  });
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: controller.signal };
  if (!BODYLESS.has(method)) {
    if (options.read !== undefined) {
      init.body = options.read.bytes as BodyInit;
      // The framework decoded the body: the length it declared may no longer hold.
      headers.delete('content-length');
    } else {
      init.body = nodeBodyStream(req);
      init.duplex = 'half';
    }
  }
  return new Request(url, init);
}
