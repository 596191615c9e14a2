import { describe, expect, it } from 'vitest';
import { httpCall } from './http-call.js';

/** A fetch that records what it was given and answers with `respond`. */
function recordingFetch(respond: (request: Request) => Response | Promise<Response>) {
  const seen: Request[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push(request);
    return respond(request);
  }) as typeof globalThis.fetch;
  return { seen, fetch };
}

/** A response whose headers arrive but whose body never ends (until the request is aborted). */
function stalledBody(request: Request): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"status":'));
      request.signal.addEventListener('abort', () => controller.error(request.signal.reason));
    },
  });
  return new Response(body, { status: 200 });
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('httpCall', () => {
  it('sends the method, URL and headers, and a JSON body with its content type', async () => {
    const { seen, fetch } = recordingFetch(() => new Response('{"ok":true}', { status: 201 }));
    const answer = await httpCall(
      {
        method: 'POST',
        url: 'https://api.cal.com/v2/bookings?x=1',
        headers: { authorization: 'Bearer k' },
        json: { start: '2026-03-02T09:00:00Z' },
      },
      { fetch, timeoutMs: 1_000, service: 'Cal.com' },
    );
    expect([answer.response.status, answer.text]).toEqual([201, '{"ok":true}']);
    const [request] = seen;
    expect([request!.method, request!.url, request!.headers.get('authorization')]).toEqual([
      'POST',
      'https://api.cal.com/v2/bookings?x=1',
      'Bearer k',
    ]);
    expect(request!.headers.get('content-type')).toBe('application/json');
    expect(await request!.json()).toEqual({ start: '2026-03-02T09:00:00Z' });
  });

  it('sends no body and no content type without JSON', async () => {
    const { seen, fetch } = recordingFetch(() => new Response(''));
    await httpCall(
      { method: 'GET', url: 'https://api.cal.com/v2/me', headers: {} },
      { fetch, timeoutMs: 0, service: 'Cal.com' },
    );
    expect([seen[0]!.headers.get('content-type'), await seen[0]!.text()]).toEqual([null, '']);
  });

  it('times out a body that stalls after the headers arrived', async () => {
    const { fetch } = recordingFetch(stalledBody);
    const error = await failureOf(
      httpCall(
        { method: 'GET', url: 'https://api.cal.com/v2/me', headers: {} },
        { fetch, timeoutMs: 5, service: 'Cal.com' },
      ),
    );
    expect((error as Error).name).toBe('TimeoutError');
  });

  it('rejects with the caller’s reason when the caller aborts, with or without a time limit', async () => {
    for (const timeoutMs of [0, 60_000]) {
      const { fetch } = recordingFetch(stalledBody);
      const controller = new AbortController();
      const pending = failureOf(
        httpCall(
          { method: 'GET', url: 'https://api.cal.com/v2/me', headers: {}, signal: controller.signal },
          { fetch, timeoutMs, service: 'Cal.com' },
        ),
      );
      const reason = new Error('caller gave up');
      setTimeout(() => controller.abort(reason), 1);
      expect(await pending).toBe(reason);
    }
  });

  it('does not send when the caller has already aborted', async () => {
    const { seen, fetch } = recordingFetch(() => new Response(''));
    const reason = new Error('too late');
    const error = await failureOf(
      httpCall(
        { method: 'GET', url: 'https://api.cal.com/v2/me', headers: {}, signal: AbortSignal.abort(reason) },
        { fetch, timeoutMs: 1_000, service: 'Cal.com' },
      ),
    );
    expect([error, seen.length]).toEqual([reason, 0]);
  });
});
