import type { Clock, TimerHandle, TimerOptions } from '../ports/clock.js';

/** A {@link Clock} whose time moves only when a test says so. */
export interface FakeClock extends Clock {
  /**
   * Moves time forward by `ms`, firing every timer that falls due, in order, and letting the
   * promise callbacks they trigger run in between (so async code driven by timers progresses).
   */
  advance(ms: number): Promise<void>;
  /** Moves time to the absolute epoch-ms `time` (never backwards), firing due timers. */
  advanceTo(time: number): Promise<void>;
  /** Fires timers until none is left (at most `limit` of them, to stop runaway loops). */
  runAll(limit?: number): Promise<void>;
  /** Timers not yet fired nor cleared. */
  readonly pendingTimers: number;
  /**
   * Of the {@link FakeClock.pendingTimers}, those created with `{ background: true }`: the ones
   * that would not keep a real process alive. A test can check that awaited work never waits on a
   * background timer, and that polling never holds a process open.
   *
   * @example
   * ```ts
   * declare const relay: OutboxRelay;
   * declare const clock: FakeClock;
   * // ---cut---
   * import { expect } from 'vitest';
   * relay.start();
   * await clock.advance(0);
   * expect(clock.backgroundTimers).toBe(clock.pendingTimers); // polling only
   * ```
   */
  readonly backgroundTimers: number;
}

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly callback: () => void;
  readonly background: boolean;
  cleared: boolean;
}

/** Lets pending promise callbacks (and the microtasks they schedule) run. */
function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Creates a controllable clock for tests.
 *
 * @param start - initial time, epoch ms or an ISO string. @default '2026-01-05T09:00:00.000Z'
 * @example
 * ```ts
 * const clock = createFakeClock();
 * const breaker = circuitBreaker({ clock });
 * await clock.advance(60_000); // the breaker's open period has elapsed
 * ```
 */
export function createFakeClock(start: number | string = '2026-01-05T09:00:00.000Z'): FakeClock {
  let now = typeof start === 'string' ? Date.parse(start) : start;
  if (!Number.isFinite(now))
    throw new RangeError(`createFakeClock: start must be a valid time, got ${String(start)}`);
  let seq = 0;
  const timers: Timer[] = [];

  const nextDue = (limit: number): Timer | undefined => {
    let best: Timer | undefined;
    for (const timer of timers) {
      if (timer.cleared || timer.due > limit) continue;
      if (!best || timer.due < best.due || (timer.due === best.due && timer.seq < best.seq)) best = timer;
    }
    return best;
  };

  const fire = (timer: Timer): void => {
    timers.splice(timers.indexOf(timer), 1);
    now = Math.max(now, timer.due);
    timer.callback();
  };

  const clock: FakeClock = {
    now: () => now,
    setTimer(callback: () => void, delayMs: number, options?: TimerOptions): TimerHandle {
      seq += 1;
      const timer: Timer = {
        due: now + Math.max(0, delayMs),
        seq,
        callback,
        background: options?.background === true,
        cleared: false,
      };
      timers.push(timer);
      return {
        clear: () => {
          timer.cleared = true;
          const index = timers.indexOf(timer);
          if (index >= 0) timers.splice(index, 1);
        },
      };
    },
    async advance(ms: number) {
      if (!(ms >= 0)) throw new RangeError(`advance: ms must be a non-negative number, got ${ms}`);
      await clock.advanceTo(now + ms);
    },
    async advanceTo(time: number) {
      await flushMicrotasks();
      for (let timer = nextDue(time); timer; timer = nextDue(time)) {
        fire(timer);
        await flushMicrotasks();
      }
      now = Math.max(now, time);
      await flushMicrotasks();
    },
    async runAll(limit = 10_000) {
      for (let i = 0; i < limit; i += 1) {
        await flushMicrotasks();
        const timer = nextDue(Number.POSITIVE_INFINITY);
        if (!timer) return;
        fire(timer);
      }
      throw new Error(`runAll: more than ${limit} timers fired; is a timer rescheduling itself forever?`);
    },
    get pendingTimers() {
      return timers.length;
    },
    get backgroundTimers() {
      return timers.filter((timer) => timer.background).length;
    },
  };
  return clock;
}
