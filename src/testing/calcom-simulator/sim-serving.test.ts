import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../fake-clock.js';
import type { CalcomSimulator } from './calcom-simulator-api.js';
import { createCalcomSimulator } from './calcom-simulator.js';
import type { MswHttpNamespace } from './sim-msw.js';

const KEY = 'cal_test_simulator';
const headers = { authorization: `Bearer ${KEY}`, 'cal-api-version': '2024-06-14' };

function simulator(): CalcomSimulator {
  const sim = createCalcomSimulator({ clock: createFakeClock('2026-01-05T08:00:00Z') });
  sim.addEventType({
    slug: 'intro',
    lengthInMinutes: 15,
    timeZone: 'UTC',
    weeklyHours: { monday: [{ start: '09:00', end: '10:00' }] },
  });
  return sim;
}

/**
 * A stand-in for msw's `http` namespace with its semantics for `http.all(predicate, resolver)`:
 * a `*` in the predicate matches any rest of the URL, the resolver gets `{ request }`, and
 * `Response.error()` is a network error. (msw itself is not a dependency of bookingkit.)
 */
function fakeMsw() {
  const handlers: {
    pattern: RegExp;
    resolver: (info: { request: Request }) => Promise<Response | undefined>;
  }[] = [];
  const http: MswHttpNamespace<number> = {
    all(predicate, resolver) {
      const pattern = new RegExp(`^${predicate.replace(/[.?+^$()[\]{}|\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      return handlers.push({ pattern, resolver });
    },
  };
  const mockedFetch = async (input: string, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    for (const handler of handlers) {
      if (!handler.pattern.test(request.url.split('?')[0]!)) continue;
      const response = await handler.resolver({ request });
      if (response?.type === 'error') throw new TypeError('Failed to fetch');
      if (response) return response;
    }
    throw new Error(`unhandled request ${request.method} ${request.url}`);
  };
  return { http, fetch: mockedFetch };
}

describe('Cal.com simulator served over HTTP', () => {
  let sim: CalcomSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
  });

  it('answers real HTTP requests on a local port and stops on close', async () => {
    sim = simulator();
    const url = await sim.listen();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${url}/v2/event-types`, { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-limit-default')).toBe('120');
    const body = (await response.json()) as { data: { slug: string }[] };
    expect(body.data.map((eventType) => eventType.slug)).toEqual(['intro']);
    await expect(sim.listen()).rejects.toThrow(/already listens/);
    await sim.close();
    await expect(fetch(`${url}/v2/event-types`, { headers })).rejects.toThrow();
  });

  it('drops the connection for a lost response, after the write happened', async () => {
    sim = simulator();
    const url = await sim.listen();
    sim.faults.loseResponseNext(1, { method: 'POST', path: '/v2/webhooks' });
    const created = fetch(`${url}/v2/webhooks`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        subscriberUrl: 'https://example.com/hook',
        triggers: ['BOOKING_CREATED'],
        active: true,
      }),
    });
    await expect(created).rejects.toThrow(TypeError);
    expect(sim.webhooks.subscriptions()).toHaveLength(1);
  });

  it('holds a timed-out request until the client gives up', async () => {
    sim = simulator();
    const url = await sim.listen();
    sim.faults.timeoutNext();
    const controller = new AbortController();
    const pending = fetch(`${url}/v2/event-types`, { headers, signal: controller.signal });
    let settled = false;
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    controller.abort();
    await expect(pending).rejects.toThrow();
    // The next request is answered.
    expect((await fetch(`${url}/v2/event-types`, { headers })).status).toBe(200);
  });
});

describe('Cal.com simulator as msw handlers', () => {
  it("answers requests under the base URL through msw's http.all", async () => {
    const sim = simulator();
    const msw = fakeMsw();
    expect(sim.mswHandlers(msw.http)).toHaveLength(1);
    const response = await msw.fetch('https://api.cal.com/v2/event-types?username=simulator', { headers });
    expect(response.status).toBe(200);
    await expect(msw.fetch('https://api.cal.eu/v2/event-types', { headers })).rejects.toThrow(/unhandled/);
  });

  it('serves another base URL and turns a dropped connection into a network error', async () => {
    const sim = simulator();
    const msw = fakeMsw();
    sim.mswHandlers(msw.http, 'https://api.cal.eu/');
    sim.faults.loseResponseNext();
    await expect(msw.fetch('https://api.cal.eu/v2/event-types', { headers })).rejects.toThrow(
      'Failed to fetch',
    );
    expect((await msw.fetch('https://api.cal.eu/v2/event-types', { headers })).status).toBe(200);
  });
});
