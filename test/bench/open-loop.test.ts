import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { dueCount, runOpenLoop } from '../../bench/system/open-loop.js';
import { serveLocally as serve } from '../support/local-server.js';

// The system benchmark's fixed load. autocannon's rate option sends each connection's quota for a
// second in one burst as the second begins, which measured burst latency and called it the
// latency at a steady rate. These check the two properties of an open loop, as lower bounds that
// a slow machine cannot break: requests go out on their schedule whether or not earlier ones were
// answered, and latency runs from the scheduled moment.

describe('dueCount', () => {
  it('counts the requests whose moment has come, the first at the start, never more than the total', () => {
    expect(dueCount(-1, 5, 10)).toBe(0);
    expect(dueCount(0, 5, 10)).toBe(1);
    expect(dueCount(4.9, 5, 10)).toBe(1);
    expect(dueCount(5, 5, 10)).toBe(2);
    expect(dueCount(1_000, 5, 10)).toBe(10);
  });
});

describe('runOpenLoop', () => {
  it('sends every request on its schedule without waiting for the answers of earlier ones', async () => {
    // The server answers nothing until all 20 requests are in: a closed loop would stall here.
    const arrivals: number[] = [];
    const held: ServerResponse[] = [];
    const url = await serve((req, res) => {
      req.resume();
      arrivals.push(performance.now());
      held.push(res);
      if (held.length === 20) for (const waiting of held) waiting.end('ok');
    });
    const result = await runOpenLoop({ url, rate: 100, durationSec: 0.2 });
    expect(result.statuses).toEqual({ '200': 20 });
    expect(result.errors).toBe(0);
    // Request i leaves at i × 10 ms: the 20th no sooner than 190 ms after the first.
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(150);
    // Every answer came after the 20th request: the first one waited for it from its own moment.
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(180);
  });

  it('posts the prepared requests, with their bodies and headers', async () => {
    const seen: {
      method: string | undefined;
      url: string | undefined;
      signature: string | undefined;
      body: string;
    }[] = [];
    const url = await serve((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        seen.push({
          method: req.method,
          url: req.url,
          signature: req.headers['x-signature'] as string | undefined,
          body,
        });
        res.statusCode = seen.length === 3 ? 409 : 200;
        res.end();
      });
    });
    let n = 0;
    const answered: string[] = [];
    const result = await runOpenLoop({
      url,
      rate: 50,
      durationSec: 0.1,
      answered: (request, status) => answered.push(`${request.path} ${status}`),
      next: () => {
        n += 1;
        return {
          method: 'POST',
          path: `/hooks/${n}`,
          headers: { 'x-signature': `s${n}` },
          body: `{"n":${n}}`,
        };
      },
    });
    expect(seen).toHaveLength(5);
    expect(seen.map((request) => request.url).sort()).toEqual([
      '/hooks/1',
      '/hooks/2',
      '/hooks/3',
      '/hooks/4',
      '/hooks/5',
    ]);
    for (const request of seen) {
      expect(request.method).toBe('POST');
      expect(request.body).toBe(`{"n":${request.url!.slice('/hooks/'.length)}}`);
      expect(request.signature).toBe(`s${request.url!.slice('/hooks/'.length)}`);
    }
    expect(result.statuses).toEqual({ '200': 4, '409': 1 });
    // Each answer is reported with the request it answers.
    const third = seen[2]!.url!;
    expect(answered.sort()).toEqual(
      seen.map((request) => `${request.url} ${request.url === third ? 409 : 200}`).sort(),
    );
  });

  it('counts a request that gets no answer in time as an error, and still finishes', async () => {
    const url = await serve((req) => void req.resume()); // never answers
    const result = await runOpenLoop({ url, rate: 20, durationSec: 0.1, timeoutSec: 0.2 });
    expect(result.errors).toBe(2);
    expect(result.requests).toBe(0);
  });
});
