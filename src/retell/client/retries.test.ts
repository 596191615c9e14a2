import { describe, expect, it } from 'vitest';
import { constantBackoff } from '../../resilience/backoff.js';
import { circuitBreaker } from '../../resilience/breaker/circuit-breaker.js';
import { consecutiveFailures } from '../../resilience/breaker/consecutive-failures.js';
import { isServiceFault } from '../../resilience/http.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { createRetellClient, type RetellClient } from './client.js';
import type { RetellClientOptions } from './client-options.js';
import {
  isRetellApiError,
  isRetellAuthError,
  isRetellRateLimitedError,
  isRetellUnavailableError,
} from './errors.js';

// A fetch that answers with the next of `answers` (the last one repeats) and counts requests.
type Answer = () => Response | Promise<Response>;
function scripted(...answers: Answer[]) {
  const requests: string[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(`${request.method} ${new URL(request.url).pathname}`);
    return answers[Math.min(requests.length, answers.length) - 1]!();
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}
const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });
const failure = (status: number, message: string, headers: Record<string, string> = {}) =>
  json(status, { status: 'error', message }, headers);
const networkFailure: Answer = () => {
  throw new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
};

const call = {
  call_id: 'call_1',
  agent_id: 'agent_1',
  agent_version: 1,
  call_status: 'registered',
  call_type: 'phone_call',
  direction: 'outbound',
  from_number: '+14155550100',
  to_number: '+14155550199',
};
const ok = json(200, call);
const created = json(201, call);
const onePage = json(200, { items: [call], has_more: false });

function setup(answers: Answer[], options: Partial<RetellClientOptions> = {}) {
  const api = scripted(...answers);
  const clock = createFakeClock();
  const retell = createRetellClient({
    apiKey: 'key_test',
    fetch: api.fetch,
    clock,
    retry: { backoff: constantBackoff(1_000) },
    ...options,
  });
  return { api, clock, retell };
}

const createRequest = { from_number: '+14155550100', to_number: '+14155550199' };
async function firstPage(retell: RetellClient) {
  for await (const page of retell.listCalls()) return page;
  return undefined;
}

describe('Retell client retries: reads only', () => {
  it('retries getCall after a 503, after the backoff', async () => {
    const { api, clock, retell } = setup([failure(503, 'down'), ok]);
    const pending = retell.getCall('call_1');
    await clock.advance(999);
    expect(api.requests).toHaveLength(1);
    await clock.advance(1);
    expect((await pending)?.call_id).toBe('call_1');
    expect(api.requests).toHaveLength(2);
  });

  it('waits exactly the Retry-After of a 429 before retrying a read', async () => {
    const { api, clock, retell } = setup([failure(429, 'Account rate limited', { 'retry-after': '20' }), ok]);
    const pending = retell.getCall('call_1');
    await clock.advance(19_999);
    expect(api.requests).toHaveLength(1);
    await clock.advance(1);
    expect((await pending)?.call_id).toBe('call_1');
    expect(api.requests).toHaveLength(2);
  });

  it('honours retry-after-ms, and backs off when a 429 names no wait', async () => {
    const { api, clock, retell } = setup([
      failure(429, 'limited', { 'retry-after-ms': '250' }),
      failure(429, 'limited'),
      ok,
    ]);
    const pending = retell.getCall('call_1');
    await clock.advance(250);
    expect(api.requests).toHaveLength(2);
    await clock.advance(999);
    expect(api.requests).toHaveLength(2);
    await clock.advance(1);
    expect((await pending)?.call_id).toBe('call_1');
  });

  it('retries a list page after a network failure, sending the same page again', async () => {
    const { api, clock, retell } = setup([networkFailure, onePage]);
    const pending = firstPage(retell);
    await clock.runAll();
    expect((await pending)?.items[0]?.call_id).toBe('call_1');
    expect(api.requests).toEqual(['POST /v3/list-calls', 'POST /v3/list-calls']);
  });

  it('gives up at once when a 429 asks for longer than maxRetryAfterMs', async () => {
    const { api, retell } = setup([failure(429, 'limited', { 'retry-after': '120' })], {
      retry: { maxRetryAfterMs: 60_000 },
    });
    const error = await retell.getCall('call_1').catch((e: unknown) => e);
    expect(isRetellRateLimitedError(error) && error.context.retryAfterMs).toBe(120_000);
    expect(api.requests).toHaveLength(1);
  });

  it('stops after maxAttempts, with the last failure', async () => {
    const { api, clock, retell } = setup([failure(500, 'An unexpected server error occurred.')], {
      retry: { maxAttempts: 4, backoff: constantBackoff(10) },
    });
    const pending = retell.getCall('call_1').catch((e: unknown) => e);
    await clock.runAll();
    const error = await pending;
    expect(isRetellUnavailableError(error) && [error.context.status, error.context.inDoubt]).toEqual([
      500,
      false,
    ]);
    expect(api.requests).toHaveLength(4);
  });

  it.each([
    ['401', failure(401, 'API key is missing or invalid.'), isRetellAuthError],
    ['400', failure(400, 'Invalid request format'), isRetellApiError],
  ])('does not retry a read refused with %s', async (_status, answer, guard) => {
    const { api, retell } = setup([answer, ok]);
    expect(guard(await retell.getCall('call_1').catch((e: unknown) => e))).toBe(true);
    expect(api.requests).toHaveLength(1);
  });

  it('stops waiting for a retry when the caller aborts', async () => {
    const { api, clock, retell } = setup([failure(503, 'down'), ok]);
    const controller = new AbortController();
    const pending = retell.getCall('call_1', { signal: controller.signal }).catch((e: unknown) => e);
    await clock.advance(10);
    const reason = new Error('caller gave up');
    controller.abort(reason);
    expect(await pending).toBe(reason);
    await clock.runAll();
    expect(api.requests).toHaveLength(1);
  });

  it.each([
    ['a 503', failure(503, 'An unexpected server error occurred.')],
    ['a 500', failure(500, 'An unexpected server error occurred.')],
    ['a network failure', networkFailure],
    ['a 429 with Retry-After', failure(429, 'Account rate limited', { 'retry-after': '1' })],
  ])('never retries createPhoneCall after %s: exactly one request', async (_name, answer) => {
    const { api, clock, retell } = setup([answer, created]);
    const pending = retell.createPhoneCall(createRequest).catch((e: unknown) => e);
    await clock.runAll();
    const error = await pending;
    expect(api.requests).toEqual(['POST /v2/create-phone-call']);
    if (isRetellUnavailableError(error)) expect(error.context.inDoubt).toBe(true);
    else expect(isRetellRateLimitedError(error)).toBe(true);
  });

  it('reports a create without an answer as network, in doubt', async () => {
    const { retell } = setup([networkFailure]);
    const error = await retell.createPhoneCall(createRequest).catch((e: unknown) => e);
    expect(isRetellUnavailableError(error) && error.context).toEqual({
      endpoint: 'POST /v2/create-phone-call',
      reason: 'network',
      status: null,
      inDoubt: true,
    });
    expect(isServiceFault(error)).toBe(true);
  });
});

describe('Retell client time limit', () => {
  const hangs = () => {
    // Answers only by rejecting with the request's abort reason, as a real fetch does.
    const requests: string[] = [];
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      requests.push(new Request(input, init).url);
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error));
      });
    }) as typeof globalThis.fetch;
    return { requests, fetch };
  };

  it('ends a create that gets no answer in time as a timeout, in doubt, sent once', async () => {
    const api = hangs();
    const retell = createRetellClient({ apiKey: 'k', fetch: api.fetch, timeoutMs: 20 });
    const error = await retell.createPhoneCall(createRequest).catch((e: unknown) => e);
    expect(isRetellUnavailableError(error) && [error.context.reason, error.context.inDoubt]).toEqual([
      'timeout',
      true,
    ]);
    expect(api.requests).toHaveLength(1);
  });

  it('retries a read whose body stalls past the time limit', async () => {
    let requests = 0;
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      requests += 1;
      if (requests > 1) return Promise.resolve(ok());
      const signal = init!.signal!;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"call_id":'));
          signal.addEventListener('abort', () => controller.error(signal.reason));
        },
      });
      return Promise.resolve(new Response(body, { status: 200 }));
    }) as typeof globalThis.fetch;
    const retell = createRetellClient({
      apiKey: 'k',
      fetch,
      timeoutMs: 20,
      retry: { backoff: constantBackoff(0) },
    });
    expect((await retell.getCall('call_1'))?.call_id).toBe('call_1');
    expect(requests).toBe(2);
  });

  it('rejects with the caller’s reason when the caller aborts a request in flight', async () => {
    const api = hangs();
    const retell = createRetellClient({ apiKey: 'k', fetch: api.fetch });
    const controller = new AbortController();
    const pending = retell.getCall('call_1', { signal: controller.signal }).catch((e: unknown) => e);
    const reason = new Error('hung up');
    controller.abort(reason);
    expect(await pending).toBe(reason);
    expect(api.requests).toHaveLength(1);
  });
});

describe('Retell client under a circuit breaker', () => {
  it('runs each attempt through the policy; an open breaker stops the retries', async () => {
    const clock = createFakeClock();
    const breaker = circuitBreaker({ name: 'retell', policy: consecutiveFailures(2), clock });
    const { api, retell } = setup([failure(503, 'down')], {
      clock,
      policy: breaker,
      retry: { maxAttempts: 5, backoff: constantBackoff(0) },
    });
    const pending = retell.getCall('call_1').catch((e: unknown) => e);
    await clock.runAll();
    expect(((await pending) as Error).name).toBe('BrokenCircuitError');
    expect(api.requests).toHaveLength(2);
  });

  it('does not count a refusal (4xx) against the breaker', async () => {
    const clock = createFakeClock();
    const breaker = circuitBreaker({ name: 'retell', policy: consecutiveFailures(2), clock });
    const notFound = failure(404, 'The requested resource was not found.');
    const { api, retell } = setup([notFound, notFound, notFound, ok], {
      clock,
      policy: breaker,
    });
    for (let i = 0; i < 3; i += 1) expect(await retell.getCall(`missing_${i}`)).toBeNull();
    expect((await retell.getCall('call_1'))?.call_id).toBe('call_1');
    expect(api.requests).toHaveLength(4);
  });
});
