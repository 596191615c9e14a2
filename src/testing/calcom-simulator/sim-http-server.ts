import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { CalcomSimConnectionDropped } from './sim-connection-dropped.js';

/** Where the simulator's `listen()` serves it. */
export interface CalcomSimListenOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

/** A running local server. @internal */
export interface SimHttpServer {
  /** The base URL, e.g. `http://127.0.0.1:49152` (no trailing slash). */
  readonly url: string;
  close(): Promise<void>;
}

async function toRequest(req: IncomingMessage, signal: AbortSignal): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD' && chunks.length > 0;
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method,
    headers,
    ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
    signal,
  });
}

async function reply(
  handle: (request: Request) => Promise<Response>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const controller = new AbortController();
  // The client gave up (its timeout): a request the simulator holds back is aborted with it.
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the client closed the connection'));
  });
  try {
    const response = await handle(await toRequest(req, controller.signal));
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    res.writeHead(response.status, headers);
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    if (error instanceof CalcomSimConnectionDropped || controller.signal.aborted) {
      req.socket.destroy();
      return;
    }
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`Cal.com simulator failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Serves a fetch-style handler on a local port with node:http (imported only when called, so
 * the simulator stays usable where node:http is not).
 *
 * @internal
 */
export async function serveOverHttp(
  handle: (request: Request) => Promise<Response>,
  options: CalcomSimListenOptions = {},
): Promise<SimHttpServer> {
  const { createServer } = await import('node:http');
  const server: Server = createServer((req, res) => void reply(handle, req, res));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
