import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { BookingKit } from '../../src/kit/booking-kit.js';
import { importGuideSnippet } from '../docs/guide-snippet-module.js';
import { ACME_KEY, apiWorld, bookBody } from './http-api-support.js';

const SECRET = 'whsec_calcom_test';
const { createServer } = await importGuideSnippet<{
  createServer(kit: BookingKit, calcomSecret: string): FastifyInstance;
}>('frameworks.md', 'fastify-app.ts');

const auth = { authorization: `Bearer ${ACME_KEY}` };
// Spaced and keyed out of order: a body parsed and serialised again would not match its signature.
const pingBody =
  '{ "triggerEvent": "PING",  "payload": { "type": "ping" }, "createdAt": "2026-01-05T08:00:00.000Z" }';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function server(): FastifyInstance {
  const app = createServer(apiWorld().kit, SECRET);
  apps.push(app);
  return app;
}

describe('toFastify, through the Fastify snippet of docs/guides/frameworks.md (fastify.inject)', () => {
  it('books through the REST API, replays the retry, and reads the appointment back', async () => {
    const app = server();
    const book = () =>
      app.inject({
        method: 'POST',
        url: '/api/appointments',
        headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'fastify-1' },
        payload: JSON.stringify(bookBody()),
      });
    const booked = await book();
    expect(booked.statusCode).toBe(201);
    expect(booked.headers['x-content-type-options']).toBe('nosniff');
    const read = await app.inject({ method: 'GET', url: String(booked.headers.location), headers: auth });
    expect(read.statusCode).toBe(200);
    expect(read.json<{ status: string }>().status).toBe('confirmed');
    expect((await book()).headers['idempotent-replayed']).toBe('true');
  });

  it('answers GET routes without a body, and problems as application/problem+json', async () => {
    const app = server();
    const slots = await app.inject({
      method: 'GET',
      url: '/api/availability?eventTypeId=consult&start=2026-01-06T00:00:00Z&end=2026-01-07T00:00:00Z',
      headers: auth,
    });
    expect(slots.statusCode).toBe(200);
    const anonymous = await app.inject({ method: 'GET', url: '/api/appointments' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
  });

  it('verifies a signed webhook over the exact raw bytes, and refuses a forged signature', async () => {
    const app = server();
    const signature = createHmac('sha256', SECRET).update(pingBody).digest('hex');
    const send = (sig: string) =>
      app.inject({
        method: 'POST',
        url: '/webhooks/calcom',
        headers: { 'content-type': 'application/json', 'x-cal-signature-256': sig },
        payload: pingBody,
      });
    const signed = await send(signature);
    expect(signed.statusCode).toBe(200);
    expect(signed.json()).toEqual({ received: 'PING' });
    const forged = await send(createHmac('sha256', 'another secret').update(pingBody).digest('hex'));
    expect(forged.statusCode).toBe(401);
  });
});
