import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

const open: { close(): void }[] = [];

/**
 * Starts a `node:http` server with `handler` on a free loopback port and returns its base URL.
 * Every server started this way is closed after each test of the file that imports this.
 *
 * @example
 * ```ts
 * const url = await serveLocally((req, res) => res.end('ok'));
 * ```
 */
export async function serveLocally(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<string> {
  const server = createServer(handler);
  open.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(() => {
  for (const server of open.splice(0)) server.close();
});
