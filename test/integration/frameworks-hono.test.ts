import { createHmac } from 'node:crypto';
import type { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { BookingKit } from '../../src/kit/booking-kit.js';
import { importGuideSnippet } from '../docs/guide-snippet-module.js';
import { ACME_KEY, apiWorld, bookBody } from './http-api-support.js';

const SECRET = 'whsec_calcom_test';
const { createApp } = await importGuideSnippet<{
  createApp(kit: BookingKit, calcomSecret: string): Hono;
}>('frameworks.md', 'hono-app.ts');

const auth = { authorization: `Bearer ${ACME_KEY}` };
const pingBody = JSON.stringify({
  triggerEvent: 'PING',
  createdAt: '2026-01-05T08:00:00.000Z',
  payload: { type: 'ping' },
});

describe('the Hono snippet of docs/guides/frameworks.md, on a real Hono app', () => {
  it('books through the REST API, replays the retry, and reads the appointment back', async () => {
    const app = createApp(apiWorld().kit, SECRET);
    const book = (): Response | Promise<Response> =>
      app.request('/api/appointments', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'hono-1' },
        body: JSON.stringify(bookBody()),
      });
    const booked = await book();
    expect(booked.status).toBe(201);
    const location = booked.headers.get('location')!;
    const read = await app.request(location, { headers: auth });
    expect(((await read.json()) as { status: string }).status).toBe('confirmed');
    expect((await book()).headers.get('idempotent-replayed')).toBe('true');
  });

  it('refuses a request without an API key with 401 problem+json', async () => {
    const app = createApp(apiWorld().kit, SECRET);
    const response = await app.request('/api/appointments');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('serves /health and /ready', async () => {
    const app = createApp(apiWorld().kit, SECRET);
    expect(await (await app.request('/health')).json()).toEqual({ status: 'ok' });
    expect((await app.request('/ready')).status).toBe(200);
  });

  it('accepts a webhook signed over its raw bytes and refuses a forged one', async () => {
    const app = createApp(apiWorld().kit, SECRET);
    const signature = createHmac('sha256', SECRET).update(pingBody).digest('hex');
    const signed = await app.request('/webhooks/calcom', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cal-signature-256': signature },
      body: pingBody,
    });
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ received: 'PING' });
    const forged = await app.request('/webhooks/calcom', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cal-signature-256': signature },
      body: pingBody.replace('ping', 'pong'),
    });
    expect(forged.status).toBe(401);
  });
});
