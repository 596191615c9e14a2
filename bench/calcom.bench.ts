/**
 * The Cal.com adapter against what a hand-written integration would do, like with like, in one run:
 *
 * 1. Webhooks: deliveries per second, each a new signed delivery (a fresh booking uid, so the
 *    deduplication claims a fresh key: the common case of a delivery seen for the first time) of
 *    a real Cal.com body (the simulator's BOOKING_CREATED body, sent as MEETING_ENDED, which
 *    bookingkit deduplicates and acknowledges without changing an appointment). Every case starts
 *    from a `Request` and reads its body. Cases:
 *    - baseline: `createHmac('sha256')` hex digest compared with `timingSafeEqual`, `JSON.parse`,
 *      and a `Map` for deduplication (has + set);
 *    - `verifyCalcomSignature` + `parseCalcomWebhook` (zod) + `calcomWebhookKey` + `idempotent()`
 *      on the memory idempotency store: what an integrator composes from the exports;
 *    - `createCalcomWebhookHandler` on the memory stores: the route key resolved (cached), the
 *      body limit, verify, parse, dedupe, and the ingestion's look-up of the booking, answering
 *      its JSON result.
 *    Deliveries are signed before the clock starts (signing is the sender's work), so each round
 *    prepares its own and times only their handling, with the cases in alternating order.
 * 2. Client: `GET /v2/bookings/{uid}` round trips per second, one after the other, against the
 *    Cal.com simulator served on a local port (in this process, its rate limit off), through
 *    `createCalcomClient` (rate limiter off, the defaults otherwise: timeout, read retries, zod
 *    validation of the answer) against raw `fetch` of the same URL with the same headers, whose
 *    answer is checked for `ok` and parsed as JSON. The goal is a ratio of 0.8 or more.
 *
 * The machine is shared and noisy, so each group is measured in several short rounds, in
 * alternating order, and each case keeps its best round. Ratios are what to compare.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { measureGroup, type BenchCase, type BenchTask } from './harness.js';
import { createMemoryIdempotencyStore, createMemoryStores, fingerprint, idempotent } from '../src/index.js';
import {
  calcomWebhookKey,
  createCalcomClient,
  createCalcomWebhookHandler,
  parseCalcomWebhook,
  signCalcomBody,
  verifyCalcomSignature,
} from '../src/calcom/index.js';
import { createCalcomSimulator } from '../src/testing/index.js';

const ROUNDS = 10;
const TENANT = 'acme';
const SECRET = 'whsec_bench_0123456789abcdef';
const ROUTE_KEY = 'rk_bench_0001';
const WEBHOOK_URL = `https://hooks.example.com/webhooks/calcom/${ROUTE_KEY}`;
const API_KEY = 'cal_test_simulator';
const TTL = 86_400_000;

/** Keeps each case's best round. */
function keepBest(best: Map<string, BenchCase>, measured: readonly BenchCase[]): void {
  for (const c of measured) {
    if ((best.get(c.name)?.opsPerSec ?? -1) < c.opsPerSec) best.set(c.name, c);
  }
}

/** A simulator with one all-day event type and one booking, created through the client. */
async function simulatorWithBooking() {
  const sim = createCalcomSimulator({
    rateLimitPerMinute: false,
    webhookFetch: async () => new Response(null),
  });
  const allDay = [{ start: '00:00', end: '24:00' }];
  const eventType = sim.addEventType({
    slug: 'consultation',
    lengthInMinutes: 30,
    timeZone: 'UTC',
    weeklyHours: {
      monday: allDay,
      tuesday: allDay,
      wednesday: allDay,
      thursday: allDay,
      friday: allDay,
      saturday: allDay,
      sunday: allDay,
    },
  });
  const start = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 2 * 86_400_000).toISOString();
  return { sim, eventType, start };
}

// ---------------------------------------------------------------------------------------------
// Webhooks

/** A real body from the simulator, as a template: its booking payload under MEETING_ENDED. */
async function webhookTemplate(): Promise<Record<string, unknown>> {
  const { sim, eventType, start } = await simulatorWithBooking();
  const client = createCalcomClient({
    credentials: async () => ({ apiKey: API_KEY, webhookSecret: SECRET }),
    fetch: sim.fetch,
    rateLimiter: false,
  });
  await client.ensureWebhookSubscription(TENANT, { url: WEBHOOK_URL, triggers: ['BOOKING_CREATED'] });
  await client.bookings.create(TENANT, {
    eventTypeId: eventType.id,
    start,
    attendee: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/London' },
    metadata: { source: 'bench' },
  });
  const delivery = sim.webhooks.deliveries.find((d) => d.triggerEvent === 'BOOKING_CREATED');
  if (!delivery) throw new Error('calcom bench: the simulator sent no BOOKING_CREATED webhook');
  return { ...(JSON.parse(delivery.body) as Record<string, unknown>), triggerEvent: 'MEETING_ENDED' };
}

interface Delivery {
  readonly body: string;
  readonly signature: string;
}

let deliverySequence = 0;

/** `count` deliveries of `template`, each about a booking uid of its own, signed. */
function deliveries(template: Record<string, unknown>, count: number): Delivery[] {
  const payload = template.payload as Record<string, unknown>;
  return Array.from({ length: count }, () => {
    deliverySequence += 1;
    const body = JSON.stringify({
      ...template,
      payload: { ...payload, uid: `bench-uid-${deliverySequence}` },
    });
    return { body, signature: signCalcomBody(body, SECRET) };
  });
}

const requestOf = (delivery: Delivery): Request =>
  new Request(WEBHOOK_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-cal-signature-256': delivery.signature },
    body: delivery.body,
  });

type WebhookCase = { readonly name: string; readonly handle: (request: Request) => Promise<void> };

function webhookCases(): WebhookCase[] {
  const seen = new Map<string, true>();
  const secretKey = Buffer.from(SECRET);
  const raw: WebhookCase = {
    name: 'raw createHmac + timingSafeEqual + JSON.parse + Map dedupe',
    handle: async (request) => {
      const text = await request.text();
      const expected = createHmac('sha256', secretKey).update(text).digest();
      const given = Buffer.from(request.headers.get('x-cal-signature-256') ?? '', 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new Error('bad signature');
      const body = JSON.parse(text) as { triggerEvent: string; payload: { uid: string; startTime: string } };
      const key = `${body.triggerEvent}:${body.payload.uid}:${body.payload.startTime}`;
      if (seen.has(key)) throw new Error('duplicate');
      seen.set(key, true);
      if (seen.size > 200_000) seen.clear();
    },
  };

  const store = createMemoryIdempotencyStore({ maxEntries: 200_000 });
  const composed: WebhookCase = {
    name: 'verifyCalcomSignature + parseCalcomWebhook + calcomWebhookKey + idempotent (memory)',
    handle: async (request) => {
      const text = await request.text();
      const verified = verifyCalcomSignature(text, request.headers.get('x-cal-signature-256'), SECRET);
      if (!verified.ok) throw new Error(`bad signature: ${verified.reason}`);
      const webhook = parseCalcomWebhook(text);
      const key = calcomWebhookKey(webhook);
      const { replayed } = await idempotent(
        store,
        { tenantId: TENANT, key, fingerprint: fingerprint(key), ttlMs: TTL },
        async () => ({ trigger: webhook.triggerEvent }),
      );
      if (replayed) throw new Error('duplicate');
    },
  };

  const unused = () => Promise.reject(new Error('calcom bench: the booking service is not called'));
  const handler = createCalcomWebhookHandler({
    service: { book: unused, reschedule: unused, cancel: unused, confirm: unused, markNoShow: unused },
    stores: createMemoryStores(),
    idempotency: createMemoryIdempotencyStore({ maxEntries: 200_000 }),
    routes: (routeKey) => (routeKey === ROUTE_KEY ? { tenantId: TENANT, webhookSecret: SECRET } : null),
  });
  const handled: WebhookCase = {
    name: 'createCalcomWebhookHandler (memory stores)',
    handle: async (request) => {
      const response = await handler(request);
      const result = (await response.json()) as { action?: string; replayed?: boolean };
      if (response.status !== 200 || result.action !== 'acknowledged' || result.replayed !== false)
        throw new Error(`calcom bench: unexpected answer ${response.status} ${JSON.stringify(result)}`);
    },
  };
  return [raw, composed, handled];
}

async function webhooks(): Promise<BenchCase[]> {
  const group = 'calcom: webhook verify + parse + dedupe (new deliveries)';
  const template = await webhookTemplate();
  const cases = webhookCases();
  const baseline = cases[0]!.name;
  const perRound = 2_000;
  const best = new Map<string, BenchCase>();
  // A warm-up round, not kept.
  for (const c of cases) for (const d of deliveries(template, 500)) await c.handle(requestOf(d));
  for (let round = 0; round < ROUNDS; round += 1) {
    const ordered = round % 2 === 0 ? cases : [...cases].reverse();
    for (const c of ordered) {
      const prepared = deliveries(template, perRound);
      const started = performance.now();
      for (const d of prepared) await c.handle(requestOf(d));
      const seconds = (performance.now() - started) / 1_000;
      keepBest(best, [{ group, name: c.name, opsPerSec: perRound / seconds, baseline }]);
    }
  }
  return cases.map((c) => best.get(c.name)!);
}

// ---------------------------------------------------------------------------------------------
// Client

async function client(): Promise<BenchCase[]> {
  const { sim, eventType, start } = await simulatorWithBooking();
  const url = await sim.listen();
  try {
    const calcom = createCalcomClient({
      credentials: async () => ({ apiKey: API_KEY, webhookSecret: SECRET }),
      baseUrl: url,
      rateLimiter: false,
    });
    const booking = await calcom.bookings.create(TENANT, {
      eventTypeId: eventType.id,
      start,
      attendee: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/London' },
      metadata: { bookingkitAppointmentId: 'appt_bench' },
    });
    const bookingUrl = `${url}/v2/bookings/${encodeURIComponent(booking.uid)}`;
    const headers = {
      authorization: `Bearer ${API_KEY}`,
      accept: 'application/json',
      'cal-api-version': '2026-02-25',
    };
    const raw: BenchTask = {
      name: 'raw fetch + res.json()',
      async: true,
      op: async () => {
        const response = await fetch(bookingUrl, { headers });
        if (!response.ok) throw new Error(`calcom bench: raw fetch answered ${response.status}`);
        const body = (await response.json()) as { data: { uid: string } };
        if (body.data.uid !== booking.uid) throw new Error('calcom bench: another booking');
      },
    };
    const viaClient: BenchTask = {
      name: 'createCalcomClient bookings.get (rate limiter off)',
      async: true,
      op: async () => {
        const got = await calcom.bookings.get(TENANT, booking.uid);
        if (got.uid !== booking.uid) throw new Error('calcom bench: another booking');
      },
    };
    const group = 'calcom: client round trips (GET /v2/bookings/{uid}, local simulator)';
    const tasks = [raw, viaClient];
    const best = new Map<string, BenchCase>();
    for (let round = 0; round < ROUNDS; round += 1) {
      const ordered = round % 2 === 0 ? tasks : [...tasks].reverse();
      keepBest(best, await measureGroup(group, raw.name, ordered, { batch: 20, time: 200 }));
    }
    return tasks.map((t) => best.get(t.name)!);
  } finally {
    await sim.close();
  }
}

export async function run(): Promise<BenchCase[]> {
  return [...(await webhooks()), ...(await client())];
}
