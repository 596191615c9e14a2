import { describe, expect, it } from 'vitest';
import { createWebhookHandler } from '../../http/webhook-handler.js';
import { retellFunctionCallKey, retellWebhookKey } from '../../retell/idempotency-keys.js';
import { retellWebhookVerifier } from '../../retell/verifier.js';
import { parseRetellWebhook } from '../../retell/webhook.js';
import { createFakeClock } from '../fake-clock.js';
import { createRetellCallSimulator } from './retell-call-simulator.js';

// The simulator against bookingkit's own Retell building blocks: the webhook handler with the
// Retell verifier and parser, and the idempotency keys that dedupe Retell's repeats.

const apiKey = 'key_simulator_test';
const caller = { from: '+14155550100', to: '+14155550199', agentId: 'agent_1' };

describe('Retell call simulator against bookingkit endpoints', () => {
  it('is accepted by createWebhookHandler with retellWebhookVerifier and parseRetellWebhook', async () => {
    const clock = createFakeClock();
    const handled: string[] = [];
    const firstTimes: string[] = [];
    const webhook = createWebhookHandler({
      verify: retellWebhookVerifier(apiKey, { clock }),
      parse: parseRetellWebhook,
      handle: (event) => {
        if (!event.known || !('call' in event)) throw new Error(`unexpected ${event.event}`);
        const key = retellWebhookKey(event);
        handled.push(key);
        if (!firstTimes.includes(key)) firstTimes.push(key);
      },
    });
    const functionKeys: string[] = [];
    const functions = async (request: Request) => {
      functionKeys.push(retellFunctionCallKey(await request.json()));
      return Response.json({ message: 'Booked.' });
    };
    const simulator = createRetellCallSimulator({ apiKey, clock, webhook, functions });

    const result = await simulator
      .call({ ...caller, callId: 'call_x' })
      .started()
      .function('book_appointment', { start: '2026-01-06T10:00:00Z' }, { retry: { whilePending: true } })
      .ended()
      .analyzed()
      .play({ duplicates: { call_ended: 2 }, reorder: ['call_analyzed'] });

    expect(result.webhooks.map((exchange) => exchange.response?.status)).toEqual([204, 204, 204, 204]);
    expect(handled).toEqual([
      'retell:call_analyzed:call_x',
      'retell:call_started:call_x',
      'retell:call_ended:call_x',
      'retell:call_ended:call_x',
    ]);
    expect(firstTimes).toHaveLength(3);
    // Both attempts of the retried function call share one key: a booking made once.
    expect(functionKeys).toHaveLength(2);
    expect(new Set(functionKeys).size).toBe(1);
  });

  it('is refused with 401 by a verifier holding another key', async () => {
    const clock = createFakeClock();
    const webhook = createWebhookHandler({
      verify: retellWebhookVerifier('key_other', { clock }),
      handle: () => undefined,
    });
    const simulator = createRetellCallSimulator({ apiKey, clock, webhook });
    const result = await simulator.call(caller).started().play();
    expect(result.webhooks[0]?.response?.status).toBe(401);
  });
});
