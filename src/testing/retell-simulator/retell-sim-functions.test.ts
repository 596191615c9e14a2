import { describe, expect, it } from 'vitest';
import { deferred } from '../../../test/support/deferred.js';
import { createFakeClock } from '../fake-clock.js';
import { createRetellCallSimulator } from './retell-call-simulator.js';
import { verifyingEndpoint } from './verifying-endpoint.test-support.js';

const apiKey = 'key_simulator_test';
const caller = { from: '+14155550100', to: '+14155550199', agentId: 'agent_1' };
const args = { start: '2026-01-06T10:00:00Z', name: 'Ana' };

describe('Retell call simulator function calls', () => {
  it('sends a retry while the first attempt is still running', async () => {
    const clock = createFakeClock();
    const secondArrived = deferred();
    let calls = 0;
    const events: string[] = [];
    const endpoint = verifyingEndpoint(apiKey, clock, async () => {
      calls += 1;
      const attempt = calls;
      events.push(`start ${attempt}`);
      if (attempt === 1) {
        // The first attempt answers only once the retry has arrived: proof that they overlap.
        await secondArrived.promise;
      } else secondArrived.resolve();
      events.push(`end ${attempt}`);
      return new Response(`booked (attempt ${attempt})`);
    });
    const simulator = createRetellCallSimulator({ apiKey, clock, functions: endpoint.handler });
    const result = await simulator
      .call(caller)
      .function('book_appointment', args, { retry: { whilePending: true } })
      .play();

    expect(events).toEqual(['start 1', 'start 2', 'end 2', 'end 1']);
    const [call] = result.functions;
    expect(call?.attempts.map((attempt) => attempt.attempt)).toEqual([1, 2]);
    expect(endpoint.seen.every((request) => request.signature.ok)).toBe(true);
    expect(endpoint.seen[0]?.body).toBe(endpoint.seen[1]?.body);
    expect(endpoint.seen[0]?.payload).toMatchObject({ name: 'book_appointment', args });
    // The agent goes on with the retry's answer, the last attempt sent.
    expect(call?.result).toBe('booked (attempt 2)');
  });

  it('sends the overlapping retry afterMs later on the clock, the first still pending', async () => {
    const clock = createFakeClock();
    const start = clock.now();
    const release = deferred();
    const endpoint = verifyingEndpoint(apiKey, clock, async (_payload, seen) => {
      if (seen.at === start) await release.promise;
      return Response.json({ ok: true });
    });
    const simulator = createRetellCallSimulator({ apiKey, clock, functions: endpoint.handler });
    const playing = simulator
      .call(caller)
      .function('book_appointment', args, { retry: { whilePending: { afterMs: 2_000 } } })
      .play();
    await clock.advance(1_999);
    expect(endpoint.seen).toHaveLength(1);
    await clock.advance(1);
    expect(endpoint.seen.map((request) => request.at - start)).toEqual([0, 2_000]);
    release.resolve();
    const result = await playing;
    const [first, second] = result.functions[0]!.attempts;
    expect(second!.sentAt - start).toBe(2_000);
    // The first answered after the retry was sent.
    expect(first!.answeredAt).toBeGreaterThanOrEqual(second!.sentAt);
    expect(endpoint.seen[1]?.signature).toEqual({ ok: true, timestamp: start + 2_000 });
  });

  it('sends a retry after the first answered', async () => {
    const clock = createFakeClock();
    let running = 0;
    let most = 0;
    const endpoint = verifyingEndpoint(apiKey, clock, async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return new Response('done');
    });
    const simulator = createRetellCallSimulator({ apiKey, clock, functions: endpoint.handler });
    const result = await simulator
      .call(caller)
      .function('book_appointment', args, { retry: { afterAnswer: true } })
      .play();
    expect(result.functions[0]?.attempts.map((attempt) => attempt.attempt)).toEqual([1, 2]);
    expect(most).toBe(1);
    expect(endpoint.seen).toHaveLength(2);
  });

  it('combines both: a retry during the first, and one more after both answered', async () => {
    const clock = createFakeClock();
    const answered: number[] = [];
    let calls = 0;
    const endpoint = verifyingEndpoint(apiKey, clock, async () => {
      const attempt = (calls += 1);
      await new Promise((resolve) => setImmediate(resolve));
      answered.push(attempt);
      return new Response(String(attempt));
    });
    const simulator = createRetellCallSimulator({ apiKey, clock, functions: endpoint.handler });
    const result = await simulator
      .call(caller)
      .function('book_appointment', args, { retry: { whilePending: true, afterAnswer: true } })
      .play();
    expect(result.functions[0]?.attempts.map((attempt) => attempt.attempt)).toEqual([1, 2, 3]);
    expect(answered.at(-1)).toBe(3);
    expect(answered.slice(0, 2).sort()).toEqual([1, 2]);
    expect(result.functions[0]?.result).toBe('3');
  });

  it('gives the agent the last successful answer, and a failure only when none succeeded', async () => {
    const clock = createFakeClock();
    let calls = 0;
    const flaky = verifyingEndpoint(apiKey, clock, () => {
      calls += 1;
      return calls === 1 ? new Response('upstream down', { status: 503 }) : new Response('booked');
    });
    const simulator = createRetellCallSimulator({ apiKey, clock, functions: flaky.handler });
    const recovered = await simulator
      .call(caller)
      .function('book_appointment', args, { retry: { afterAnswer: true } })
      .play();
    expect(recovered.functions[0]).toMatchObject({ result: 'booked', successful: true });

    const down = createRetellCallSimulator({
      apiKey,
      clock,
      functions: () => Promise.resolve(new Response('still down', { status: 500 })),
    });
    const failed = await down.call(caller).function('book_appointment', args).play();
    expect(failed.functions[0]).toMatchObject({ result: 'still down', successful: false });
    expect(failed.call.transcript_with_tool_calls?.at(-1)).toMatchObject({
      role: 'tool_call_result',
      successful: false,
    });
  });

  it('caps what the agent gets at 15,000 characters, as Retell does', async () => {
    const clock = createFakeClock();
    const simulator = createRetellCallSimulator({
      apiKey,
      clock,
      functions: () => Promise.resolve(new Response('x'.repeat(20_000))),
    });
    const result = await simulator.call(caller).function('list_slots').play();
    expect(result.functions[0]?.result).toHaveLength(15_000);
    expect(result.functions[0]?.attempts[0]?.response?.text).toHaveLength(20_000);
  });

  it('sends only the args with argsAtRoot', async () => {
    const clock = createFakeClock();
    const endpoint = verifyingEndpoint(apiKey, clock, () => new Response('ok'));
    const simulator = createRetellCallSimulator({ apiKey, clock, functions: endpoint.handler });
    await simulator.call(caller).function('book_appointment', args, { argsAtRoot: true }).play();
    expect(endpoint.seen[0]?.body).toBe(JSON.stringify(args));
    expect(endpoint.seen[0]?.signature.ok).toBe(true);
  });

  it('gives each function step its own tool call id in the transcript', async () => {
    const clock = createFakeClock();
    const simulator = createRetellCallSimulator({
      apiKey,
      clock,
      functions: () => Promise.resolve(new Response('ok')),
    });
    const result = await simulator
      .call({ ...caller, callId: 'call_7' })
      .function('check_availability', { date: '2026-01-06' })
      .function('book_appointment', args)
      .play();
    expect(result.functions.map((call) => call.toolCallId)).toEqual(['call_7_tool_1', 'call_7_tool_2']);
    expect(result.call.transcript_with_tool_calls).toEqual([
      {
        role: 'tool_call_invocation',
        tool_call_id: 'call_7_tool_1',
        name: 'check_availability',
        arguments: '{"date":"2026-01-06"}',
      },
      { role: 'tool_call_result', tool_call_id: 'call_7_tool_1', content: 'ok', successful: true },
      {
        role: 'tool_call_invocation',
        tool_call_id: 'call_7_tool_2',
        name: 'book_appointment',
        arguments: JSON.stringify(args),
      },
      { role: 'tool_call_result', tool_call_id: 'call_7_tool_2', content: 'ok', successful: true },
    ]);
  });
});
