import { describe, expect, it } from 'vitest';
import { BookingKitError } from '../errors/booking-kit-error.js';
import { isInvalidOptionError } from '../errors/invalid-option-error.js';
import { NotFoundError } from '../errors/store-errors.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Logger } from '../ports/logger.js';
import type { ProblemDetails } from './problem.js';
import { createWebhookHandler, type WebhookVerifier } from './webhook-handler.js';

const url = 'https://backend.example/webhooks/test';
const secret = 'shared-secret-value';

/** Accepts a request whose `x-token` header equals the secret; records what it was given. */
function tokenVerifier(seen: { body?: Uint8Array; headers?: Headers } = {}): WebhookVerifier {
  return (body, headers) => {
    seen.body = body;
    seen.headers = headers;
    const token = headers.get('x-token');
    if (token === null) return { ok: false, reason: 'missing' };
    return token === secret ? { ok: true } : { ok: false, reason: 'mismatch' };
  };
}

function post(body: BodyInit | null, headers: Record<string, string> = { 'x-token': secret }): Request {
  return new Request(url, { method: 'POST', body, headers });
}

function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const record = (...args: unknown[]): void => {
    lines.push(
      JSON.stringify(args, (_key, value: unknown) =>
        value instanceof Error ? { message: value.message } : value,
      ),
    );
  };
  return { logger: { trace: record, debug: record, info: record, warn: record, error: record }, lines };
}

async function problemOf(response: Response): Promise<ProblemDetails> {
  return (await response.json()) as ProblemDetails;
}

describe('createWebhookHandler', () => {
  it('verifies the exact raw bytes, parses them and answers 204 when handle returns nothing', async () => {
    const seen: { body?: Uint8Array; headers?: Headers } = {};
    const handled: unknown[] = [];
    const handler = createWebhookHandler({
      verify: tokenVerifier(seen),
      handle: (payload) => void handled.push(payload),
    });
    const bytes = new TextEncoder().encode('{ "name" : "Zoë" }');

    const response = await handler(post(bytes));

    expect(response.status).toBe(204);
    expect(seen.body).toEqual(bytes);
    expect(seen.headers?.get('x-token')).toBe(secret);
    expect(handled).toEqual([{ name: 'Zoë' }]);
  });

  it('answers with the Response that handle returns, and gives handle the raw body', async () => {
    const handler = createWebhookHandler({
      verify: tokenVerifier(),
      handle: (_payload, { body, request }) =>
        Response.json({ length: body.bytes.byteLength, method: request.method }),
    });
    const response = await handler(post('{"a":1}'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ length: 7, method: 'POST' });
  });

  it('uses the given parser on the verified bytes', async () => {
    const handled: unknown[] = [];
    const handler = createWebhookHandler({
      verify: tokenVerifier(),
      parse: (bytes) => bytes.byteLength,
      handle: (length) => void handled.push(length),
    });
    await handler(post('abc'));
    expect(handled).toEqual([3]);
  });

  it.each([
    ['a wrong token', { 'x-token': 'guess' }],
    ['no token', {}],
  ])('refuses %s with a generic 401 and never parses or handles', async (_name, headers) => {
    let parsed = false;
    let handled = false;
    const handler = createWebhookHandler({
      verify: tokenVerifier(),
      parse: () => (parsed = true),
      handle: () => void (handled = true),
    });
    const response = await handler(post('{}', headers));
    expect(response.status).toBe(401);
    expect(await problemOf(response)).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'Webhook signature verification failed',
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
    expect([parsed, handled]).toEqual([false, false]);
  });

  it('fails closed when a verifier returns a bare boolean instead of a verification', async () => {
    let handled = false;
    const verify = (() => true) as unknown as WebhookVerifier;
    const handler = createWebhookHandler({ verify, handle: () => void (handled = true) });
    expect((await handler(post('{}'))).status).toBe(401);
    expect(handled).toBe(false);
  });

  it('awaits an asynchronous verifier', async () => {
    const verify: WebhookVerifier = async () => ({ ok: false, reason: 'mismatch' });
    const handler = createWebhookHandler({ verify, handle: () => undefined });
    expect((await handler(post('{}'))).status).toBe(401);
  });

  it('answers 500 when the verifier throws, without leaking the error', async () => {
    const handler = createWebhookHandler({
      verify: () => {
        throw new Error(`key store down: ${secret}`);
      },
      handle: () => undefined,
    });
    const response = await handler(post('{}'));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain(secret);
  });

  it('answers 413 for a body over the limit, before verifying', async () => {
    let verified = false;
    const handler = createWebhookHandler({
      verify: () => ((verified = true), { ok: true }),
      handle: () => undefined,
      limitBytes: 16,
    });
    const response = await handler(post('x'.repeat(17)));
    expect(response.status).toBe(413);
    expect((await problemOf(response)).code).toBe('PAYLOAD_TOO_LARGE');
    expect(verified).toBe(false);
  });

  it('answers 400 naming the problem when the verified body is not JSON', async () => {
    const handler = createWebhookHandler({ verify: tokenVerifier(), handle: () => undefined });
    const response = await handler(post('{"a":'));
    expect(response.status).toBe(400);
    expect(await problemOf(response)).toMatchObject({
      code: 'VALIDATION',
      issues: [{ path: '', message: 'Body is not valid JSON' }],
    });
  });

  it('answers 400 with the fields a parser rejects', async () => {
    const handler = createWebhookHandler({
      verify: tokenVerifier(),
      parse: () => {
        throw new ValidationError('order webhook', [{ path: 'payload.uid', message: 'Required' }]);
      },
      handle: () => undefined,
    });
    expect((await problemOf(await handler(post('{}')))).issues).toEqual([
      { path: 'payload.uid', message: 'Required' },
    ]);
  });

  it('maps a bookingkit error from handle by its code', async () => {
    const handler = createWebhookHandler({
      verify: tokenVerifier(),
      handle: () => Promise.reject(new NotFoundError({ entity: 'Appointment', id: 'a1' })),
    });
    expect((await handler(post('{}'))).status).toBe(404);
  });

  it('uses extra statuses for codes of other blocks', async () => {
    const handler = createWebhookHandler({
      verify: tokenVerifier(),
      handle: () => {
        throw new BookingKitError('SLOT_CONFLICT', 'That slot was just taken', {});
      },
      statuses: { SLOT_CONFLICT: 409 },
    });
    expect((await handler(post('{}'))).status).toBe(409);
  });

  it('answers a bare 500 when handle throws something else, and logs it without body or secrets', async () => {
    const { logger, lines } = recordingLogger();
    const handler = createWebhookHandler({
      verify: tokenVerifier(),
      logger,
      handle: () => {
        throw new Error('database unavailable');
      },
    });
    const response = await handler(post('{"phone":"+14155550100"}'));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('database unavailable');
    expect(lines.join('\n')).toContain('database unavailable');
    expect(lines.join('\n')).not.toMatch(/14155550100|shared-secret-value/);
  });

  it('logs why a signature was refused, but not the header or the body', async () => {
    const { logger, lines } = recordingLogger();
    const handler = createWebhookHandler({ verify: tokenVerifier(), logger, handle: () => undefined });
    await handler(post('{"phone":"+14155550100"}', { 'x-token': 'guess-of-the-secret' }));
    expect(lines.join('\n')).toContain('mismatch');
    expect(lines.join('\n')).not.toMatch(/14155550100|guess-of-the-secret/);
  });

  it('handles concurrent requests independently', async () => {
    const handler = createWebhookHandler({
      verify: tokenVerifier(),
      handle: async (payload) => Response.json(payload),
    });
    const requests = Array.from({ length: 20 }, (_, i) =>
      post(JSON.stringify({ i }), i % 2 === 0 ? { 'x-token': secret } : { 'x-token': 'wrong' }),
    );
    const responses = await Promise.all(requests.map(handler));
    expect(responses.map((response) => response.status)).toEqual(
      requests.map((_, i) => (i % 2 === 0 ? 200 : 401)),
    );
    expect(await responses[4]?.json()).toEqual({ i: 4 });
  });

  it.each<[string, object]>([
    ['verify', { verify: undefined, handle: () => undefined }],
    ['handle', { verify: tokenVerifier(), handle: 'nope' }],
    ['parse', { verify: tokenVerifier(), handle: () => undefined, parse: 42 }],
    ['limitBytes', { verify: tokenVerifier(), handle: () => undefined, limitBytes: -1 }],
    ['statuses.X', { verify: tokenVerifier(), handle: () => undefined, statuses: { X: 700 } }],
  ])('refuses a bad %s when created', (option, options) => {
    let caught: unknown;
    try {
      createWebhookHandler(options as never);
    } catch (error) {
      caught = error;
    }
    expect(isInvalidOptionError(caught) && caught.context.option).toBe(option);
  });
});
