import { once } from 'node:events';
import { createServer, request as httpRequest, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { toExpress } from '../../src/http/frameworks/express.js';
import { toFastify } from '../../src/http/frameworks/fastify.js';
import { toNodeHandler } from '../../src/http/frameworks/node.js';
import { ACME_KEY, apiWorld, bookBody } from './http-api-support.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise((resolve) => {
          server.close(resolve);
          server.closeAllConnections();
        }),
    ),
  );
});

async function listen(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const auth = { authorization: `Bearer ${ACME_KEY}` };

/** Books through `base` and reads the appointment back: the whole round trip over real HTTP. */
async function bookAndRead(base: string): Promise<void> {
  const response = await fetch(`${base}/api/appointments`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'over-http' },
    body: JSON.stringify(bookBody()),
  });
  expect(response.status).toBe(201);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  const location = response.headers.get('location');
  const read = await fetch(`${base}${location}`, { headers: auth });
  expect(read.status).toBe(200);
  expect(((await read.json()) as { status: string }).status).toBe('confirmed');
  const replay = await fetch(`${base}/api/appointments`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'over-http' },
    body: JSON.stringify(bookBody()),
  });
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
}

/** Sends a chunked body of `size` bytes without Content-Length; resolves with the status. */
function sendChunked(base: string, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}/api/appointments`,
      { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'big' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    const chunk = 'x'.repeat(16 * 1024);
    for (let sent = 0; sent < size; sent += chunk.length) req.write(chunk);
    req.end();
  });
}

describe('toNodeHandler', () => {
  it('serves the REST API from http.createServer, over real HTTP', async () => {
    const { api } = apiWorld();
    await bookAndRead(await listen(toNodeHandler(api.handle)));
  });

  it('passes the raw stream on, so a chunked body over the limit is refused with 413', async () => {
    const { api } = apiWorld({ limitBytes: 4_096 });
    const base = await listen(toNodeHandler(api.handle));
    expect(await sendChunked(base, 256 * 1024)).toBe(413);
  });

  it('refuses a body of megabytes with 413 and keeps serving (the rest of the body is drained)', async () => {
    const { api } = apiWorld({ limitBytes: 4_096 });
    const base = await listen(toNodeHandler(api.handle));
    for (let i = 0; i < 3; i += 1) expect(await sendChunked(base, 4 * 1024 * 1024)).toBe(413);
    const declared = await Promise.all(
      Array.from({ length: 3 }, () =>
        fetch(`${base}/api/appointments`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'huge' },
          body: JSON.stringify({ note: 'x'.repeat(2 * 1024 * 1024) }),
        }).then((response) => response.status),
      ),
    );
    expect(declared).toEqual([413, 413, 413]);
    await bookAndRead(base);
  });

  it('streams a body chunk by chunk and keeps each Set-Cookie', async () => {
    const base = await listen(
      toNodeHandler(() => {
        const encoder = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            for (const part of ['one ', 'two ', 'three']) controller.enqueue(encoder.encode(part));
            controller.close();
          },
        });
        const headers = new Headers({ 'content-type': 'text/plain' });
        headers.append('set-cookie', 'a=1');
        headers.append('set-cookie', 'b=2');
        return Promise.resolve(new Response(body, { status: 200, headers }));
      }),
    );
    const response = await fetch(base);
    expect(await response.text()).toBe('one two three');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('answers 500 when the handler throws', async () => {
    const base = await listen(toNodeHandler(() => Promise.reject(new Error('boom'))));
    const response = await fetch(base);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('boom');
  });
});

describe('toExpress', () => {
  it('serves the REST API mounted under its base path, before any body parser', async () => {
    const { api } = apiWorld();
    const app = express();
    app.use('/api', toExpress(api.handle));
    await bookAndRead(await listen(app));
  });

  it('works after express.json() too, and passes the limit check on the stream when unparsed', async () => {
    const { api } = apiWorld({ limitBytes: 4_096 });
    const app = express();
    app.use(express.json());
    app.use('/api', toExpress(api.handle));
    const base = await listen(app);
    await bookAndRead(base);
  });
});

describe('toFastify', () => {
  it('serves the REST API from a raw buffer body, and from a parsed one', async () => {
    const { api } = apiWorld();
    const handler = toFastify(api.handle);
    // A Fastify route with a buffer content-type parser hands the adapter these two objects.
    const buffered = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
        void handler({ raw: req, body }, { raw: res, hijack: () => undefined });
      });
    });
    await bookAndRead(buffered);

    const parsed = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const body: unknown = text === '' ? undefined : JSON.parse(text);
        void handler({ raw: req, body }, { raw: res, hijack: () => undefined });
      });
    });
    const response = await fetch(`${parsed}/api/appointments`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'parsed' },
      body: JSON.stringify(bookBody({ start: '2026-01-07T09:00:00Z', end: '2026-01-07T09:30:00Z' })),
    });
    expect(response.status).toBe(201);
  });
});
