import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { toNodeHandler, type FetchHandler } from '../../src/http/frameworks/node.js';

// How the Node adapter writes a fetch Response's body: as it is produced (a chunk is not held
// back until the next exists), with the length the handler declared, and broken off (not ended as
// if complete) when the body fails part way.

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function serve(handler: FetchHandler): Promise<string> {
  const server = createServer(toNodeHandler(handler));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A GET with node:http, so that the raw framing headers are visible. */
function get(url: string, onFirstData?: (chunk: string) => void) {
  return new Promise<{ headers: Record<string, unknown>; text: string }>((resolve, reject) => {
    httpRequest(url, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text === '') onFirstData?.(chunk);
        text += chunk;
      });
      res.on('end', () => resolve({ headers: res.headers, text }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('writing a fetch Response to Node', () => {
  it('keeps a Content-Length the handler set', async () => {
    const url = await serve(() =>
      Promise.resolve(
        new Response('abc', { headers: { 'content-length': '3', 'content-type': 'text/plain' } }),
      ),
    );
    const { headers, text } = await get(url);
    expect(text).toBe('abc');
    expect(headers['content-length']).toBe('3');
  });

  it('sends the first chunk of a body still being produced before the next one exists', async () => {
    const encoder = new TextEncoder();
    let release!: () => void;
    const firstArrived = new Promise<void>((resolve) => (release = resolve));
    const url = await serve(() =>
      Promise.resolve(
        new Response(
          new ReadableStream<Uint8Array>({
            async start(controller) {
              controller.enqueue(encoder.encode('first '));
              // The next chunk is made only once the client has the first: an adapter that held
              // the first back until it knew whether more comes would never finish.
              await firstArrived;
              controller.enqueue(encoder.encode('second'));
              controller.close();
            },
          }),
          { headers: { 'content-type': 'text/plain' } },
        ),
      ),
    );
    const { headers, text } = await get(url, () => release());
    expect(text).toBe('first second');
    expect(headers['transfer-encoding']).toBe('chunked');
  });

  it('breaks the answer off when the body fails after its first chunk, rather than end it as complete', async () => {
    const url = await serve(() =>
      Promise.resolve(
        new Response(
          new ReadableStream<Uint8Array>({
            pull(controller) {
              if (!this.sent) {
                this.sent = true;
                controller.enqueue(new TextEncoder().encode('partial'));
              } else controller.error(new Error('the source failed'));
            },
            sent: false,
          } as UnderlyingDefaultSource<Uint8Array> & { sent: boolean }),
        ),
      ),
    );
    await expect(get(url)).rejects.toThrow(/aborted|socket hang up|ECONNRESET/);
  });

  it('sends an empty body with a zero length', async () => {
    const url = await serve(() => Promise.resolve(new Response('', { status: 200 })));
    const { headers, text } = await get(url);
    expect(text).toBe('');
    expect(headers['content-length']).toBe('0');
  });
});
