import { describe, expect, it } from 'vitest';
import { createMemoryBreakerStateStore } from './memory-breaker-state-store.js';
import type { Logger } from '../../ports/logger.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { isBrokenCircuitError } from '../errors.js';
import type { BreakerFailureEvent, BreakerStateChangeEvent, BreakerSuccessEvent } from './breaker-events.js';
import { circuitBreaker } from './circuit-breaker.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');
const boom = (): Promise<never> => Promise.reject(new Error('boom'));

async function failTimes(
  breaker: { execute: (fn: () => Promise<never>) => Promise<unknown> },
  times: number,
): Promise<void> {
  for (let i = 0; i < times; i += 1) await expect(breaker.execute(boom)).rejects.toThrow('boom');
}

function recordingLogger(): Logger & { lines: { level: string; object: unknown; message: unknown }[] } {
  const lines: { level: string; object: unknown; message: unknown }[] = [];
  const log = (level: string) => (object: unknown, message?: unknown) =>
    lines.push({ level, object, message });
  return {
    lines,
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
}

describe('circuitBreaker: manual controls', () => {
  it('isolate holds the breaker open, however long, until reset', async () => {
    const clock = createFakeClock(T0);
    const breaker = circuitBreaker({ clock });
    await breaker.isolate({ reason: 'Cal.com maintenance window' });
    await clock.advance(3_600_000);
    const error: unknown = await breaker.execute(() => 'ran').catch((caught: unknown) => caught);
    expect(isBrokenCircuitError(error) && error.context).toEqual({
      breaker: 'circuit-breaker',
      state: 'isolated',
      retryAt: null,
      retryAfterMs: null,
      reason: 'Cal.com maintenance window',
    });
    await breaker.reset();
    await expect(breaker.execute(() => 'ran')).resolves.toBe('ran');
  });

  it('open forces the breaker open for the open duration, after which it probes as usual', async () => {
    const clock = createFakeClock(T0);
    const breaker = circuitBreaker({ clock, openDuration: 5_000 });
    await breaker.open();
    await expect(breaker.execute(() => 'ran')).rejects.toThrow(/is open/);
    await clock.advance(5_000);
    await expect(breaker.execute(() => 'ran')).resolves.toBe('ran');
    expect(breaker.state).toBe('half-open');
  });

  it('disable lets every call through uncounted until reset, which starts from an empty window', async () => {
    const clock = createFakeClock(T0);
    const breaker = circuitBreaker({ clock });
    await failTimes(breaker, 4);
    await breaker.disable();
    await failTimes(breaker, 20);
    expect(breaker.state).toBe('disabled');
    await breaker.reset();
    await failTimes(breaker, 4);
    expect(breaker.state).toBe('closed');
  });
});

describe('circuitBreaker: events', () => {
  it('reports each state change with its reason, and when probes may start', async () => {
    const clock = createFakeClock(T0);
    const breaker = circuitBreaker({ clock, name: 'calcom' });
    const changes: Pick<BreakerStateChangeEvent, 'from' | 'to' | 'reason' | 'retryAt'>[] = [];
    breaker.onStateChange(({ from, to, reason, retryAt }) => changes.push({ from, to, reason, retryAt }));
    await failTimes(breaker, 5);
    await clock.advance(60_000);
    await breaker.execute(() => 1);
    await breaker.execute(() => 2);
    expect(changes).toEqual([
      { from: 'closed', to: 'open', reason: '5 consecutive failures', retryAt: T0 + 60_000 },
      { from: 'open', to: 'half-open', reason: 'open period ended; probing', retryAt: null },
      { from: 'half-open', to: 'closed', reason: '2 successful probes', retryAt: null },
    ]);
  });

  it('reports successes and failures with their durations, and rejections with the error', async () => {
    const clock = createFakeClock(T0);
    const breaker = circuitBreaker({ clock });
    const successes: BreakerSuccessEvent[] = [];
    const failures: Omit<BreakerFailureEvent, 'error'>[] = [];
    const rejected: unknown[] = [];
    breaker.onSuccess((event) => successes.push(event));
    breaker.onFailure(({ error: _error, ...rest }) => failures.push(rest));
    breaker.onRejected(({ error }) => rejected.push(error));
    const slowly = async <T>(ms: number, value: () => T): Promise<T> => {
      const advancing = clock.advance(ms);
      await advancing;
      return value();
    };
    await breaker.execute(() => slowly(250, () => 'ok'));
    await expect(
      breaker.execute(() =>
        slowly(40, () => Promise.reject(Object.assign(new Error('not found'), { status: 404 }))),
      ),
    ).rejects.toThrow();
    await failTimes(breaker, 5);
    await expect(breaker.execute(() => 'never')).rejects.toThrow(/open/);
    expect(successes).toEqual([{ breaker: 'circuit-breaker', durationMs: 250, slow: false, probe: false }]);
    expect(failures[0]).toEqual({
      breaker: 'circuit-breaker',
      durationMs: 40,
      kind: 'excused',
      probe: false,
    });
    expect(failures.slice(1).map((f) => f.kind)).toEqual([
      'failure',
      'failure',
      'failure',
      'failure',
      'failure',
    ]);
    expect(rejected).toHaveLength(1);
    expect(isBrokenCircuitError(rejected[0])).toBe(true);
  });

  it('stops delivering to a disposed listener, and survives a listener that throws', async () => {
    const clock = createFakeClock(T0);
    const logger = recordingLogger();
    const breaker = circuitBreaker({ clock, logger });
    const seen: string[] = [];
    const subscription = breaker.onStateChange(({ to }) => seen.push(to));
    breaker.onStateChange(() => {
      throw new Error('listener bug');
    });
    await failTimes(breaker, 5);
    subscription.dispose();
    subscription.dispose();
    await breaker.reset();
    expect(seen).toEqual(['open']);
    expect(logger.lines.filter((line) => line.level === 'error')).toHaveLength(2);
  });
});

describe('circuitBreaker: serialisation', () => {
  it('serialises to JSON and rehydrates open, with the same retry time, in a fresh store', async () => {
    const clock = createFakeClock(T0);
    const first = circuitBreaker({ clock });
    await failTimes(first, 5);
    const saved: unknown = JSON.parse(JSON.stringify(first));
    const second = circuitBreaker({ clock, initialState: saved as ReturnType<typeof first.toJSON> });
    const error: unknown = await second.execute(() => 'ran').catch((caught: unknown) => caught);
    expect(isBrokenCircuitError(error) && error.context.retryAt).toBe(T0 + 60_000);
    await clock.advance(60_000);
    await expect(second.execute(() => 'ran')).resolves.toBe('ran');
  });

  it('resumes a half-open snapshot as open and due for a probe', async () => {
    const clock = createFakeClock(T0);
    const initialState = {
      state: 'half-open',
      generation: 3,
      since: T0 - 1_000,
      until: T0 + 59_000,
      opens: 2,
      probes: 1,
      probeSuccesses: 1,
      reason: 'x',
    } as const;
    const breaker = circuitBreaker({ clock, initialState });
    await expect(breaker.execute(() => 'probe')).resolves.toBe('probe');
    expect(breaker.state).toBe('half-open');
    expect(breaker.toJSON().probeSuccesses).toBe(1);
  });

  it('ignores the initial state when the store already holds the breaker', async () => {
    const clock = createFakeClock(T0);
    const store = createMemoryBreakerStateStore();
    await store.transition('calcom', {
      expectedGeneration: 0,
      state: 'closed',
      since: T0,
      until: null,
      opens: 0,
      reason: null,
    });
    const initialState = {
      state: 'isolated',
      generation: 9,
      since: T0,
      until: null,
      opens: 0,
      probes: 0,
      probeSuccesses: 0,
      reason: null,
    } as const;
    const breaker = circuitBreaker({ clock, name: 'calcom', store, initialState });
    await expect(breaker.execute(() => 'ran')).resolves.toBe('ran');
    expect(breaker.state).toBe('closed');
  });
});
