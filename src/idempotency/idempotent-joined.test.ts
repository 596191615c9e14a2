import { describe, expect, it } from 'vitest';
import { createMemoryIdempotencyStore } from '../adapters/memory/memory-idempotency-store.js';
import { createFakeClock } from '../testing/fake-clock.js';
import { isIdempotencyInProgressError } from './errors.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { idempotentJoined, type IdempotencyJoin } from './idempotent-joined.js';
import type { IdempotentOptions } from './idempotent.js';

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('idempotentJoined', () => {
  it('frees a key whose claim committed once the store is back when the release failed at first', async () => {
    // A database restart: the run's first transaction (claim and writes) committed, then the run
    // failed, and so did the release. The key must not stay in flight for the whole lock.
    const clock = createFakeClock();
    const memory = createMemoryIdempotencyStore();
    let down = false;
    const store: IdempotencyStore = {
      ...memory,
      release: (scope, options) =>
        down ? Promise.reject(new Error('store down')) : memory.release(scope, options),
    };
    const options: IdempotentOptions = {
      tenantId: 't',
      key: 'k',
      fingerprint: 'fp',
      lockTtlMs: 60_000,
      clock,
    };
    const tx = { idempotency: store };
    const failing = async (join: IdempotencyJoin) => {
      await join.claim(tx);
      down = true;
      throw new Error('storage unavailable');
    };
    await caught(idempotentJoined(store, options, failing));
    const again = (join: IdempotencyJoin) => join.claim(tx).then(() => 'ran');
    expect(isIdempotencyInProgressError(await caught(idempotentJoined(store, options, again)))).toBe(true);
    down = false;
    await clock.advance(5_000);
    expect(await idempotentJoined(store, options, again)).toEqual({ value: 'ran', replayed: false });
  });
});
