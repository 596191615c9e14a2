import { describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { createFakeClock, type FakeClock } from '../../testing/fake-clock.js';
import { isBrokenCircuitError } from '../errors.js';
import { circuitBreaker } from './circuit-breaker.js';
import type { CircuitBreaker } from './circuit-breaker-policy.js';
import { consecutiveFailures } from './consecutive-failures.js';
import { countWindow } from './count-window.js';
import { slowCallRate } from './slow-call-rate.js';
import { timeWindow } from './time-window.js';
import type { TripPolicy } from './trip-policy.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');

/** Runs a sequence of outcomes: `s` success, `f` failure, `w` a success that takes `slowMs`. */
async function play(breaker: CircuitBreaker, clock: FakeClock, sequence: string, slowMs = 0): Promise<void> {
  for (const step of sequence) {
    if (step === 'f')
      await expect(breaker.execute(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    else if (step === 's') await breaker.execute(() => 'ok');
    else if (step === 'w') await breaker.execute(async () => clock.advance(slowMs));
  }
}

async function reasonOf(breaker: CircuitBreaker): Promise<string | null> {
  const error: unknown = await breaker.execute(() => 'ran').catch((caught: unknown) => caught);
  return isBrokenCircuitError(error) ? error.context.reason : null;
}

function policyError(make: () => unknown): string | undefined {
  try {
    make();
  } catch (error) {
    if (isInvalidOptionError(error)) return error.context.option;
    throw error;
  }
  return undefined;
}

describe('consecutiveFailures', () => {
  it('opens after the configured number of failures in a row', async () => {
    const clock = createFakeClock(T0);
    const breaker = circuitBreaker({ clock, policy: consecutiveFailures(3) });
    await play(breaker, clock, 'ffsff');
    expect(breaker.state).toBe('closed');
    await play(breaker, clock, 'f');
    expect(await reasonOf(breaker)).toBe('3 consecutive failures');
  });

  it('rejects a threshold below one', () => {
    expect(policyError(() => consecutiveFailures(0))).toBe('threshold');
  });
});

describe('countWindow', () => {
  it('opens when the failure rate over the last calls reaches the threshold', async () => {
    const clock = createFakeClock(T0);
    const breaker = circuitBreaker({
      clock,
      policy: countWindow({ size: 10, failureRateThreshold: 0.5, minimumCalls: 6 }),
    });
    await play(breaker, clock, 'fffs');
    expect(breaker.state).toBe('closed'); // 75%, but only 4 calls
    await play(breaker, clock, 'sss');
    expect(breaker.state).toBe('closed'); // 3 of 7: below the threshold
    await play(breaker, clock, 'f');
    expect(await reasonOf(breaker)).toBe('failure rate 50% over the last 10 calls (4 of 8; threshold 50%)');
  });

  it('waits for the minimum number of calls, even when every call fails', async () => {
    const clock = createFakeClock(T0);
    const breaker = circuitBreaker({ clock, policy: countWindow({ size: 20, minimumCalls: 8 }) });
    await play(breaker, clock, 'fffffff');
    expect(breaker.state).toBe('closed');
    await play(breaker, clock, 'f');
    expect(breaker.state).toBe('open');
  });

  it('forgets failures that slid out of the window', async () => {
    const clock = createFakeClock(T0);
    const breaker = circuitBreaker({
      clock,
      policy: countWindow({ size: 4, failureRateThreshold: 0.5, minimumCalls: 4 }),
    });
    await play(breaker, clock, 'ffssssf');
    expect(breaker.state).toBe('closed'); // window: s s s f
    await play(breaker, clock, 'f');
    expect(breaker.state).toBe('open'); // window: s s f f
  });

  it('rejects a minimum above the window size and a rate outside (0, 1]', () => {
    expect(policyError(() => countWindow({ size: 5, minimumCalls: 6 }))).toBe('minimumCalls');
    expect(policyError(() => countWindow({ failureRateThreshold: 0 }))).toBe('failureRateThreshold');
    expect(policyError(() => countWindow({ failureRateThreshold: 1.5 }))).toBe('failureRateThreshold');
  });
});

describe('timeWindow', () => {
  it('opens on the failure rate of the last duration only', async () => {
    const clock = createFakeClock(T0);
    const breaker = circuitBreaker({
      clock,
      policy: timeWindow({ durationMs: 10_000, buckets: 10, minimumCalls: 4 }),
    });
    await play(breaker, clock, 'fff');
    await clock.advance(11_000);
    await play(breaker, clock, 'ff');
    expect(breaker.state).toBe('closed'); // the first three dropped out: 2 calls in the window
    await play(breaker, clock, 's');
    await play(breaker, clock, 'f');
    expect(await reasonOf(breaker)).toBe('failure rate 75% over the last 10 s (3 of 4; threshold 50%)');
  });

  it('counts successes buffered before a failure at the time they happened', async () => {
    const clock = createFakeClock(T0);
    const breaker = circuitBreaker({
      clock,
      policy: timeWindow({ durationMs: 10_000, minimumCalls: 2, failureRateThreshold: 0.6 }),
    });
    await play(breaker, clock, 'ss');
    await clock.advance(20_000);
    await play(breaker, clock, 'f');
    await play(breaker, clock, 'f');
    expect(breaker.state).toBe('open'); // the old successes no longer dilute the rate
  });

  it('rejects a window shorter than a second', () => {
    expect(policyError(() => timeWindow({ durationMs: 500 }))).toBe('durationMs');
  });
});

describe('slowCallRate', () => {
  it('counts slow calls against the breaker even though they succeed', async () => {
    const clock = createFakeClock(T0);
    const policy = slowCallRate({
      slowCallDurationMs: 1_000,
      rateThreshold: 0.5,
      minimumCalls: 4,
      window: { kind: 'count', size: 10 },
    });
    const breaker = circuitBreaker({ clock, policy });
    await play(breaker, clock, 'ssw', 1_500);
    expect(breaker.state).toBe('closed');
    await play(breaker, clock, 'w', 1_500);
    expect(await reasonOf(breaker)).toBe(
      'slow or failed calls 50% over the last 10 calls (2 slow, 0 failed of 4; threshold 50%)',
    );
  });

  it('adds failures to slow calls, and treats a call just under the threshold as fast', async () => {
    const clock = createFakeClock(T0);
    const breaker = circuitBreaker({
      clock,
      policy: slowCallRate({
        slowCallDurationMs: 1_000,
        rateThreshold: 0.6,
        minimumCalls: 5,
        window: { kind: 'count', size: 5 },
      }),
    });
    await play(breaker, clock, 'w', 999);
    await play(breaker, clock, 'fs');
    await play(breaker, clock, 'w', 1_000);
    await play(breaker, clock, 's');
    expect(breaker.state).toBe('closed'); // 2 of 5
    await play(breaker, clock, 'f');
    expect(breaker.state).toBe('open'); // 3 of 5
  });

  it('reopens when a half-open probe is slow', async () => {
    const clock = createFakeClock(T0);
    const breaker = circuitBreaker({
      clock,
      policy: slowCallRate({ slowCallDurationMs: 100, minimumCalls: 1, window: { kind: 'count', size: 1 } }),
    });
    await play(breaker, clock, 'w', 200);
    expect(breaker.state).toBe('open');
    await clock.advance(60_000);
    await play(breaker, clock, 'w', 200);
    expect(await reasonOf(breaker)).toBe('probe failed');
  });

  it('requires the slow-call duration', () => {
    expect(policyError(() => slowCallRate({} as never))).toBe('slowCallDurationMs');
    expect(policyError(() => slowCallRate(undefined as never))).toBe('options');
    expect(
      policyError(() =>
        slowCallRate({ slowCallDurationMs: 100, window: { kind: 'time', durationMs: 10 } as never }),
      ),
    ).toBe('window.durationMs');
  });
});

describe('a custom TripPolicy', () => {
  it('is asked with the window counts after each failure', async () => {
    const clock = createFakeClock(T0);
    const seen: number[] = [];
    const policy: TripPolicy = {
      window: { kind: 'count', size: 3 },
      trip: ({ calls, failures }) => {
        seen.push(calls);
        return failures >= 2 ? 'two of three' : undefined;
      },
    };
    const breaker = circuitBreaker({ clock, policy });
    await play(breaker, clock, 'sfsf');
    expect(seen).toEqual([2, 3]);
    expect(await reasonOf(breaker)).toBe('two of three');
  });
});
