import { describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { createFakeClock, type FakeClock } from '../../testing/fake-clock.js';
import { exponentialBackoff } from '../backoff.js';
import { isBrokenCircuitError, type BrokenCircuitError } from '../errors.js';
import { circuitBreaker } from './circuit-breaker.js';
import type { CircuitBreaker } from './circuit-breaker-policy.js';
import type { CircuitBreakerOptions } from './breaker-options.js';
import { deferred } from '../../../test/support/deferred.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');
const boom = (): Promise<never> => Promise.reject(new Error('boom'));
const ok = async (): Promise<string> => 'ok';

function setup(options: Omit<CircuitBreakerOptions, 'clock'> = {}): {
  clock: FakeClock;
  breaker: CircuitBreaker;
} {
  const clock = createFakeClock(T0);
  return { clock, breaker: circuitBreaker({ clock, ...options }) };
}

async function failTimes(breaker: CircuitBreaker, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) await expect(breaker.execute(boom)).rejects.toThrow('boom');
}

async function rejection(promise: Promise<unknown>): Promise<BrokenCircuitError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isBrokenCircuitError(error)) throw new Error(`expected a BrokenCircuitError, got ${String(error)}`);
  return error;
}

describe('circuitBreaker: the classic scenario', () => {
  it('opens after five consecutive failures and rejects calls at once without running them', async () => {
    const { breaker } = setup();
    await failTimes(breaker, 4);
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    let ran = false;
    const error = await rejection(breaker.execute(() => (ran = true)));
    expect(ran).toBe(false);
    expect(error.context).toEqual({
      breaker: 'circuit-breaker',
      state: 'open',
      retryAt: T0 + 60_000,
      retryAfterMs: 60_000,
      reason: '5 consecutive failures',
    });
    expect(error.message).toContain('retry after 2026-01-05T09:01:00.000Z');
  });

  it('stays open until 60 s have passed, then half-opens and closes after two successful probes', async () => {
    const { clock, breaker } = setup();
    await failTimes(breaker, 5);
    await clock.advance(59_999);
    expect((await rejection(breaker.execute(ok))).context.retryAfterMs).toBe(1);
    await clock.advance(1);
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(breaker.state).toBe('half-open');
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 4);
    expect(breaker.state).toBe('closed');
  });

  it('reads half-open once the open period has ended, before any call: a readiness check sees it admit calls', async () => {
    const { clock, breaker } = setup();
    await failTimes(breaker, 5);
    await clock.advance(59_999);
    expect(breaker.state).toBe('open');
    await clock.advance(1);
    // Nobody has called since it opened (e.g. a load balancer sends no traffic while it reads open).
    expect(breaker.state).toBe('half-open');
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(breaker.state).toBe('half-open');
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
  });

  it('reopens for another full period when a half-open probe fails', async () => {
    const { clock, breaker } = setup();
    await failTimes(breaker, 5);
    await clock.advance(60_000);
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    const error = await rejection(breaker.execute(ok));
    expect(error.context.retryAt).toBe(T0 + 120_000);
    expect(error.context.reason).toBe('probe failed');
  });

  it('resets the consecutive count on a success', async () => {
    const { breaker } = setup();
    await failTimes(breaker, 4);
    await breaker.execute(ok);
    await failTimes(breaker, 4);
    expect(breaker.state).toBe('closed');
  });
});

describe('circuitBreaker: half-open', () => {
  it('lets only the configured number of probes run at once, and rejects the rest', async () => {
    const { clock, breaker } = setup({ halfOpenMaxProbes: 2, halfOpenSuccessThreshold: 2 });
    await failTimes(breaker, 5);
    await clock.advance(60_000);
    const gates = [deferred<string>(), deferred<string>()];
    let started = 0;
    const calls = Array.from({ length: 6 }, () =>
      breaker.execute(() => {
        const gate = gates[started];
        started += 1;
        return gate ? gate.promise : 'unexpected';
      }),
    );
    const settled = calls.map((call) =>
      call.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
    );
    await clock.advance(0);
    expect(started).toBe(2);
    for (const gate of gates) gate.resolve('probed');
    const results = await Promise.all(settled);
    expect(results.filter((r) => 'value' in r && r.value === 'probed')).toHaveLength(2);
    const rejected = results.filter((r) => 'error' in r && isBrokenCircuitError(r.error));
    expect(rejected).toHaveLength(4);
    expect((rejected[0] as { error: BrokenCircuitError }).error.context.state).toBe('half-open');
    expect(breaker.state).toBe('closed');
  });

  it('lets the caller that finds the open period over run the first probe, ahead of later callers', async () => {
    const { clock, breaker } = setup();
    await failTimes(breaker, 5);
    await clock.advance(60_000);
    const ran: string[] = [];
    const call = (name: string) =>
      breaker.execute(() => {
        ran.push(name);
        return name;
      });
    const [first, second] = await Promise.allSettled([call('first'), call('second')]);
    expect(ran).toEqual(['first']);
    expect(first).toEqual({ status: 'fulfilled', value: 'first' });
    expect(second.status === 'rejected' && isBrokenCircuitError(second.reason)).toBe(true);
  });

  it('never stays half-open forever: a trial that does not conclude reopens the breaker', async () => {
    const { clock, breaker } = setup({ halfOpenMaxWaitMs: 30_000 });
    await failTimes(breaker, 5);
    await clock.advance(60_000);
    const hanging = deferred<string>();
    const probe = breaker.execute(() => hanging.promise);
    await clock.advance(29_999);
    expect((await rejection(breaker.execute(ok))).context.state).toBe('half-open');
    await clock.advance(1);
    const error = await rejection(breaker.execute(ok));
    expect(error.context.state).toBe('open');
    expect(error.context.reason).toBe('half-open trial did not conclude in time');
    hanging.resolve('late');
    await expect(probe).resolves.toBe('late');
    expect(breaker.state).toBe('open');
  });

  it('grows the open period with a backoff while probes keep failing, and starts over once closed', async () => {
    const openDuration = exponentialBackoff({ initialDelayMs: 10_000, maxDelayMs: 40_000, jitter: 0 });
    const { clock, breaker } = setup({ openDuration });
    await failTimes(breaker, 5);
    const periods: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const { retryAfterMs } = (await rejection(breaker.execute(ok))).context;
      periods.push(retryAfterMs ?? -1);
      await clock.advance(retryAfterMs ?? 0);
      await failTimes(breaker, 1);
    }
    expect(periods).toEqual([10_000, 20_000, 40_000, 40_000]);
    await clock.advance(40_000);
    await breaker.execute(ok);
    await breaker.execute(ok);
    await failTimes(breaker, 5);
    expect((await rejection(breaker.execute(ok))).context.retryAfterMs).toBe(10_000);
  });
});

describe('circuitBreaker: classification', () => {
  const httpError = (status: number) =>
    Object.assign(new Error(`HTTP ${status}`), { response: { status, headers: {} } });

  it('does not count HTTP 4xx errors other than 408 and 429 against the breaker', async () => {
    const { breaker } = setup();
    for (let i = 0; i < 10; i += 1)
      await expect(breaker.execute(() => Promise.reject(httpError(404)))).rejects.toThrow('HTTP 404');
    expect(breaker.state).toBe('closed');
    for (const status of [408, 429, 500, 503, 502])
      await expect(breaker.execute(() => Promise.reject(httpError(status)))).rejects.toThrow();
    expect(breaker.state).toBe('open');
  });

  it('counts a fetch Response with a 5xx status as a failure, and still returns it', async () => {
    const { breaker } = setup();
    for (let i = 0; i < 5; i += 1) {
      const response = await breaker.execute(() => new Response('down', { status: 503 }));
      expect(response.status).toBe(503);
    }
    expect(breaker.state).toBe('open');
  });

  it('uses the given error and result classifiers', async () => {
    const { breaker } = setup({
      isFailure: (error) => (error as Error).message !== 'fine',
      isFailureResult: (result) => result === 'bad',
    });
    for (let i = 0; i < 6; i += 1)
      await expect(breaker.execute(() => Promise.reject(new Error('fine')))).rejects.toThrow('fine');
    expect(breaker.state).toBe('closed');
    for (let i = 0; i < 5; i += 1) await breaker.execute(() => 'bad');
    expect(breaker.state).toBe('open');
  });

  it('does not count calls the caller aborted', async () => {
    const { breaker } = setup();
    for (let i = 0; i < 6; i += 1) {
      const controller = new AbortController();
      const call = breaker.execute(
        ({ signal }) =>
          new Promise((_, reject) => {
            signal.addEventListener('abort', () => reject(signal.reason as Error));
            controller.abort(new Error('caller gave up'));
          }),
        { signal: controller.signal },
      );
      await expect(call).rejects.toThrow('caller gave up');
    }
    expect(breaker.state).toBe('closed');
  });

  it('rejects with the reason of an already aborted signal without running the function', async () => {
    const { breaker } = setup();
    let ran = false;
    await expect(
      breaker.execute(() => (ran = true), { signal: AbortSignal.abort(new Error('stop')) }),
    ).rejects.toThrow('stop');
    expect(ran).toBe(false);
  });

  it('hands the caller signal to the function, and a live one when the caller gave none', async () => {
    const { breaker } = setup();
    const controller = new AbortController();
    expect(await breaker.execute(({ signal }) => signal, { signal: controller.signal })).toBe(
      controller.signal,
    );
    const own = await breaker.execute(({ signal }) => signal);
    expect(own).toBeInstanceOf(AbortSignal);
    expect(own.aborted).toBe(false);
  });
});

describe('circuitBreaker: options', () => {
  it.each([
    [{ halfOpenMaxProbes: 0 }, 'halfOpenMaxProbes'],
    [{ openDuration: -1 }, 'openDuration'],
    [{ policy: { trip: 'no' } }, 'policy'],
    [{ policy: { window: { kind: 'count', size: 0 }, trip: () => undefined } }, 'policy.window.size'],
    [{ minInstances: 1.5 }, 'minInstances'],
    [{ cacheTtlMs: Number.NaN }, 'cacheTtlMs'],
    [{ initialState: { state: 'ajar' } }, 'initialState'],
  ])('rejects %j eagerly, naming the option', (options, option) => {
    let error: unknown;
    try {
      circuitBreaker(options as CircuitBreakerOptions);
    } catch (caught) {
      error = caught;
    }
    expect(isInvalidOptionError(error)).toBe(true);
    expect((error as { context: { option: string } }).context.option).toBe(option);
  });

  it('requires a name when a store is given, so breakers never share state by accident', () => {
    expect(() => circuitBreaker({ store: circuitBreakerStoreStub() })).toThrow(/"name"/);
  });
});

function circuitBreakerStoreStub(): NonNullable<CircuitBreakerOptions['store']> {
  const never = (): Promise<never> => Promise.reject(new Error('unused'));
  return { read: never, record: never, transition: never, acquireProbe: never, settleProbe: never };
}
