import { describe, expect, it } from 'vitest';
import { createWebhookHandler } from '../http/webhook-handler.js';
import { calcomUnsignedMarker, signCalcomBody } from './signature.js';
import { calcomWebhookVerifier } from './verifier.js';
import { parseCalcomWebhook, type CalcomWebhook } from './webhook.js';

const secret = 'whsec_calcom_test';
const url = 'https://backend.example/webhooks/calcom';

const bookingCreated = JSON.stringify({
  triggerEvent: 'BOOKING_CREATED',
  createdAt: '2026-01-05T09:00:00.000Z',
  payload: {
    uid: 'bk_1',
    title: 'Café ☕ mit Zoë',
    startTime: '2026-01-09T14:00:00Z',
    endTime: '2026-01-09T14:30:00Z',
    organizer: { name: 'Zoë', email: 'zoe@salon.example', timeZone: 'Europe/Berlin' },
    attendees: [{ name: 'Jürgen', email: 'juergen@example.com', timeZone: 'Europe/Berlin' }],
  },
});

function setup() {
  const received: CalcomWebhook[] = [];
  const handler = createWebhookHandler({
    verify: calcomWebhookVerifier(secret),
    parse: parseCalcomWebhook,
    limitBytes: 64 * 1024,
    handle: (webhook) => void received.push(webhook),
  });
  return { received, handler };
}

function calcomRequest(body: BodyInit, signature?: string): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['X-Cal-Signature-256'] = signature;
  return new Request(url, { method: 'POST', body, headers });
}

describe('calcomWebhookVerifier with createWebhookHandler', () => {
  it('accepts a non-ASCII body signed over its UTF-8 bytes and hands over the typed webhook', async () => {
    const { received, handler } = setup();
    const bytes = new TextEncoder().encode(bookingCreated);
    const response = await handler(calcomRequest(bytes, signCalcomBody(bytes, secret)));
    expect(response.status).toBe(204);
    expect(received).toMatchObject([
      { known: true, triggerEvent: 'BOOKING_CREATED', payload: { title: 'Café ☕ mit Zoë' } },
    ]);
  });

  it.each([
    ['a wrong signature', signCalcomBody(bookingCreated, 'whsec_wrong')],
    ['the no-secret-provided marker', calcomUnsignedMarker],
    ['no signature', undefined],
  ])('refuses %s with the same generic 401', async (_name, signature) => {
    const { received, handler } = setup();
    const response = await handler(calcomRequest(bookingCreated, signature));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'Webhook signature verification failed',
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
    expect(received).toHaveLength(0);
  });

  it('acknowledges a PING and an unknown trigger with 204', async () => {
    const { received, handler } = setup();
    for (const triggerEvent of ['PING', 'SOMETHING_NEW']) {
      const body = JSON.stringify({
        triggerEvent,
        createdAt: '2026-01-05T09:00:00Z',
        payload: { type: 'Test' },
      });
      expect((await handler(calcomRequest(body, signCalcomBody(body, secret)))).status).toBe(204);
    }
    expect(received.map((webhook) => [webhook.known, webhook.triggerEvent])).toEqual([
      [true, 'PING'],
      [false, 'SOMETHING_NEW'],
    ]);
  });

  it('answers 413 for a streamed body over the limit, whatever its signature', async () => {
    const { handler } = setup();
    const chunk = new Uint8Array(16 * 1024).fill(0x20);
    const stream = new ReadableStream<Uint8Array>(
      { pull: (controller) => controller.enqueue(chunk) },
      { highWaterMark: 0 },
    );
    const request = new Request(url, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect((await handler(request)).status).toBe(413);
  });

  it('refuses an empty secret when created', () => {
    expect(() => calcomWebhookVerifier('')).toThrow(/^calcomWebhookVerifier: option "secret" must be/);
  });
});
