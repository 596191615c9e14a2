import { describe, expect, it } from 'vitest';
import { createFakeClock } from './fake-clock.js';
import { sleep } from '../ports/clock.js';

describe('createFakeClock', () => {
  it('starts at the given time and moves only when advanced', async () => {
    const clock = createFakeClock('2026-01-01T00:00:00.000Z');
    expect(clock.now()).toBe(Date.parse('2026-01-01T00:00:00.000Z'));
    await clock.advance(1500);
    expect(new Date(clock.now()).toISOString()).toBe('2026-01-01T00:00:01.500Z');
  });

  it('fires due timers in order, with time set to each one', async () => {
    const clock = createFakeClock(0);
    const fired: [string, number][] = [];
    clock.setTimer(() => fired.push(['b', clock.now()]), 20);
    clock.setTimer(() => fired.push(['a', clock.now()]), 10);
    clock.setTimer(() => fired.push(['c', clock.now()]), 20);
    const cleared = clock.setTimer(() => fired.push(['never', clock.now()]), 5);
    cleared.clear();
    await clock.advance(15);
    expect(fired).toEqual([['a', 10]]);
    await clock.advance(100);
    expect(fired).toEqual([
      ['a', 10],
      ['b', 20],
      ['c', 20],
    ]);
    expect(clock.now()).toBe(115);
    expect(clock.pendingTimers).toBe(0);
  });

  it('lets async code chained on timers progress within one advance', async () => {
    const clock = createFakeClock(0);
    const steps: number[] = [];
    const run = (async () => {
      await sleep(clock, 100);
      steps.push(clock.now());
      await sleep(clock, 100);
      steps.push(clock.now());
    })();
    await clock.advance(250);
    await run;
    expect(steps).toEqual([100, 200]);
  });

  it('rejects a sleep when its signal aborts', async () => {
    const clock = createFakeClock(0);
    const controller = new AbortController();
    const slept = sleep(clock, 1_000, { signal: controller.signal });
    controller.abort(new Error('cancelled'));
    await expect(slept).rejects.toThrow('cancelled');
    expect(clock.pendingTimers).toBe(0);
  });

  it('tells background timers from those that keep a process alive', async () => {
    const clock = createFakeClock(0);
    clock.setTimer(() => undefined, 10);
    clock.setTimer(() => undefined, 10, { background: false });
    const poll = clock.setTimer(() => undefined, 10, { background: true });
    void sleep(clock, 10);
    void sleep(clock, 20, { background: true });
    expect([clock.pendingTimers, clock.backgroundTimers]).toEqual([5, 2]);
    poll.clear();
    expect([clock.pendingTimers, clock.backgroundTimers]).toEqual([4, 1]);
    await clock.advance(10);
    expect([clock.pendingTimers, clock.backgroundTimers]).toEqual([1, 1]);
  });

  it('refuses a bad start time and negative advances', async () => {
    expect(() => createFakeClock('yesterday')).toThrow(/valid time/);
    await expect(createFakeClock().advance(-1)).rejects.toThrow(/non-negative/);
  });

  it('stops runAll on a timer that reschedules itself forever', async () => {
    const clock = createFakeClock(0);
    const again = (): void => void clock.setTimer(again, 1);
    again();
    await expect(clock.runAll(50)).rejects.toThrow(/more than 50 timers/);
  });
});
