import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../fake-clock.js';
import { createCalcomSimulator } from './calcom-simulator.js';

const KEY = 'cal_test_simulator';

function setUp(random?: () => number) {
  const clock = createFakeClock('2026-01-05T08:00:00Z');
  const sim = createCalcomSimulator({ clock, ...(random ? { random } : {}) });
  const eventType = sim.addEventType({
    slug: 'intro',
    lengthInMinutes: 30,
    timeZone: 'UTC',
    weeklyHours: { monday: [{ start: '09:00', end: '17:00' }] },
  });
  const book = (start: string, signal?: AbortSignal) =>
    sim.fetch('https://api.cal.com/v2/bookings', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${KEY}`,
        'cal-api-version': '2026-02-25',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        start,
        eventTypeId: eventType.id,
        attendee: { name: 'Ada', email: 'ada@example.com', timeZone: 'UTC' },
      }),
      ...(signal ? { signal } : {}),
    });
  const list = () =>
    sim.fetch('https://api.cal.com/v2/bookings', {
      headers: { authorization: `Bearer ${KEY}`, 'cal-api-version': '2026-02-25' },
    });
  return { clock, sim, book, list };
}

describe('Cal.com simulator faults', () => {
  it("delays every answer by the latency, on the simulator's clock", async () => {
    const { clock, sim, list } = setUp();
    sim.faults.setLatency(2_000);
    let answered = false;
    const pending = list().then((response) => {
      answered = true;
      return response;
    });
    await clock.advance(1_999);
    expect(answered).toBe(false);
    await clock.advance(1);
    expect((await pending).status).toBe(200);
  });

  it('never answers a timed-out request until it is aborted, and does not carry it out', async () => {
    const { sim, book } = setUp();
    sim.faults.timeoutNext(1, { method: 'POST' });
    const controller = new AbortController();
    let outcome: unknown = 'pending';
    const pending = book('2026-01-05T09:00:00.000Z', controller.signal).then(
      (response) => (outcome = response.status),
      (error: unknown) => (outcome = error),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcome).toBe('pending');
    controller.abort(new Error('client timeout'));
    await pending;
    expect(outcome).toEqual(new Error('client timeout'));
    expect(sim.bookings()).toEqual([]);
  });

  it('fails the next matching requests with a 5xx without carrying them out', async () => {
    const { sim, book } = setUp();
    sim.faults.failNext(1, { method: 'POST', path: '/v2/bookings', status: 503 });
    const failed = await book('2026-01-05T09:00:00.000Z');
    expect(failed.status).toBe(503);
    expect(sim.bookings()).toEqual([]);
    expect((await book('2026-01-05T09:00:00.000Z')).status).toBe(201);
  });

  it('loses the response of a write that happened: a dropped connection or a 5xx', async () => {
    const { sim, book } = setUp();
    sim.faults.loseResponseNext(1, { path: '/v2/bookings' });
    const dropped = await book('2026-01-05T09:00:00.000Z').catch((error: unknown) => error);
    expect(dropped).toBeInstanceOf(TypeError);
    expect(dropped).toMatchObject({ message: 'fetch failed', name: 'CalcomSimConnectionDropped' });
    expect(sim.bookings().map((booking) => booking.start)).toEqual(['2026-01-05T09:00:00.000Z']);
    sim.faults.loseResponseNext(1, { as: 502 });
    expect((await book('2026-01-05T10:00:00.000Z')).status).toBe(502);
    expect(sim.bookings()).toHaveLength(2);
    // A blind retry of the lost create meets the booking it already made.
    expect((await book('2026-01-05T10:00:00.000Z')).status).toBe(400);
  });

  it('answers a 429 burst with the rate-limit headers', async () => {
    const { sim, list } = setUp();
    sim.faults.rateLimitNext(2, { resetSeconds: 5 });
    for (let i = 0; i < 2; i += 1) {
      const refused = await list();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('x-ratelimit-reset-default')).toBe('5');
      expect(refused.headers.get('x-ratelimit-remaining-default')).toBe('0');
    }
    expect((await list()).status).toBe(200);
  });

  it('fails the share of requests the error rate asks for, drawn from the injected random', async () => {
    const draws = [0.1, 0.9, 0.4, 0.6];
    const { sim, list } = setUp(() => draws.shift() ?? 0.99);
    sim.faults.setErrorRate(0.5);
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await list()).status);
    expect(statuses).toEqual([500, 200, 500, 200]);
    sim.faults.clear();
    expect((await list()).status).toBe(200);
  });

  it('checks fault arguments', () => {
    const { sim } = setUp();
    expect(() => sim.faults.setErrorRate(2)).toThrow(/rate/);
    expect(() => sim.faults.failNext(1, { status: 404 })).toThrow(/status/);
    expect(() => sim.faults.timeoutNext(0)).toThrow(/count/);
  });
});
