import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { BookingKit } from '../../src/kit/booking-kit.js';
import { importGuideSnippet } from '../docs/guide-snippet-module.js';
import { ACME_KEY, apiWorld, bookBody } from './http-api-support.js';

const SECRET = 'whsec_calcom_test';
const { createApp } = await importGuideSnippet<{
  createApp(kit: BookingKit, calcomSecret: string): express.Express;
}>('frameworks.md', 'express-app.ts');
const { createApiServer } = await importGuideSnippet<{ createApiServer(kit: BookingKit): Server }>(
  'frameworks.md',
  'node-server.ts',
);

const auth = { authorization: `Bearer ${ACME_KEY}` };
const pingBody = '{"triggerEvent":"PING",  "createdAt":"2026-01-05T08:00:00.000Z","payload":{"type":"ping"}}';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function bookAndRead(base: string): Promise<void> {
  const booked = await fetch(`${base}/api/appointments`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'snippet-1' },
    body: JSON.stringify(bookBody()),
  });
  expect(booked.status).toBe(201);
  const read = await fetch(`${base}${booked.headers.get('location')}`, { headers: auth });
  expect(((await read.json()) as { status: string }).status).toBe('confirmed');
}

describe('the Express snippet of docs/guides/frameworks.md, over real HTTP', () => {
  it('books through the REST API mounted under /api', async () => {
    const base = await listen(createServer(createApp(apiWorld().kit, SECRET)));
    await bookAndRead(base);
  });

  it('verifies a signed webhook over the raw stream, and serves /health and /ready', async () => {
    const base = await listen(createServer(createApp(apiWorld().kit, SECRET)));
    const post = (signature: string) =>
      fetch(`${base}/webhooks/calcom`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-cal-signature-256': signature },
        body: pingBody,
      });
    const signed = await post(createHmac('sha256', SECRET).update(pingBody).digest('hex'));
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ received: 'PING' });
    expect((await post('0'.repeat(64))).status).toBe(401);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });
});

describe('the node:http snippet of docs/guides/frameworks.md, over real HTTP', () => {
  it('books through the REST API', async () => {
    await bookAndRead(await listen(createApiServer(apiWorld().kit)));
  });
});
