import { describe, expect, it } from 'vitest';
import { isIdempotencyInProgressError, isIdempotencyMismatchError } from './errors.js';
import { idempotent, type IdempotentOptions } from './idempotent.js';
import { createMemoryIdempotencyStore } from '../adapters/memory/memory-idempotency-store.js';
import { isInvalidOptionError } from '../errors/invalid-option-error.js';
import { isValidationError } from '../errors/validation-error.js';
import type { IdempotencyStore, IdempotencyValue } from './idempotency-store.js';
import { createFakeClock } from '../testing/fake-clock.js';
import { deferred } from '../../test/support/deferred.js';

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

function setup() {
  const clock = createFakeClock();
  const store = createMemoryIdempotencyStore();
  const options = (overrides: Partial<IdempotentOptions> = {}): IdempotentOptions => ({
    tenantId: 'tenant-a',
    key: 'order-1',
    fingerprint: 'fp-1',
    clock,
    ...overrides,
  });
  return { clock, store, options };
}

describe('idempotent', () => {
  it('runs the function once and replays its result to a duplicate', async () => {
    const { store, options } = setup();
    let runs = 0;
    const book = async () => {
      runs += 1;
      return { appointmentId: 'a1' };
    };
    expect(await idempotent(store, options(), book)).toEqual({
      value: { appointmentId: 'a1' },
      replayed: false,
    });
    expect(await idempotent(store, options(), book)).toEqual({
      value: { appointmentId: 'a1' },
      replayed: true,
    });
    expect(runs).toBe(1);
  });

  it('never caches a failure: the retry runs again', async () => {
    const { store, options } = setup();
    const failure = new Error('Cal.com is down');
    expect(await caught(idempotent(store, options(), () => Promise.reject(failure)))).toBe(failure);
    expect(await idempotent(store, options(), () => 'booked')).toEqual({ value: 'booked', replayed: false });
  });

  it('refuses the key for a different request', async () => {
    const { store, options } = setup();
    await idempotent(store, options(), () => 1);
    const error = await caught(idempotent(store, options({ fingerprint: 'fp-2' }), () => 2));
    expect(isIdempotencyMismatchError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'IDEMPOTENCY_MISMATCH',
      context: { key: 'order-1', fingerprint: 'fp-2', storedFingerprint: 'fp-1' },
    });
  });

  it('fails a concurrent duplicate at once by default', async () => {
    const { store, options } = setup();
    const first = deferred<string>();
    const running = idempotent(store, options(), () => first.promise);
    const error = await caught(idempotent(store, options(), () => 'second'));
    expect(isIdempotencyInProgressError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'IDEMPOTENCY_IN_PROGRESS',
      context: { tenantId: 'tenant-a', key: 'order-1', waitedMs: 0 },
    });
    first.resolve('first');
    expect(await running).toEqual({ value: 'first', replayed: false });
  });

  it('waits for the holder and replays its result when asked to wait', async () => {
    const { clock, store, options } = setup();
    const first = deferred<string>();
    const running = idempotent(store, options(), () => first.promise);
    let secondRan = false;
    const waiting = idempotent(store, options({ waitMs: 5_000 }), () => {
      secondRan = true;
      return 'second';
    });
    await clock.advance(300);
    first.resolve('first');
    await running;
    await clock.advance(1_000);
    expect(await waiting).toEqual({ value: 'first', replayed: true });
    expect(secondRan).toBe(false);
  });

  it('gives up waiting after waitMs with an in-progress error', async () => {
    const { clock, store, options } = setup();
    void idempotent(store, options({ lockTtlMs: 60_000 }), () => new Promise<string>(() => {}));
    const waiting = caught(idempotent(store, options({ waitMs: 2_000 }), () => 'second'));
    await clock.advance(2_000);
    const error = await waiting;
    expect(isIdempotencyInProgressError(error)).toBe(true);
    expect(error).toMatchObject({
      context: { waitedMs: 2_000, lockExpiresAt: clock.now() - 2_000 + 60_000 },
    });
  });

  it('polls with doubling pauses up to maxPollIntervalMs', async () => {
    const { clock, store, options } = setup();
    void idempotent(store, options(), () => new Promise<string>(() => {}));
    const start = clock.now();
    const polls: number[] = [];
    const counting: IdempotencyStore = {
      ...store,
      begin: (scope, opts) => {
        polls.push(opts.now - start);
        return store.begin(scope, opts);
      },
    };
    const waiting = caught(
      idempotent(
        counting,
        options({ waitMs: 1_000, pollIntervalMs: 100, maxPollIntervalMs: 300 }),
        () => 'x',
      ),
    );
    await clock.advance(1_000);
    expect(isIdempotencyInProgressError(await waiting)).toBe(true);
    expect(polls).toEqual([0, 100, 300, 600, 900, 1_000]);
  });

  it('takes the key over when the holder gives up while a duplicate waits', async () => {
    const { clock, store, options } = setup();
    const first = deferred<string>();
    const running = caught(idempotent(store, options(), () => first.promise));
    const waiting = idempotent(store, options({ waitMs: 5_000 }), () => 'second');
    await clock.advance(100);
    first.reject(new Error('first failed'));
    await running;
    await clock.advance(1_000);
    expect(await waiting).toEqual({ value: 'second', replayed: false });
  });

  it('takes the key over when the holder’s lock runs out while a duplicate waits', async () => {
    const { clock, store, options } = setup();
    void idempotent(store, options({ lockTtlMs: 1_500 }), () => new Promise<string>(() => {}));
    const waiting = idempotent(
      store,
      options({ waitMs: 10_000, pollIntervalMs: 1_000, maxPollIntervalMs: 5_000 }),
      () => 'second',
    );
    await clock.advance(1_500); // polls at 0 and 1 000, then exactly when the lock runs out
    expect(await waiting).toEqual({ value: 'second', replayed: false });
  });

  it('keeps the new holder’s result when a stale holder finishes late', async () => {
    const { clock, store, options } = setup();
    const slow = deferred<string>();
    const stale = idempotent(store, options({ lockTtlMs: 1_000 }), () => slow.promise);
    await clock.advance(1_000);
    expect(await idempotent(store, options(), () => 'fresh')).toEqual({ value: 'fresh', replayed: false });
    slow.resolve('stale');
    expect(await stale).toEqual({ value: 'stale', replayed: false });
    expect(await idempotent(store, options(), () => 'third')).toEqual({ value: 'fresh', replayed: true });
  });

  it('passes the signal and the lock expiry to the function', async () => {
    const { clock, store, options } = setup();
    const controller = new AbortController();
    let seen: { signal: AbortSignal | undefined; lockExpiresAt: number } | undefined;
    await idempotent(store, options({ signal: controller.signal, lockTtlMs: 5_000 }), (context) => {
      seen = context;
      return null;
    });
    expect(seen).toEqual({ signal: controller.signal, lockExpiresAt: clock.now() + 5_000 });
  });

  it('releases the key when the run is aborted, so a retry runs', async () => {
    const { store, options } = setup();
    const controller = new AbortController();
    const started = deferred<void>();
    const running = caught(
      idempotent(store, options({ signal: controller.signal }), ({ signal }) => {
        started.resolve();
        return new Promise<string>((_, reject) =>
          signal?.addEventListener('abort', () => reject(signal.reason as Error)),
        );
      }),
    );
    await started.promise;
    controller.abort(new Error('client went away'));
    expect(await running).toMatchObject({ message: 'client went away' });
    expect(await idempotent(store, options(), () => 'retried')).toEqual({
      value: 'retried',
      replayed: false,
    });
  });

  it('stops waiting when the signal aborts', async () => {
    const { clock, store, options } = setup();
    void idempotent(store, options(), () => new Promise<string>(() => {}));
    const controller = new AbortController();
    const waiting = caught(
      idempotent(store, options({ waitMs: 10_000, signal: controller.signal }), () => 'x'),
    );
    await clock.advance(100);
    controller.abort(new Error('stop'));
    expect(await waiting).toMatchObject({ message: 'stop' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('releases the key when the result has no JSON form', async () => {
    const { store, options } = setup();
    const error = await caught(
      idempotent(store, options(), () => ({ when: 1n }) as unknown as IdempotencyValue),
    );
    expect(isValidationError(error)).toBe(true);
    expect(await idempotent(store, options(), () => 'ok')).toEqual({ value: 'ok', replayed: false });
  });

  it('still releases and rethrows the run’s error when the store cannot release', async () => {
    const { store, options } = setup();
    const broken: IdempotencyStore = { ...store, release: () => Promise.reject(new Error('store down')) };
    const failure = new Error('run failed');
    expect(await caught(idempotent(broken, options(), () => Promise.reject(failure)))).toBe(failure);
  });

  it('frees the key once the store is back when it could not release it at once, long before the lock runs out', async () => {
    // A database restart: the run fails because the store is down, and so does the release. The
    // key must not stay in flight for the whole lock (60 s) once the store answers again.
    const { clock, store, options } = setup();
    let down = false;
    const flaky: IdempotencyStore = {
      ...store,
      release: (scope, releaseOptions) =>
        down ? Promise.reject(new Error('store down')) : store.release(scope, releaseOptions),
    };
    const run = () => {
      down = true;
      return Promise.reject(new Error('storage unavailable'));
    };
    await caught(idempotent(flaky, options({ lockTtlMs: 60_000 }), run));
    expect(isIdempotencyInProgressError(await caught(idempotent(flaky, options(), () => 'retry')))).toBe(
      true,
    );
    down = false;
    await clock.advance(5_000);
    expect(await idempotent(flaky, options(), () => 'retry')).toEqual({ value: 'retry', replayed: false });
  });

  it('refuses invalid options eagerly, naming them', async () => {
    const { store, options } = setup();
    const cases: [Partial<IdempotentOptions>, string][] = [
      [{ ttlMs: 0 }, 'ttlMs'],
      [{ ttlMs: 1_000, lockTtlMs: 2_000 }, 'lockTtlMs'],
      [{ waitMs: -1 }, 'waitMs'],
      [{ pollIntervalMs: 0 }, 'pollIntervalMs'],
      [{ pollIntervalMs: 100, maxPollIntervalMs: 50 }, 'maxPollIntervalMs'],
      [{ fingerprint: '' }, 'fingerprint'],
    ];
    for (const [overrides, option] of cases) {
      const error = await caught(idempotent(store, options(overrides), () => 1));
      expect(isInvalidOptionError(error), option).toBe(true);
      expect(error).toMatchObject({ context: { option } });
    }
    expect(isValidationError(await caught(idempotent(store, options({ key: 'with space' }), () => 1)))).toBe(
      true,
    );
  });
});
