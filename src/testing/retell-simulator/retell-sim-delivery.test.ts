import { describe, expect, it } from 'vitest';
import { deferred } from '../../../test/support/deferred.js';
import { RetellCallWebhook } from '../../retell/webhook-schema.js';
import { createFakeClock } from '../fake-clock.js';
import { createRetellCallSimulator } from './retell-call-simulator.js';
import type { RetellSimCallResult } from './sim-call-result.js';
import { verifyingEndpoint } from './verifying-endpoint.test-support.js';

const apiKey = 'key_simulator_test';
const caller = { from: '+14155550100', to: '+14155550199', agentId: 'agent_1' };

function setup() {
  const clock = createFakeClock('2026-01-05T09:00:00.000Z');
  const webhook = verifyingEndpoint(apiKey, clock);
  const functions = verifyingEndpoint(apiKey, clock, () => new Response('ok'));
  const simulator = createRetellCallSimulator({
    apiKey,
    clock,
    webhook: webhook.handler,
    functions: functions.handler,
  });
  const script = () => simulator.call(caller).started().function('check_availability', {}).ended().analyzed();
  const eventsSeen = () => webhook.seen.map((request) => RetellCallWebhook.parse(request.payload).event);
  return { clock, webhook, functions, simulator, script, eventsSeen };
}

const order = (result: RetellSimCallResult) =>
  result.exchanges.map((exchange) => `${exchange.event ?? exchange.name}#${exchange.attempt}`);

describe('Retell call simulator delivery options', () => {
  it('delivers an event as many times as asked, one after another, each copy signed', async () => {
    const { script, webhook, eventsSeen } = setup();
    const result = await script().play({ duplicates: { call_ended: 3 } });
    expect(eventsSeen()).toEqual(['call_started', 'call_ended', 'call_ended', 'call_ended', 'call_analyzed']);
    expect(webhook.seen.every((request) => request.signature.ok)).toBe(true);
    const copies = result.webhooks.filter((exchange) => exchange.event === 'call_ended');
    expect(copies.map((copy) => copy.attempt)).toEqual([1, 2, 3]);
    expect(new Set(copies.map((copy) => copy.body)).size).toBe(1);
  });

  it('sends sequential copies one after another: none while the previous is unanswered', async () => {
    const clock = createFakeClock();
    let inFlight = 0;
    let most = 0;
    const simulator = createRetellCallSimulator({
      apiKey,
      clock,
      webhook: async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return new Response(null, { status: 204 });
      },
    });
    const result = await simulator
      .call(caller)
      .ended()
      .play({ duplicates: { call_ended: 3 } });
    expect(result.webhooks).toHaveLength(3);
    expect(most).toBe(1);
  });

  it('delivers concurrent copies while the first is still unanswered', async () => {
    const clock = createFakeClock();
    const bothArrived = deferred();
    let arrived = 0;
    const simulator = createRetellCallSimulator({
      apiKey,
      clock,
      webhook: async () => {
        arrived += 1;
        if (arrived === 2) bothArrived.resolve();
        // Neither copy answers before both have arrived: a sequential sender would hang here.
        await bothArrived.promise;
        return new Response(null, { status: 204 });
      },
    });
    const result = await simulator
      .call(caller)
      .ended()
      .play({ duplicates: { call_ended: { times: 2, concurrent: true } } });
    expect(result.webhooks.map((exchange) => [exchange.attempt, exchange.response?.status])).toEqual([
      [1, 204],
      [2, 204],
    ]);
  });

  it('duplicates the inbound webhook too', async () => {
    const clock = createFakeClock();
    const inbound = verifyingEndpoint(apiKey, clock, () => Response.json({ call_inbound: {} }));
    const simulator = createRetellCallSimulator({ apiKey, clock, inbound: inbound.handler });
    const result = await simulator
      .call(caller)
      .inbound()
      .play({ duplicates: { call_inbound: 2 } });
    expect(result.inbound.map((exchange) => exchange.attempt)).toEqual([1, 2]);
    expect(inbound.seen).toHaveLength(2);
  });

  it('drops call_started: never delivered, yet the call started', async () => {
    const { script, eventsSeen, webhook } = setup();
    const result = await script().play({ drop: ['call_started'] });
    expect(eventsSeen()).toEqual(['call_ended', 'call_analyzed']);
    const ended = RetellCallWebhook.parse(webhook.seen[0]?.payload);
    expect(ended.call.start_timestamp).toBe(result.call.start_timestamp);
    expect(result.call.start_timestamp).toEqual(expect.any(Number));
  });

  it('reorders: holds the webhooks until the script ran, then sends the named events first', async () => {
    const { script, eventsSeen } = setup();
    const result = await script().play({ reorder: ['call_analyzed', 'call_ended'] });
    expect(order(result)).toEqual([
      'check_availability#1',
      'call_analyzed#1',
      'call_ended#1',
      'call_started#1',
    ]);
    expect(eventsSeen()).toEqual(['call_analyzed', 'call_ended', 'call_started']);
  });

  it('keeps each payload as it was at its step, whatever the order of sending', async () => {
    const { script, webhook } = setup();
    await script().play({ reorder: ['call_analyzed'] });
    const byEvent = new Map(
      webhook.seen.map((request) => {
        const parsed = RetellCallWebhook.parse(request.payload);
        return [parsed.event, parsed.call] as const;
      }),
    );
    expect(byEvent.get('call_started')?.call_status).toBe('ongoing');
    expect(byEvent.get('call_started')?.transcript_with_tool_calls).toBeUndefined();
    expect(byEvent.get('call_ended')).not.toHaveProperty('call_analysis');
    expect(byEvent.get('call_analyzed')?.call_analysis).toBeTruthy();
  });

  it('shuffles from a seed: the same seed gives the same order, a permutation of the script', async () => {
    const orders = new Map<number, string[]>();
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { script, eventsSeen } = setup();
      await script().play({ reorder: { seed } });
      orders.set(seed, eventsSeen());
      const again = setup();
      await again.script().play({ reorder: { seed } });
      expect(again.eventsSeen()).toEqual(eventsSeen());
    }
    for (const seen of orders.values()) {
      expect([...seen].sort()).toEqual(['call_analyzed', 'call_ended', 'call_started']);
    }
    // Eight seeds give more than one order, and some order differs from the script's.
    expect(new Set([...orders.values()].map((seen) => seen.join())).size).toBeGreaterThan(1);
    expect([...orders.values()].some((seen) => seen.join() !== 'call_started,call_ended,call_analyzed')).toBe(
      true,
    );
  });

  it('delays a webhook on the clock while the call goes on, signing it when it is sent', async () => {
    const { clock, script, webhook } = setup();
    const start = clock.now();
    const playing = script().play({ delays: { call_started: 5_000 } });
    await clock.advance(4_999);
    expect(webhook.seen.map((request) => RetellCallWebhook.parse(request.payload).event)).toEqual([
      'call_ended',
      'call_analyzed',
    ]);
    await clock.advance(1);
    const result = await playing;
    expect(order(result)).toEqual([
      'check_availability#1',
      'call_ended#1',
      'call_analyzed#1',
      'call_started#1',
    ]);
    const started = result.webhooks.find((exchange) => exchange.event === 'call_started')!;
    expect(started.sentAt).toBe(start + 5_000);
    expect(started.headers['x-retell-signature']).toMatch(new RegExp(`^v=${start + 5_000},`));
    expect(webhook.seen.at(-1)?.signature).toEqual({ ok: true, timestamp: start + 5_000 });
    // The payload is the call at its step: started at `start`, not when delivered.
    expect(RetellCallWebhook.parse(started.payload).call.start_timestamp).toBe(start);
  });

  it('waits between steps on the clock: stepDelayMs and wait()', async () => {
    const { clock, simulator } = setup();
    const start = clock.now();
    const playing = simulator
      .call(caller)
      .started()
      .wait(60_000)
      .function('check_availability', {})
      .ended()
      .play({ stepDelayMs: 1_000 });
    await clock.advance(120_000);
    const result = await playing;
    expect(result.exchanges.map((exchange) => exchange.sentAt - start)).toEqual([0, 62_000, 63_000]);
    expect(result.call.duration_ms).toBe(63_000);
  });

  it('waits real milliseconds with the system clock', async () => {
    const webhook = verifyingEndpoint(apiKey, { now: () => Date.now(), setTimer: () => ({ clear() {} }) });
    const simulator = createRetellCallSimulator({ apiKey, webhook: webhook.handler });
    const before = Date.now();
    const result = await simulator.call(caller).started().wait(30).ended().play();
    const [started, ended] = result.webhooks;
    expect(ended!.sentAt - started!.sentAt).toBeGreaterThanOrEqual(29);
    expect(ended!.sentAt).toBeGreaterThanOrEqual(before + 29);
    expect(webhook.seen.every((request) => request.signature.ok)).toBe(true);
  });
});
