/**
 * The Cal.com simulator as a process of its own: `tsx bench/system/calcom-simulator-process.ts`.
 *
 * Environment: `SIM_TENANTS` (how many fleet tenants to seed, default 2), `SIM_LATENCY_MS`
 * (default 0), `SIM_RATE_LIMIT` (requests per minute per API key, or `off`; default 120 as
 * Cal.com), `SIM_PORT` and `SIM_CONTROL_PORT` (default 0: free ports).
 *
 * Prints one JSON line `{"ready":true,"url":...,"controlUrl":...}` once both servers listen. The
 * control server (loopback only) changes faults at run time and lists the bookings:
 * - `POST /faults` with `{ latencyMs?, errorRate?, errorStatus?, timeoutNext?, failNext?,
 *   rateLimitNext?, clear? }` (the `...Next` entries are `{ count, method?, path? }`, plus `status`
 *   or `resetSeconds`), answered 204;
 * - `GET /bookings`: every booking as `{ uid, status, start, end, host, eventTypeId }`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCalcomSimulator } from '../../src/testing/index.js';
import { fleet, simulatorSeed } from './fleet.js';

const int = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name}: must be a whole number >= 0, got ${raw}`);
  return value;
};

const rateLimit = process.env.SIM_RATE_LIMIT === 'off' ? false : int('SIM_RATE_LIMIT', 120);
const simulator = createCalcomSimulator({
  uid: () => randomUUID(),
  rateLimitPerMinute: rateLimit,
  ...simulatorSeed(fleet(int('SIM_TENANTS', 2))),
});
simulator.faults.setLatency(int('SIM_LATENCY_MS', 0));
const url = await simulator.listen({ port: int('SIM_PORT', 0) });

interface NextFault {
  readonly count?: number;
  readonly method?: string;
  readonly path?: string;
  readonly status?: number;
  readonly resetSeconds?: number;
}
interface FaultRequest {
  readonly clear?: boolean;
  readonly latencyMs?: number;
  readonly errorRate?: number;
  readonly errorStatus?: number;
  readonly timeoutNext?: NextFault;
  readonly failNext?: NextFault;
  readonly rateLimitNext?: NextFault;
}

function applyFaults(request: FaultRequest): void {
  const { faults } = simulator;
  if (request.clear) faults.clear();
  if (request.latencyMs !== undefined) faults.setLatency(request.latencyMs);
  if (request.errorRate !== undefined) faults.setErrorRate(request.errorRate, request.errorStatus ?? 500);
  const match = (next: NextFault) => ({
    ...(next.method ? { method: next.method } : {}),
    ...(next.path ? { path: next.path } : {}),
  });
  if (request.timeoutNext) faults.timeoutNext(request.timeoutNext.count ?? 1, match(request.timeoutNext));
  if (request.failNext)
    faults.failNext(request.failNext.count ?? 1, {
      ...match(request.failNext),
      status: request.failNext.status ?? 500,
    });
  if (request.rateLimitNext)
    faults.rateLimitNext(request.rateLimitNext.count ?? 1, {
      ...match(request.rateLimitNext),
      resetSeconds: request.rateLimitNext.resetSeconds ?? 1,
    });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : JSON.parse(text);
}

const control = createServer((req, res) => {
  void (async () => {
    try {
      if (req.method === 'POST' && req.url === '/faults') {
        applyFaults((await readJson(req)) as FaultRequest);
        res.writeHead(204).end();
      } else if (req.method === 'GET' && req.url === '/bookings') {
        const bookings = simulator.bookings().map((b) => ({
          uid: b.uid,
          status: b.status,
          start: b.start,
          end: b.end,
          host: b.host.username,
          eventTypeId: b.eventType.id,
        }));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(bookings));
      } else {
        res.writeHead(404).end();
      }
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end((error as Error).message);
    }
  })();
});
await new Promise<void>((resolve) => control.listen(int('SIM_CONTROL_PORT', 0), '127.0.0.1', resolve));
const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
process.stdout.write(`${JSON.stringify({ ready: true, url, controlUrl })}\n`);

const stop = () => {
  control.close();
  void simulator.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
