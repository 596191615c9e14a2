/**
 * The Retell adapter against what a hand-written integration would do, like with like, in one run:
 *
 * 1. Webhooks: deliveries per second, each a new signed delivery of a real `call_ended` body (the
 *    call simulator's, with a transcript and a fresh `call_id` each, so the handler records a new
 *    call: the common case of a delivery seen for the first time). Every case starts from a
 *    `Request` and reads its body. Cases:
 *    - baseline: the `x-retell-signature` header split with a regular expression, the timestamp
 *      checked against the 5-minute window, `createHmac('sha256')` over body + timestamp compared
 *      with `timingSafeEqual`, then `JSON.parse`;
 *    - `verifyRetellSignature` + `parseRetellWebhook` (zod): what an integrator composes from the
 *      exports;
 *    - `createRetellWebhookHandler` on the memory stores: verify, parse, the tenant found by the
 *      called number, the customer looked up by the caller's, the call merged into the call
 *      repository with its `call.ended` event in the outbox (one transaction), answering its JSON
 *      result. It does much more than the baseline; the ratio shows what that costs.
 *    Deliveries are signed before the clock starts (signing is Retell's work), so each round
 *    prepares its own and times only their handling, with the cases in alternating order.
 * 2. Function calls: `check_availability` calls per second (one service, one day, the slots read
 *    out), each of a new call (a fresh `call_id`, so nothing is replayed: the function runs), on
 *    memory stores with the memory calendar and its availability cache warm. Cases:
 *    - baseline: the same look-up without the router, as a hand-written endpoint would make it
 *      from parsed arguments: the event type found by its title (`calendar.listEventTypes`), the
 *      day's free slots (`availability.getSlots`, cached), and the answer serialised;
 *    - `router.handle(body)`: the router without HTTP (arguments validated with zod, the tenant
 *      resolved from the called number, the call claimed and answered in the idempotency store,
 *      the service catalog, the sentence spoken in the tenant's language and zone);
 *    - the router as the HTTP endpoint, given a signed `Request` (body read, signature verified,
 *      JSON parsed, then as above).
 *
 * The machine is shared and noisy, so each group is measured in several short rounds, in
 * alternating order, and each case keeps its best round. Ratios are what to compare.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { BenchCase } from './harness.js';
import { createBookingKit } from '../src/index.js';
import {
  createRetellFunctionRouter,
  createRetellWebhookHandler,
  parseRetellWebhook,
  retellTenantsFromNumbers,
  signRetellBody,
  verifyRetellSignature,
} from '../src/retell/index.js';
import { createRetellCallSimulator } from '../src/testing/index.js';

const ROUNDS = 10;
const API_KEY = 'key_bench_retell_workspace';
const TENANT = 'acme';
const TENANT_NUMBER = '+493012345678';
const CALLER = '+4915112345678';
const WEBHOOK_URL = 'https://hooks.example.com/webhooks/retell';
const FUNCTIONS_URL = 'https://hooks.example.com/retell/functions';
const TOLERANCE_MS = 300_000;

/** Keeps each case's best round. */
function keepBest(best: Map<string, BenchCase>, measured: BenchCase): void {
  if ((best.get(measured.name)?.opsPerSec ?? -1) < measured.opsPerSec) best.set(measured.name, measured);
}

interface Delivery {
  readonly body: string;
  readonly signature: string;
}

const signedRequest = (url: string, delivery: Delivery): Request =>
  new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-retell-signature': delivery.signature },
    body: delivery.body,
  });

/** Every case of a group, `perRound` new deliveries each, in alternating order; the best round kept. */
async function measureRounds(
  group: string,
  cases: readonly { readonly name: string; readonly handle: (delivery: Delivery) => Promise<void> }[],
  prepare: (count: number) => Delivery[],
  perRound: number,
): Promise<BenchCase[]> {
  const baseline = cases[0]!.name;
  const best = new Map<string, BenchCase>();
  // A warm-up round, not kept.
  for (const c of cases) for (const d of prepare(Math.min(500, perRound))) await c.handle(d);
  for (let round = 0; round < ROUNDS; round += 1) {
    const ordered = round % 2 === 0 ? cases : [...cases].reverse();
    for (const c of ordered) {
      const prepared = prepare(perRound);
      const started = performance.now();
      for (const d of prepared) await c.handle(d);
      const seconds = (performance.now() - started) / 1_000;
      keepBest(best, { group, name: c.name, opsPerSec: perRound / seconds, baseline });
    }
  }
  return cases.map((c) => best.get(c.name)!);
}

// ---------------------------------------------------------------------------------------------
// Webhooks

/** A real `call_ended` body from the call simulator, as a template. */
async function callEndedTemplate(): Promise<Record<string, unknown>> {
  let captured: string | undefined;
  const simulator = createRetellCallSimulator({
    apiKey: API_KEY,
    webhook: async (request) => {
      const text = await request.text();
      if ((JSON.parse(text) as { event: string }).event === 'call_ended') captured = text;
      return new Response(null, { status: 204 });
    },
  });
  await simulator
    .call({ from: CALLER, to: TENANT_NUMBER, agentId: 'agent_bench' })
    .started()
    .say('agent', 'Praxis Sonnenschein, guten Tag. Wie kann ich helfen?')
    .say('user', 'Ich hätte gern einen Termin für eine Beratung am Dienstag.')
    .say('agent', 'Am Dienstag habe ich 9 Uhr, 10 Uhr und 14:30 frei.')
    .say('user', 'Dann 14:30, bitte.')
    .ended()
    .play();
  if (!captured) throw new Error('retell bench: the simulator sent no call_ended');
  return JSON.parse(captured) as Record<string, unknown>;
}

let callSequence = 0;

/** `count` deliveries of `template`, each about a call of its own, signed now. */
function webhookDeliveries(template: Record<string, unknown>, count: number): Delivery[] {
  const call = template.call as Record<string, unknown>;
  const now = Date.now();
  return Array.from({ length: count }, () => {
    callSequence += 1;
    const body = JSON.stringify({ ...template, call: { ...call, call_id: `call_bench_${callSequence}` } });
    return { body, signature: signRetellBody(body, API_KEY, { now }) };
  });
}

/** A hand-written verification: regex, window, HMAC over body + timestamp, constant-time compare. */
function rawVerify(body: string, header: string | null): boolean {
  const match = /^v=(\d+),d=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const timestamp = Number(match[1]);
  if (Math.abs(Date.now() - timestamp) > TOLERANCE_MS) return false;
  const expected = createHmac('sha256', API_KEY)
    .update(body + match[1])
    .digest();
  const given = Buffer.from(match[2]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function webhooks(): Promise<BenchCase[]> {
  const template = await callEndedTemplate();
  const kit = createBookingKit({ tenants: [{ id: TENANT, phoneNumbers: [TENANT_NUMBER] }] });
  const handler = createRetellWebhookHandler({ ...kit, apiKey: API_KEY });
  const cases = [
    {
      name: 'raw createHmac + timingSafeEqual + JSON.parse',
      handle: async (d: Delivery) => {
        const request = signedRequest(WEBHOOK_URL, d);
        const text = await request.text();
        if (!rawVerify(text, request.headers.get('x-retell-signature'))) throw new Error('bad signature');
        const body = JSON.parse(text) as { event: string; call: { call_id: string } };
        if (body.event !== 'call_ended' || body.call.call_id === '')
          throw new Error('retell bench: bad body');
      },
    },
    {
      name: 'verifyRetellSignature + parseRetellWebhook',
      handle: async (d: Delivery) => {
        const request = signedRequest(WEBHOOK_URL, d);
        const text = await request.text();
        const verdict = verifyRetellSignature(text, request.headers.get('x-retell-signature'), API_KEY);
        if (!verdict.ok) throw new Error(`bad signature: ${verdict.reason}`);
        const webhook = parseRetellWebhook(text);
        if (!webhook.known || webhook.event !== 'call_ended') throw new Error('retell bench: bad body');
      },
    },
    {
      name: 'createRetellWebhookHandler (memory stores)',
      handle: async (d: Delivery) => {
        const response = await handler(signedRequest(WEBHOOK_URL, d));
        const result = (await response.json()) as { action?: string };
        if (response.status !== 200 || result.action !== 'recorded')
          throw new Error(`retell bench: unexpected answer ${response.status} ${JSON.stringify(result)}`);
      },
    },
  ];
  try {
    return await measureRounds(
      'retell: webhook verify + parse (new call_ended deliveries)',
      cases,
      (count) => webhookDeliveries(template, count),
      2_000,
    );
  } finally {
    await kit.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Function calls

async function functionCalls(): Promise<BenchCase[]> {
  const allDay = [{ start: '00:00', end: '24:00' }];
  const kit = createBookingKit({
    tenants: [{ id: TENANT, timeZone: 'Europe/Berlin', locale: 'de', phoneNumbers: [TENANT_NUMBER] }],
    eventTypes: [
      {
        tenantId: TENANT,
        id: 'consult',
        title: 'Beratung',
        durationMinutes: 30,
        timeZone: 'Europe/Berlin',
        weeklyHours: {
          monday: allDay,
          tuesday: allDay,
          wednesday: allDay,
          thursday: allDay,
          friday: allDay,
          saturday: allDay,
          sunday: allDay,
        },
      },
    ],
  });
  const router = createRetellFunctionRouter({
    ...kit,
    apiKey: API_KEY,
    resolveTenant: retellTenantsFromNumbers(kit.tenants),
  });
  // Two days ahead, so the day is never in the past while the benchmark runs.
  const date = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const dayStart = new Date(`${date}T00:00:00+01:00`).toISOString();
  const dayEnd = new Date(Date.parse(dayStart) + 86_400_000).toISOString();
  const args = { service: 'Beratung', date };

  const bodyOf = (callId: string) => ({
    name: 'check_availability',
    call: {
      call_id: callId,
      call_type: 'phone_call',
      direction: 'inbound',
      agent_id: 'agent_bench',
      from_number: CALLER,
      to_number: TENANT_NUMBER,
    },
    args,
  });
  const prepare = (count: number): Delivery[] => {
    const now = Date.now();
    return Array.from({ length: count }, () => {
      callSequence += 1;
      const body = JSON.stringify(bodyOf(`call_fn_${callSequence}`));
      return { body, signature: signRetellBody(body, API_KEY, { now }) };
    });
  };
  const expectSlots = (text: string): void => {
    if (!text.includes('Am ')) throw new Error(`retell bench: unexpected answer ${text}`);
  };

  const cases = [
    {
      name: 'listEventTypes + availability.getSlots (no router)',
      handle: async (d: Delivery) => {
        const { args: given } = JSON.parse(d.body) as { args: typeof args };
        const types = await kit.calendar.listEventTypes(TENANT);
        const type = types.find((t) => t.title.toLowerCase() === given.service.toLowerCase());
        if (!type) throw new Error('retell bench: no service');
        const slots = await kit.availability.getSlots(TENANT, type.id, { start: dayStart, end: dayEnd });
        const text = JSON.stringify({ result: `Am ${given.date}: ${slots.length}`, data: { slots } });
        expectSlots(text);
      },
    },
    {
      name: 'router.handle(body) (no HTTP)',
      handle: async (d: Delivery) => {
        const answer = await router.handle(JSON.parse(d.body));
        expectSlots(answer.result);
      },
    },
    {
      name: 'router(signed Request)',
      handle: async (d: Delivery) => {
        const response = await router(signedRequest(FUNCTIONS_URL, d));
        if (response.status !== 200) throw new Error(`retell bench: answered ${response.status}`);
        expectSlots(await response.text());
      },
    },
  ];
  try {
    return await measureRounds(
      'retell: check_availability function call end to end (memory stores, new calls)',
      cases,
      prepare,
      1_000,
    );
  } finally {
    await router.idle();
    await kit.close();
  }
}

export async function run(): Promise<BenchCase[]> {
  return [...(await webhooks()), ...(await functionCalls())];
}
