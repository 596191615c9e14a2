import { describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { isValidationError } from '../../errors/validation-error.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { createRetellClient } from './client.js';
import type { RetellClientOptions } from './client-options.js';
import { isRetellApiError, isRetellResponseError } from './errors.js';

// A fake of Retell's REST API behind an injected fetch (msw is not a dependency of this
// repository). Routes answer in the order they were added for the same pattern; the last one
// for a pattern repeats.
type Responder = (request: Request, body: unknown) => Response | Promise<Response>;
interface Seen {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | null;
  readonly contentType: string | null;
  readonly body: unknown;
}
function fakeRetell() {
  const routes: { method: string; path: RegExp; respond: Responder }[] = [];
  const requests: Seen[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const { pathname } = new URL(request.url);
    const text = await request.clone().text();
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    const { headers } = request;
    requests.push({
      method: request.method,
      path: pathname,
      authorization: headers.get('authorization'),
      contentType: headers.get('content-type'),
      body,
    });
    const matching = routes.filter((r) => r.method === request.method && r.path.test(pathname));
    if (matching.length === 0) return json(404, { status: 'error', message: 'no route' });
    if (matching.length > 1) routes.splice(routes.indexOf(matching[0]!), 1);
    return matching[0]!.respond(request, body);
  }) as typeof globalThis.fetch;
  const fake = {
    requests,
    fetch,
    on(pattern: string, respond: Responder) {
      const [method, path] = pattern.split(' ') as [string, string];
      routes.push({ method, path: new RegExp(`^${path.replace(/:\w+/g, '[^/]+')}$`), respond });
      return fake;
    },
  };
  return fake;
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A phone call object as get-call answers it (retell.md §1.4), with a field the schema does not know. */
const phoneCall = (overrides: Record<string, unknown> = {}) => ({
  call_id: 'Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6',
  agent_id: 'agent_1',
  agent_version: 3,
  call_status: 'ended',
  call_type: 'phone_call',
  direction: 'outbound',
  from_number: '+14155550100',
  to_number: '+14155550199',
  disconnection_reason: 'a_reason_retell_added_later',
  transcript: 'Agent: Hello',
  latency: { e2e: { p50: 800 } },
  ...overrides,
});

function setup(options: Partial<RetellClientOptions> = {}) {
  const fake = fakeRetell();
  const clock = createFakeClock();
  const retell = createRetellClient({ apiKey: 'key_test', fetch: fake.fetch, clock, ...options });
  return { fake, clock, retell };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of iterable) all.push(item);
  return all;
}

describe('createRetellClient: getCall', () => {
  it('reads the call with the bearer key and keeps fields it does not know', async () => {
    const { fake, retell } = setup();
    fake.on('GET /v2/get-call/:id', () => json(200, phoneCall()));
    const call = await retell.getCall('Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6');
    expect(call?.call_type === 'phone_call' && call.direction).toBe('outbound');
    expect(call?.disconnection_reason).toBe('a_reason_retell_added_later');
    expect((call as Record<string, unknown>).latency).toEqual({ e2e: { p50: 800 } });
    expect(fake.requests).toEqual([
      {
        method: 'GET',
        path: '/v2/get-call/Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6',
        authorization: 'Bearer key_test',
        contentType: null,
        body: undefined,
      },
    ]);
  });

  it('escapes the id in the path', async () => {
    const { fake, retell } = setup();
    fake.on('GET /v2/get-call/:id', () => json(200, phoneCall({ call_id: 'a/b' })));
    await retell.getCall('a/b');
    expect(fake.requests[0]!.path).toBe('/v2/get-call/a%2Fb');
  });

  it('reads a web call too', async () => {
    const { fake, retell } = setup();
    const { direction: _d, from_number: _f, to_number: _t, ...common } = phoneCall();
    fake.on('GET /v2/get-call/:id', () =>
      json(200, { ...common, call_type: 'web_call', access_token: 'tok' }),
    );
    expect((await retell.getCall('c1'))?.call_type).toBe('web_call');
  });

  it('answers null for a call Retell does not know: 404, or 422 "Cannot find requested asset"', async () => {
    const { fake, retell } = setup();
    fake
      .on('GET /v2/get-call/:id', () =>
        json(404, { status: 'error', message: 'The requested resource was not found.' }),
      )
      .on('GET /v2/get-call/:id', () =>
        json(422, { status: 'error', message: 'Cannot find requested asset under given api key.' }),
      );
    expect(await retell.getCall('missing-1')).toBeNull();
    expect(await retell.getCall('missing-2')).toBeNull();
    expect(fake.requests).toHaveLength(2);
  });

  it('throws RetellApiError for another 422', async () => {
    const { fake, retell } = setup();
    fake.on('GET /v2/get-call/:id', () => json(422, { status: 'error', message: 'Invalid call id format.' }));
    const error = await failureOf(retell.getCall('c1'));
    expect(isRetellApiError(error) && [error.context.status, error.context.detail]).toEqual([
      422,
      'Invalid call id format.',
    ]);
  });

  it('refuses an empty id before sending anything', async () => {
    const { fake, retell } = setup();
    expect(isValidationError(await failureOf(retell.getCall('')))).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('createRetellClient: malformed answers', () => {
  it('names the field that does not match', async () => {
    const { fake, retell } = setup();
    fake.on('GET /v2/get-call/:id', () => json(200, phoneCall({ agent_version: 'three' })));
    const error = await failureOf(retell.getCall('c1'));
    expect(isRetellResponseError(error) && error.context.issues.map((i) => i.path)).toEqual([
      'agent_version',
    ]);
    expect((error as Error).message).toMatch(
      /^Retell answered GET \/v2\/get-call\/\{call_id\} with an unexpected body: agent_version: /,
    );
  });

  it('names the path inside a list page', async () => {
    const { fake, retell } = setup();
    const { call_id: _id, ...noId } = phoneCall();
    fake.on('POST /v3/list-calls', () => json(200, { items: [phoneCall(), noId], has_more: false }));
    const error = await failureOf(collect(retell.listCalls()));
    expect(isRetellResponseError(error) && error.context.issues.map((i) => i.path)).toEqual([
      'items.1.call_id',
    ]);
  });

  it('says when the body is not JSON', async () => {
    const { fake, retell } = setup();
    fake.on('GET /v2/get-call/:id', () => new Response('<html>gateway</html>', { status: 200 }));
    const error = await failureOf(retell.getCall('c1'));
    expect(isRetellResponseError(error) && error.context.issues).toEqual([
      { path: '', message: 'expected a JSON body, got text' },
    ]);
  });

  it('refuses the legacy bare-array answer of list-calls', async () => {
    const { fake, retell } = setup();
    fake.on('POST /v3/list-calls', () => json(200, [phoneCall()]));
    expect(isRetellResponseError(await failureOf(collect(retell.listCalls())))).toBe(true);
  });
});

describe('createRetellClient: listCalls', () => {
  const page = (ids: string[], key: string | null) =>
    json(200, {
      items: ids.map((call_id) => phoneCall({ call_id })),
      has_more: key !== null,
      ...(key === null ? {} : { pagination_key: key }),
      total: 5,
    });

  it('walks three pages, sending back each pagination_key, and stops after the last', async () => {
    const { fake, retell } = setup();
    fake
      .on('POST /v3/list-calls', () => page(['c1', 'c2'], 'c2'))
      .on('POST /v3/list-calls', () => page(['c3', 'c4'], 'c4'))
      .on('POST /v3/list-calls', () => page(['c5'], null));
    const filter = { call_status: { type: 'enum', op: 'in', value: ['ended'] } };
    const pages = await collect(
      retell.listCalls({ filter_criteria: filter, sort_order: 'ascending', limit: 2, include_total: true }),
    );
    expect(pages.map((p) => [p.items.map((c) => c.call_id), p.hasMore, p.paginationKey, p.total])).toEqual([
      [['c1', 'c2'], true, 'c2', 5],
      [['c3', 'c4'], true, 'c4', 5],
      [['c5'], false, null, 5],
    ]);
    const base = { filter_criteria: filter, sort_order: 'ascending', limit: 2, include_total: true };
    expect(fake.requests.map((r) => [r.method, r.path, r.contentType, r.body])).toEqual([
      ['POST', '/v3/list-calls', 'application/json', base],
      ['POST', '/v3/list-calls', 'application/json', { ...base, pagination_key: 'c2' }],
      ['POST', '/v3/list-calls', 'application/json', { ...base, pagination_key: 'c4' }],
    ]);
  });

  it('fetches a page only when the loop asks for it, and none after a break', async () => {
    const { fake, retell } = setup();
    fake
      .on('POST /v3/list-calls', () => page(['c1'], 'c1'))
      .on('POST /v3/list-calls', () => page(['c2'], 'c2'));
    const pages = retell.listCalls({ limit: 1 });
    expect(fake.requests).toHaveLength(0);
    for await (const first of pages) {
      expect(first.items[0]!.call_id).toBe('c1');
      expect(fake.requests).toHaveLength(1);
      break;
    }
    expect(fake.requests).toHaveLength(1);
  });

  it('throws a response error naming pagination_key when has_more comes without a new key', async () => {
    for (const second of [
      () => json(200, { items: [phoneCall({ call_id: 'c2' })], has_more: true }),
      () => page(['c2'], 'c1'),
    ]) {
      const { fake, retell } = setup();
      fake.on('POST /v3/list-calls', () => page(['c1'], 'c1')).on('POST /v3/list-calls', second);
      const error = await failureOf(collect(retell.listCalls()));
      expect(isRetellResponseError(error) && error.context.issues[0]!.path).toBe('pagination_key');
      expect(fake.requests).toHaveLength(2);
    }
  });

  it('resumes after a given pagination_key', async () => {
    const { fake, retell } = setup();
    fake.on('POST /v3/list-calls', () => page(['c5'], null));
    const pages = await collect(retell.listCalls({ limit: 2, pagination_key: 'c4' }));
    expect(pages.map((p) => p.items.map((c) => c.call_id))).toEqual([['c5']]);
    expect(fake.requests.map((r) => r.body)).toEqual([{ limit: 2, pagination_key: 'c4' }]);
  });

  it.each([
    ['limit', { limit: 5_000 }],
    ['', { skip: 100 }],
    ['', { filter: { call_status: { type: 'enum', op: 'in', value: ['ended'] } } }],
    ['filter_criteria.call_status.op', { filter_criteria: { call_status: { type: 'enum', value: [] } } }],
  ])('refuses a bad request at once, before iterating (%s)', (path, request) => {
    const { fake, retell } = setup();
    let thrown: unknown;
    try {
      retell.listCalls(request as never);
    } catch (error) {
      thrown = error;
    }
    expect(isValidationError(thrown) && thrown.context.issues[0]!.path).toBe(path);
    expect(fake.requests).toHaveLength(0);
  });

  it('stops with the caller’s reason when the signal aborts between pages', async () => {
    const { fake, retell } = setup();
    fake
      .on('POST /v3/list-calls', () => page(['c1'], 'c1'))
      .on('POST /v3/list-calls', () => page(['c2'], 'c2'));
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const seen: string[] = [];
    const error = await failureOf(
      (async () => {
        for await (const p of retell.listCalls({}, { signal: controller.signal })) {
          seen.push(p.items[0]!.call_id);
          controller.abort(reason);
        }
      })(),
    );
    expect([error, seen, fake.requests.length]).toEqual([reason, ['c1'], 1]);
  });
});

describe('createRetellClient: createPhoneCall', () => {
  it('posts the call and answers the registered call', async () => {
    const { fake, retell } = setup();
    fake.on('POST /v2/create-phone-call', (_request, body) =>
      json(201, phoneCall({ call_status: 'registered', ...(body as object) })),
    );
    const request = {
      from_number: '+14155550100',
      to_number: '+14155550199',
      override_agent_id: 'agent_2',
      retell_llm_dynamic_variables: { customer_name: 'Ada' },
      metadata: { appointmentId: 'apt_1' },
    };
    const call = await retell.createPhoneCall(request);
    expect([call.call_status, call.override_agent_id, call.metadata]).toEqual([
      'registered',
      'agent_2',
      { appointmentId: 'apt_1' },
    ]);
    expect(fake.requests).toEqual([
      {
        method: 'POST',
        path: '/v2/create-phone-call',
        authorization: 'Bearer key_test',
        contentType: 'application/json',
        body: request,
      },
    ]);
  });

  it('refuses a request without numbers or with non-string variables before sending', async () => {
    const { fake, retell } = setup();
    const error = await failureOf(
      retell.createPhoneCall({
        from_number: '+14155550100',
        retell_llm_dynamic_variables: { slots: 3 },
      } as never),
    );
    expect(isValidationError(error) && error.context.issues.map((i) => i.path)).toEqual([
      'to_number',
      'retell_llm_dynamic_variables.slots',
    ]);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('createRetellClient: options', () => {
  it('sends to another base URL, without doubling a slash', async () => {
    const fake = fakeRetell();
    const urls: string[] = [];
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      urls.push(new Request(input, init).url);
      return fake.fetch(input, init);
    }) as typeof globalThis.fetch;
    fake.on('GET /v2/get-call/:id', () => json(200, phoneCall()));
    const proxied = createRetellClient({ apiKey: 'k', baseUrl: 'https://retell.proxy.example/', fetch });
    await proxied.getCall('c1');
    expect(urls).toEqual(['https://retell.proxy.example/v2/get-call/c1']);
  });

  it.each([
    ['apiKey', { apiKey: '' }],
    ['apiKey', { apiKey: undefined }],
    ['baseUrl', { apiKey: 'k', baseUrl: 'api.retellai.com' }],
    ['fetch', { apiKey: 'k', fetch: 'fetch' }],
    ['timeoutMs', { apiKey: 'k', timeoutMs: -1 }],
    ['retry.maxAttempts', { apiKey: 'k', retry: { maxAttempts: 0 } }],
    ['retry.backoff', { apiKey: 'k', retry: { backoff: 100 } }],
    ['policy', { apiKey: 'k', policy: {} }],
    ['clock', { apiKey: 'k', clock: Date }],
  ])('refuses a bad %s at once', (option, options) => {
    let thrown: unknown;
    try {
      createRetellClient(options as unknown as RetellClientOptions);
    } catch (error) {
      thrown = error;
    }
    expect(isInvalidOptionError(thrown) && thrown.context.option).toBe(option);
  });

  it('never puts the API key in an error', async () => {
    const { fake, retell } = setup({ apiKey: 'key_secret_123' });
    fake.on('GET /v2/get-call/:id', () =>
      json(401, { status: 'error', message: 'API key is missing or invalid.' }),
    );
    const error = await failureOf(retell.getCall('c1'));
    expect(JSON.stringify(error) + String(error)).not.toContain('key_secret_123');
  });
});
