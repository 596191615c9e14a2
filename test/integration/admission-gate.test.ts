import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { admissionGate } from '../../src/http/frameworks/admission-gate.js';
import { bulkhead } from '../../src/resilience/bulkhead.js';

// The admission gate refuses a command request for overload before anything is built for it (no
// fetch Request, no body read, no authentication): under a burst far beyond the limit the
// refusals must stay cheap, or they hold up the requests that were admitted.

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server whose every request passes the gate, then answers 200 `passed`. */
async function gated(gate: ReturnType<typeof admissionGate>): Promise<{ url: string; passed: string[] }> {
  const passed: string[] = [];
  const server = createServer((req, res) =>
    gate(req, res, () => {
      passed.push(`${req.method} ${req.url}`);
      req.resume();
      req.on('end', () => res.end('passed'));
    }),
  );
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, passed };
}

/** A bulkhead whose only slot is held until `release()`. */
async function fullBulkhead() {
  const limit = bulkhead({ maxConcurrent: 1, maxQueue: 0, retryAfterMs: 2_500 });
  let release!: () => void;
  const held = limit.execute(() => new Promise<void>((resolve) => (release = resolve)));
  await Promise.resolve();
  return { limit, release: async () => (release(), await held) };
}

describe('admissionGate', () => {
  it('answers a POST with 503, Retry-After and the problem of the refusal while the admission is full', async () => {
    const { limit, release } = await fullBulkhead();
    const { url, passed } = await gated(admissionGate(limit));
    const response = await fetch(`${url}/api/appointments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ eventTypeId: 'consult' }),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    // The headers every API answer carries.
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect(passed).toEqual([]);
    await release();
  });

  it('lets requests through once a slot frees, and never takes a slot itself', async () => {
    const { limit, release } = await fullBulkhead();
    const { url, passed } = await gated(admissionGate(limit));
    expect((await fetch(`${url}/a`, { method: 'POST', body: 'x' })).status).toBe(503);
    await release();
    expect(await (await fetch(`${url}/a`, { method: 'POST', body: 'x' })).text()).toBe('passed');
    expect(await (await fetch(`${url}/b`, { method: 'POST', body: 'y' })).text()).toBe('passed');
    expect(passed).toEqual(['POST /a', 'POST /b']);
    // Both slots are still free: the gate only looked.
    expect([limit.running, limit.queued]).toEqual([0, 0]);
  });

  it('passes methods it does not gate (GET by default) even while full', async () => {
    const { limit, release } = await fullBulkhead();
    const { url, passed } = await gated(admissionGate(limit));
    expect(await (await fetch(`${url}/api/appointments/1`)).text()).toBe('passed');
    const gatedMethods = await gated(admissionGate(limit, { methods: ['POST', 'DELETE'] }));
    expect((await fetch(`${gatedMethods.url}/x`, { method: 'DELETE' })).status).toBe(503);
    expect(passed).toEqual(['GET /api/appointments/1']);
    await release();
  });

  it('passes everything when there is no admission (kit.admission with admission: false)', async () => {
    const { url, passed } = await gated(admissionGate(undefined));
    expect(await (await fetch(`${url}/a`, { method: 'POST', body: 'x' })).text()).toBe('passed');
    expect(passed).toEqual(['POST /a']);
  });

  it('lets a client that is still sending its body read the 503 (the body is read and dropped)', async () => {
    const { limit, release } = await fullBulkhead();
    const { url } = await gated(admissionGate(limit));
    const { port } = new URL(url);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, method: 'POST', path: '/big', headers: { 'content-length': 2_000_000 } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      // The body in pieces, some of them after the answer has been written.
      let sent = 0;
      const more = () => {
        if (sent >= 2_000_000) return req.end();
        sent += 100_000;
        req.write(Buffer.alloc(100_000, 0x61), () => setImmediate(more));
      };
      more();
    });
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 503 });
    await release();
  });

  it('refuses an admission that is not a policy, and methods that are not names, naming the option', () => {
    expect(() => admissionGate({} as never)).toThrow(/admissionGate: option "admission"/);
    const limit = bulkhead({ maxConcurrent: 1 });
    expect(() => admissionGate(limit, { methods: 'POST' as never })).toThrow(
      /admissionGate: option "methods"/,
    );
    expect(() => admissionGate(limit, { methods: [''] })).toThrow(/admissionGate: option "methods"/);
  });
});
