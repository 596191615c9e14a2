import { describe, expect, it } from 'vitest';
import { createWebhookHandler } from '../http/webhook-handler.js';
import { createFakeClock } from '../testing/fake-clock.js';
import { signRetellBody } from './signature.js';
import { retellWebhookVerifier } from './verifier.js';
import { parseRetellWebhook, type RetellWebhook } from './webhook.js';

const apiKey = 'key_webhook_badged_123';
const url = 'https://backend.example/webhooks/retell';

const callEnded = {
  event: 'call_ended',
  call: {
    call_id: 'call_a4441234567890777c4a4a123e6',
    agent_id: 'agent_1',
    agent_version: 1,
    call_type: 'phone_call',
    call_status: 'ended',
    direction: 'inbound',
    from_number: '+34911234567',
    to_number: '+34917654321',
    transcript: 'Agente: ¿En qué puedo ayudarle?\nJosé: Quería una cita, sí.',
  },
};

function setup() {
  const clock = createFakeClock('2026-01-05T09:00:00.000Z');
  const received: RetellWebhook[] = [];
  const handler = createWebhookHandler({
    verify: retellWebhookVerifier(apiKey, { clock }),
    parse: parseRetellWebhook,
    handle: (webhook) => void received.push(webhook),
  });
  return { clock, received, handler };
}

function retellRequest(body: BodyInit, signature: string | null): Request {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (signature !== null) headers.set('X-Retell-Signature', signature);
  return new Request(url, { method: 'POST', body, headers });
}

describe('retellWebhookVerifier with createWebhookHandler', () => {
  it('accepts a freshly signed non-ASCII body, verified over its UTF-8 bytes', async () => {
    const { clock, received, handler } = setup();
    const bytes = new TextEncoder().encode(JSON.stringify(callEnded));
    const response = await handler(retellRequest(bytes, signRetellBody(bytes, apiKey, { now: clock.now() })));
    expect(response.status).toBe(204);
    expect(received).toHaveLength(1);
    const [webhook] = received;
    if (!webhook?.known || webhook.event !== 'call_ended') throw new Error('expected call_ended');
    expect(webhook.call.transcript).toContain('José: Quería una cita, sí.');
  });

  it('refuses a body that was re-encoded after signing (\\u escapes instead of UTF-8)', async () => {
    const { clock, received, handler } = setup();
    const signed = JSON.stringify(callEnded);
    const reencoded = signed.replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    const response = await handler(
      retellRequest(reencoded, signRetellBody(signed, apiKey, { now: clock.now() })),
    );
    expect(response.status).toBe(401);
    expect(received).toHaveLength(0);
  });

  it('refuses a signature made with another key', async () => {
    const { clock, handler } = setup();
    const body = JSON.stringify(callEnded);
    const response = await handler(
      retellRequest(body, signRetellBody(body, 'key_other', { now: clock.now() })),
    );
    expect(response.status).toBe(401);
  });

  it('refuses a request without a signature', async () => {
    const { handler } = setup();
    expect((await handler(retellRequest(JSON.stringify(callEnded), null))).status).toBe(401);
  });

  it('refuses a replay of a valid request once the 5-minute window has passed', async () => {
    const { clock, received, handler } = setup();
    const body = JSON.stringify(callEnded);
    const signature = signRetellBody(body, apiKey, { now: clock.now() });

    await clock.advance(300_000);
    expect((await handler(retellRequest(body, signature))).status).toBe(204);
    await clock.advance(1);
    const replay = await handler(retellRequest(body, signature));

    expect(replay.status).toBe(401);
    expect(await replay.text()).not.toContain('stale');
    expect(received).toHaveLength(1);
  });

  it('acknowledges an unknown event with 204 once it is verified', async () => {
    const { clock, received, handler } = setup();
    const body = JSON.stringify({ event: 'call_teleported', call: {} });
    const response = await handler(retellRequest(body, signRetellBody(body, apiKey, { now: clock.now() })));
    expect(response.status).toBe(204);
    expect(received).toEqual([
      { known: false, event: 'call_teleported', body: { event: 'call_teleported', call: {} } },
    ]);
  });

  it('answers 400 for a verified body missing a required field', async () => {
    const { clock, handler } = setup();
    const body = JSON.stringify({ event: 'call_ended', call: { ...callEnded.call, call_id: undefined } });
    const response = await handler(retellRequest(body, signRetellBody(body, apiKey, { now: clock.now() })));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ issues: [{ path: 'call.call_id' }] });
  });

  it('verifies an empty body (a bodiless function call) against the empty string', async () => {
    const clock = createFakeClock();
    const verify = retellWebhookVerifier(apiKey, { clock });
    const headers = new Headers({ 'x-retell-signature': signRetellBody('', apiKey, { now: clock.now() }) });
    expect(await verify(new Uint8Array(0), headers)).toMatchObject({ ok: true });
  });

  it('refuses an empty API key or a bad tolerance when created', () => {
    expect(() => retellWebhookVerifier('')).toThrow(/^retellWebhookVerifier: option "apiKey" must be/);
    expect(() => retellWebhookVerifier(apiKey, { toleranceMs: -5 })).toThrow(
      /^retellWebhookVerifier: option "toleranceMs" must be/,
    );
  });
});
