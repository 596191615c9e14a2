// The Cal.com simulator as its own process: `node calcom-sim-main.mjs` with CALCOM_SIM_SPEC (JSON,
// see CalcomSimSpec). It serves the Cal.com API on one port and a control API on another, then
// prints `calcom-simulator ready {"url":...,"controlUrl":...}` on one line.
//
// Control API (JSON in and out):
//   GET  /bookings                      every booking (simulator.bookings())
//   GET  /webhooks/subscriptions        every subscription
//   GET  /webhooks/deliveries           { total, byOutcome } (add ?full=1 for the list)
//   POST /faults/:method                body: the arguments array, e.g. [3, { "method": "POST" }];
//                                       a match's { "pathPattern": "..." } becomes a RegExp path
//   POST /webhooks/:method              duplicateNext | dropNext | hold | release | settled
//   POST /event-types                   body: an event type input; answers the record
//   POST /request-reschedule            body: { uid, reason? }
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCalcomSimulator } from '../../../src/testing/calcom-simulator/calcom-simulator.js';
import type { CalcomSimSpec } from './calcom-sim-spec.js';

const spec = JSON.parse(process.env.CALCOM_SIM_SPEC ?? '{}') as CalcomSimSpec;
const simulator = createCalcomSimulator({
  uid: () => randomUUID(),
  accounts: spec.accounts,
  eventTypes: spec.eventTypes ?? [],
  rateLimitPerMinute: spec.rateLimitPerMinute ?? false,
});

const FAULTS = new Set([
  'setLatency',
  'setErrorRate',
  'timeoutNext',
  'failNext',
  'rateLimitNext',
  'loseResponseNext',
  'clear',
]);
const WEBHOOKS = new Set(['duplicateNext', 'dropNext', 'hold', 'release', 'settled']);

/** `{ pathPattern: '^/v2/bookings$' }` in a fault's options becomes `{ path: /^\/v2\/bookings$/ }`. */
const revive = (arg: unknown): unknown => {
  if (typeof arg !== 'object' || arg === null || !('pathPattern' in arg)) return arg;
  const { pathPattern, ...rest } = arg as { pathPattern: string };
  return { ...rest, path: new RegExp(pathPattern) };
};

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

async function control(req: IncomingMessage): Promise<[number, unknown]> {
  const url = new URL(req.url ?? '/', 'http://control');
  const [, area, method] = url.pathname.split('/');
  if (req.method === 'GET' && url.pathname === '/bookings') return [200, simulator.bookings()];
  if (req.method === 'GET' && url.pathname === '/webhooks/subscriptions')
    return [200, simulator.webhooks.subscriptions()];
  if (req.method === 'GET' && url.pathname === '/webhooks/deliveries') {
    const deliveries = simulator.webhooks.deliveries;
    const byOutcome: Record<string, number> = {};
    for (const d of deliveries) {
      const key = d.outcome.kind === 'answered' ? `answered ${d.outcome.status}` : d.outcome.kind;
      byOutcome[key] = (byOutcome[key] ?? 0) + 1;
    }
    return [
      200,
      { total: deliveries.length, byOutcome, ...(url.searchParams.has('full') ? { deliveries } : {}) },
    ];
  }
  if (req.method !== 'POST') return [404, { error: `no route for ${req.method} ${url.pathname}` }];
  const body = await readJson(req);
  if (area === 'faults' && method && FAULTS.has(method)) {
    const args = Array.isArray(body) ? body.map(revive) : [];
    const faults = simulator.faults as unknown as Record<string, (...a: unknown[]) => void>;
    faults[method]!(...args);
    return [200, { ok: true }];
  }
  if (area === 'webhooks' && method && WEBHOOKS.has(method)) {
    const args = Array.isArray(body) ? body : [];
    const webhooks = simulator.webhooks as unknown as Record<string, (...a: unknown[]) => unknown>;
    await webhooks[method]!(...args);
    return [200, { ok: true }];
  }
  if (url.pathname === '/event-types') return [201, simulator.addEventType(body as never)];
  if (url.pathname === '/request-reschedule') {
    const { uid, reason } = body as { uid: string; reason?: string };
    return [200, await simulator.requestReschedule(uid, reason)];
  }
  return [404, { error: `no route for ${req.method} ${url.pathname}` }];
}

function reply(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value ?? null));
}

const controlServer = createServer((req, res) => {
  control(req).then(
    ([status, value]) => reply(res, status, value),
    (error: unknown) => reply(res, 400, { error: error instanceof Error ? error.message : String(error) }),
  );
});

const url = await simulator.listen({ port: spec.port ?? 0 });
await new Promise<void>((resolve) => controlServer.listen(spec.controlPort ?? 0, '127.0.0.1', resolve));
const controlUrl = `http://127.0.0.1:${(controlServer.address() as AddressInfo).port}`;
process.stdout.write(`calcom-simulator ready ${JSON.stringify({ url, controlUrl })}\n`);

const shutdown = () => {
  controlServer.close();
  controlServer.closeAllConnections();
  void simulator.close().then(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
