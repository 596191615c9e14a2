import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryIdempotencyStore } from './memory-idempotency-store.js';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { idempotencyStoreContract } from '../../testing/contracts/idempotency-store.contract.js';

idempotencyStoreContract({ describe, it, beforeEach, afterEach }, 'memory', () =>
  createMemoryIdempotencyStore(),
);

describe('createMemoryIdempotencyStore', () => {
  const T0 = Date.parse('2026-01-05T09:00:00.000Z');
  const claim = { fingerprint: 'fp', ttlMs: 60_000, lockTtlMs: 1_000, now: T0 };

  it('drops the least recently used key when full', async () => {
    const store = createMemoryIdempotencyStore({ maxEntries: 2 });
    await store.begin({ tenantId: 't', key: 'a' }, claim);
    await store.begin({ tenantId: 't', key: 'b' }, claim);
    await store.begin({ tenantId: 't', key: 'a' }, claim); // a is now the most recently used
    await store.begin({ tenantId: 't', key: 'c' }, claim);
    expect((await store.begin({ tenantId: 't', key: 'a' }, claim)).status).toBe('in_progress');
    expect((await store.begin({ tenantId: 't', key: 'b' }, claim)).status).toBe('new');
  });

  it('hands out a copy of the stored result that callers may change freely', async () => {
    const store = createMemoryIdempotencyStore();
    const scope = { tenantId: 't', key: 'k' };
    const first = await store.begin(scope, claim);
    const result = { list: [1] };
    await store.complete(scope, { token: first.status === 'new' ? first.token : '', result, now: T0 });
    result.list.push(2);
    const replay = await store.begin(scope, claim);
    if (replay.status !== 'replay') throw new Error(`expected a replay, got ${replay.status}`);
    (replay.result as { list: number[] }).list.push(3);
    expect(await store.begin(scope, claim)).toEqual({ status: 'replay', result: { list: [1] } });
  });

  it('refuses an invalid maxEntries, naming it', () => {
    let caught: unknown;
    try {
      createMemoryIdempotencyStore({ maxEntries: 0 });
    } catch (error) {
      caught = error;
    }
    expect(isInvalidOptionError(caught)).toBe(true);
    expect(String(caught)).toMatch(/"maxEntries" must be an integer from 1/);
  });
});
