import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { verifyRetellSignature } from '../../retell/signature.js';
import {
  RetellCall,
  RetellCallWebhook,
  RetellInboundCallWebhook,
  type RetellPhoneCall,
} from '../../retell/webhook-schema.js';
import { createFakeClock } from '../fake-clock.js';
import { createRetellCallSimulator } from './retell-call-simulator.js';
import type { RetellSimStep } from './sim-script.js';
import { verifyingEndpoint } from './verifying-endpoint.test-support.js';

const apiKey = 'key_simulator_test';
const caller = { from: '+14155550100', to: '+14155550199', agentId: 'agent_front_desk' };

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function setup() {
  const clock = createFakeClock('2026-01-05T09:00:00.000Z');
  const webhook = verifyingEndpoint(apiKey, clock);
  const inbound = verifyingEndpoint(apiKey, clock, () =>
    json({
      call_inbound: {
        override_agent_id: 'agent_spanish',
        dynamic_variables: { customer_name: 'Zoë', visits: 3 },
        metadata: { tenant: 't1' },
      },
    }),
  );
  const functions = verifyingEndpoint(apiKey, clock, (payload) => {
    const { name } = payload as { name: string };
    return name === 'check_availability'
      ? json({ slots: ['10:00', '11:30'], say: 'I have 10 and 11:30 free.' })
      : new Response('Booked for 10:00. See you then!', { status: 200 });
  });
  const simulator = createRetellCallSimulator({
    apiKey,
    clock,
    webhook: webhook.handler,
    inbound: inbound.handler,
    functions: functions.handler,
  });
  return { clock, webhook, inbound, functions, simulator };
}

describe('createRetellCallSimulator', () => {
  it('plays an inbound call whose every request verifies with the API key', async () => {
    const { simulator, webhook, inbound, functions } = setup();
    const result = await simulator
      .call(caller)
      .inbound()
      .started()
      .say('user', 'Quiero una cita mañana, ¿sí?')
      .function('check_availability', { date: '2026-01-06' })
      .function('book_appointment', { start: '2026-01-06T10:00:00Z', name: 'Zoë' })
      .ended({ disconnectionReason: 'agent_hangup' })
      .analyzed({ summary: 'Booked for 10:00.', sentiment: 'Positive' })
      .play();

    const seen = [...inbound.seen, ...webhook.seen, ...functions.seen];
    expect(seen).toHaveLength(6);
    expect(seen.every((request) => request.signature.ok)).toBe(true);
    expect(result.exchanges.map((e) => [e.seq, e.kind, e.event ?? e.name, e.response?.status])).toEqual([
      [1, 'inbound', 'call_inbound', 200],
      [2, 'webhook', 'call_started', 204],
      [3, 'function', 'check_availability', 200],
      [4, 'function', 'book_appointment', 200],
      [5, 'webhook', 'call_ended', 204],
      [6, 'webhook', 'call_analyzed', 204],
    ]);
    // The recorded header verifies over the recorded body, at the time it was sent.
    for (const exchange of result.exchanges) {
      const header = exchange.headers['x-retell-signature'];
      expect(verifyRetellSignature(exchange.body, header, apiKey, { now: exchange.sentAt })).toEqual({
        ok: true,
        timestamp: exchange.sentAt,
      });
      expect(verifyRetellSignature(exchange.body, header, 'key_other', { now: exchange.sentAt }).ok).toBe(
        false,
      );
    }
  });

  it('sends payloads that match the Retell schemas, with the call changing as it goes', async () => {
    const { simulator, clock, webhook, inbound, functions } = setup();
    const start = clock.now();
    await simulator
      .call({ ...caller, callId: 'call_abc', metadata: { source: 'ads' } })
      .inbound()
      .started()
      .say('agent', 'Hello!')
      .function('check_availability', { date: '2026-01-06' })
      .transcriptUpdated()
      .ended()
      .analyzed({ summary: 'Asked for a slot.', customData: { intent: 'book' } })
      .play();

    expect(RetellInboundCallWebhook.parse(inbound.seen[0]?.payload)).toEqual({
      event: 'call_inbound',
      call_inbound: { agent_id: 'agent_front_desk', agent_version: 1, ...numbersOf(caller) },
    });
    const events = webhook.seen.map((request) => RetellCallWebhook.parse(request.payload));
    expect(events.map((event) => [event.event, event.call.call_status])).toEqual([
      ['call_started', 'ongoing'],
      ['transcript_updated', 'ongoing'],
      ['call_ended', 'ended'],
      ['call_analyzed', 'ended'],
    ]);
    const [started, updated, ended, analyzed] = events.map((event) => event.call as RetellPhoneCall);
    // The inbound answer applies: agent override, dynamic variables as strings, metadata.
    expect(started).toMatchObject({
      call_id: 'call_abc',
      call_type: 'phone_call',
      direction: 'inbound',
      agent_id: 'agent_spanish',
      retell_llm_dynamic_variables: { customer_name: 'Zoë', visits: '3' },
      metadata: { tenant: 't1' },
      start_timestamp: start,
      ...numbersOf(caller),
    });
    expect(updated?.transcript).toBe('Agent: Hello!\n');
    expect(updated?.transcript_with_tool_calls?.map((item) => item.role)).toEqual([
      'agent',
      'tool_call_invocation',
      'tool_call_result',
    ]);
    expect(updated?.transcript_with_tool_calls?.[2]).toMatchObject({
      tool_call_id: 'call_abc_tool_1',
      successful: true,
      content: JSON.stringify({ slots: ['10:00', '11:30'], say: 'I have 10 and 11:30 free.' }),
    });
    expect(ended).toMatchObject({
      disconnection_reason: 'user_hangup',
      end_timestamp: start,
      duration_ms: 0,
    });
    expect(ended).not.toHaveProperty('call_analysis');
    expect(analyzed?.call_analysis).toEqual({
      call_summary: 'Asked for a slot.',
      user_sentiment: 'Neutral',
      call_successful: true,
      in_voicemail: false,
      custom_analysis_data: { intent: 'book' },
    });

    // Function call body (reference §4.1): { name, call, args }, the call as it stood.
    const body = functions.seen[0]?.payload as { name: string; args: unknown; call: unknown };
    expect(Object.keys(body).sort()).toEqual(['args', 'call', 'name']);
    expect(body.name).toBe('check_availability');
    expect(body.args).toEqual({ date: '2026-01-06' });
    expect(RetellCall.parse(body.call)).toMatchObject({ call_id: 'call_abc', call_status: 'ongoing' });
  });

  it('records what the agent got back from each function', async () => {
    const { simulator } = setup();
    const result = await simulator
      .call(caller)
      .started()
      .function('check_availability', { date: '2026-01-06' })
      .function('book_appointment', { start: '2026-01-06T10:00:00Z' })
      .play();

    expect(
      result.functions.map(({ name, result: text, successful }) => ({ name, text, successful })),
    ).toEqual([
      {
        name: 'check_availability',
        text: '{"slots":["10:00","11:30"],"say":"I have 10 and 11:30 free."}',
        successful: true,
      },
      { name: 'book_appointment', text: 'Booked for 10:00. See you then!', successful: true },
    ]);
    expect(result.functions[0]?.body).toEqual({
      slots: ['10:00', '11:30'],
      say: 'I have 10 and 11:30 free.',
    });
    expect(result.functions[0]?.attempts.map((attempt) => attempt.seq)).toEqual([2]);
    expect(result.call.transcript_with_tool_calls?.at(-1)).toMatchObject({
      role: 'tool_call_result',
      content: 'Booked for 10:00. See you then!',
    });
  });

  it('shows a refused signature when the endpoint holds another key', async () => {
    const clock = createFakeClock();
    const endpoint = verifyingEndpoint('key_someone_else', clock);
    const simulator = createRetellCallSimulator({ apiKey, clock, webhook: endpoint.handler });
    const result = await simulator.call(caller).started().play();
    expect(endpoint.seen[0]?.signature).toEqual({ ok: false, reason: 'mismatch' });
    expect(result.webhooks[0]?.response).toMatchObject({ status: 401, body: { error: 'mismatch' } });
  });

  it('plays a script given as an array of steps', async () => {
    const { simulator, webhook } = setup();
    const result = await simulator.play({ ...caller, direction: 'outbound', callId: 'call_out' }, [
      { kind: 'call_started' },
      { kind: 'call_ended', disconnectionReason: 'voicemail_reached' },
      { kind: 'call_analyzed', analysis: { inVoicemail: true, successful: false } },
    ]);
    expect(result.callId).toBe('call_out');
    expect(webhook.seen.map((request) => (request.payload as { event: string }).event)).toEqual([
      'call_started',
      'call_ended',
      'call_analyzed',
    ]);
    expect(result.call).toMatchObject({
      direction: 'outbound',
      disconnection_reason: 'voicemail_reached',
      call_analysis: { in_voicemail: true, call_successful: false },
    });
  });

  it('sends to URLs with its fetch, one URL per function name', async () => {
    const clock = createFakeClock();
    const endpoint = verifyingEndpoint(apiKey, clock, () => json({ ok: true }));
    const urls: string[] = [];
    const fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init);
      urls.push(`${request.method} ${request.url}`);
      return endpoint.handler(request);
    };
    const base = 'https://app.example.com';
    const simulator = createRetellCallSimulator({
      apiKey,
      clock,
      fetch,
      webhook: `${base}/retell/webhook`,
      inbound: new URL('/retell/inbound', base),
      functions: { byName: (name) => `${base}/retell/functions/${name}` },
    });
    const result = await simulator.call(caller).inbound().started().function('book_appointment', {}).play();
    expect(urls).toEqual([
      'POST https://app.example.com/retell/inbound',
      'POST https://app.example.com/retell/webhook',
      'POST https://app.example.com/retell/functions/book_appointment',
    ]);
    expect(endpoint.seen.every((request) => request.signature.ok)).toBe(true);
    expect(result.exchanges.map((exchange) => exchange.url)).toEqual(urls.map((line) => line.slice(5)));
  });

  it('records a target that throws, and goes on with the call', async () => {
    const clock = createFakeClock();
    const simulator = createRetellCallSimulator({
      apiKey,
      clock,
      webhook: () => Promise.resolve(new Response(null, { status: 204 })),
      functions: () => Promise.reject(new Error('connection refused')),
    });
    const result = await simulator.call(caller).function('book_appointment', {}).ended().play();
    expect(result.functions[0]).toMatchObject({ successful: false, result: 'connection refused' });
    expect(result.exchanges[0]).toMatchObject({ response: null, error: 'connection refused' });
    expect(result.webhooks.map((exchange) => exchange.response?.status)).toEqual([204]);
  });

  describe('options', () => {
    const handler = () => Promise.resolve(new Response(null, { status: 204 }));

    it('names a bad option', () => {
      expect(() => createRetellCallSimulator({ apiKey: '' })).toThrow(InvalidOptionError);
      expect(() => createRetellCallSimulator({ apiKey, webhook: 42 as unknown as string })).toThrow(
        /"webhook"/,
      );
      expect(() => createRetellCallSimulator({ apiKey, functions: {} as unknown as string })).toThrow(
        /"functions"/,
      );
      expect(() => createRetellCallSimulator({ apiKey }).call({ ...caller, from: '' })).toThrow(/"from"/);
    });

    it('refuses, before sending anything, a step whose target is missing', async () => {
      const simulator = createRetellCallSimulator({ apiKey, webhook: handler });
      await expect(simulator.call(caller).started().function('x').play()).rejects.toThrow(/"functions"/);
      await expect(simulator.call(caller).inbound().play()).rejects.toThrow(/"inbound"/);
      const noWebhook = createRetellCallSimulator({ apiKey, functions: handler });
      await expect(noWebhook.call(caller).ended().play()).rejects.toThrow(/"webhook"/);
    });

    it('refuses an inbound step on an outbound call, and a function name Retell would refuse', async () => {
      const simulator = createRetellCallSimulator({ apiKey, inbound: handler, functions: handler });
      await expect(
        simulator
          .call({ ...caller, direction: 'outbound' })
          .inbound()
          .play(),
      ).rejects.toThrow(/"direction"/);
      await expect(simulator.call(caller).function('book appointment').play()).rejects.toThrow(/"function"/);
    });

    it('refuses bad play options, naming them', async () => {
      const script = createRetellCallSimulator({ apiKey, webhook: handler }).call(caller).started();
      await expect(script.play({ duplicates: { call_started: 0 } })).rejects.toThrow(
        /duplicates\.call_started/,
      );
      await expect(script.play({ drop: ['call_inbound' as 'call_started'] })).rejects.toThrow(/"drop"/);
      await expect(script.play({ reorder: { seed: 1.5 } })).rejects.toThrow(/reorder\.seed/);
      await expect(script.play({ reorder: ['call_ended'], delays: { call_started: 5 } })).rejects.toThrow(
        /"delays"/,
      );
      await expect(script.play({ stepDelayMs: -1 })).rejects.toThrow(/stepDelayMs/);
    });

    it('refuses a step of unknown kind in a script given as an array', async () => {
      const simulator = createRetellCallSimulator({ apiKey, webhook: handler });
      const steps = [{ kind: 'call_started' }, { kind: 'call_ringing' }] as unknown as RetellSimStep[];
      await expect(simulator.play(caller, steps)).rejects.toThrow(/steps\[1\]/);
    });

    it('gives each call its own id, the same in every play of it', async () => {
      const { simulator } = setup();
      const first = simulator.call(caller).started();
      const second = simulator.call(caller).started();
      expect([first.callId, second.callId]).toEqual(['sim_call_1', 'sim_call_2']);
      expect((await first.play()).call.call_id).toBe('sim_call_1');
      expect((await first.play()).call.call_id).toBe('sim_call_1');
    });
  });
});

function numbersOf(spec: { from: string; to: string }) {
  return { from_number: spec.from, to_number: spec.to };
}
