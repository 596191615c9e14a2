import assert from 'node:assert/strict';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { isValidationError } from '../../errors/validation-error.js';
import type {
  IdempotencyBeginOptions,
  IdempotencyBeginResult,
  IdempotencyStore,
  IdempotencyValue,
} from '../../idempotency/idempotency-store.js';
import { refusesInvalidTenantIds } from './tenant-scope.js';
import { useSubject, type ContractFactory, type ContractTestApi } from './test-api.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');
const TTL = 86_400_000;
const LOCK = 30_000;
const scope = { tenantId: 'tenant-a', key: 'calcom:BOOKING_CREATED:bk_1:2026-01-05T09:00:00Z:ACCEPTED' };

function claim(overrides: Partial<IdempotencyBeginOptions> = {}): IdempotencyBeginOptions {
  return { fingerprint: 'fp-1', ttlMs: TTL, lockTtlMs: LOCK, now: T0, ...overrides };
}

function tokenOf(answer: IdempotencyBeginResult): string {
  assert.equal(answer.status, 'new', `expected a new claim, got ${JSON.stringify(answer)}`);
  return answer.token;
}

/** Checks that `promise` rejects with a ValidationError naming `path`. */
async function rejectsNaming(promise: Promise<unknown>, path: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isValidationError(error), `expected a ValidationError, got ${String(error)}`);
    assert.ok(
      error.context.issues.some((issue) => issue.path === path),
      `expected an issue at "${path}", got ${JSON.stringify(error.context.issues)}`,
    );
    return true;
  });
}

/**
 * The {@link IdempotencyStore} contract: every adapter (memory, Postgres, Redis, ...) must pass it.
 * Each test gets a fresh, empty store from `factory`.
 *
 * @example
 * ```ts
 * import { describe, it, beforeEach, afterEach } from 'vitest';
 * import { idempotencyStoreContract } from 'bookingkit/testing';
 * idempotencyStoreContract({ describe, it, beforeEach, afterEach }, 'memory', () => createMemoryIdempotencyStore());
 * ```
 */
export function idempotencyStoreContract(
  api: ContractTestApi,
  name: string,
  factory: ContractFactory<IdempotencyStore>,
): void {
  api.describe(`IdempotencyStore contract: ${name}`, () => {
    const store = useSubject(api, factory);

    api.it('hands a free key to the first caller with a token and the end of its lock', async () => {
      const answer = await store().begin(scope, claim());
      assert.equal(answer.status, 'new');
      assert.ok(answer.status === 'new' && answer.token.length > 0);
      assert.equal(answer.status === 'new' && answer.lockExpiresAt, T0 + LOCK);
    });

    api.it('answers in_progress to a duplicate while the first caller holds the key', async () => {
      tokenOf(await store().begin(scope, claim()));
      assert.deepEqual(await store().begin(scope, claim({ now: T0 + 1_000 })), {
        status: 'in_progress',
        lockExpiresAt: T0 + LOCK,
      });
    });

    api.it('replays the stored result after completion', async () => {
      const token = tokenOf(await store().begin(scope, claim()));
      const result = { appointmentId: 'a1', slots: [1, 2.5, 'x'], nested: { ok: true, none: null } };
      assert.equal(await store().complete(scope, { token, result, now: T0 + 10 }), true);
      assert.deepEqual(await store().begin(scope, claim({ now: T0 + 20 })), { status: 'replay', result });
    });

    api.it('keeps every kind of JSON result intact', async () => {
      const results: IdempotencyValue[] = [
        null,
        0,
        -1.5,
        '',
        'text with "quotes" and ünïcode ✓',
        true,
        false,
        [],
        {},
        [[{ a: [] }]],
        { b: {}, a: [null] },
      ];
      for (const [index, result] of results.entries()) {
        const key = { tenantId: 'tenant-a', key: `result-${index}` };
        const token = tokenOf(await store().begin(key, claim()));
        assert.equal(await store().complete(key, { token, result, now: T0 }), true);
        assert.deepEqual(await store().begin(key, claim()), { status: 'replay', result }, `result #${index}`);
      }
    });

    api.it('refuses the key for another fingerprint while in progress and after completion', async () => {
      const token = tokenOf(await store().begin(scope, claim()));
      assert.deepEqual(await store().begin(scope, claim({ fingerprint: 'fp-2' })), {
        status: 'mismatch',
        storedFingerprint: 'fp-1',
      });
      await store().complete(scope, { token, result: 'done', now: T0 });
      assert.deepEqual(await store().begin(scope, claim({ fingerprint: 'fp-2' })), {
        status: 'mismatch',
        storedFingerprint: 'fp-1',
      });
    });

    api.it('forgets a released claim, so a failure is retried and never cached', async () => {
      const token = tokenOf(await store().begin(scope, claim()));
      assert.equal(await store().release(scope, { token, now: T0 + 5 }), true);
      const retry = await store().begin(scope, claim({ fingerprint: 'fp-2', now: T0 + 6 }));
      assert.notEqual(tokenOf(retry), token);
    });

    api.it('lets another caller take over once the lock runs out, and ignores the stale holder', async () => {
      const stale = tokenOf(await store().begin(scope, claim()));
      assert.equal((await store().begin(scope, claim({ now: T0 + LOCK - 1 }))).status, 'in_progress');
      const fresh = tokenOf(await store().begin(scope, claim({ now: T0 + LOCK })));
      assert.notEqual(fresh, stale);
      assert.equal(
        await store().complete(scope, { token: stale, result: 'stale', now: T0 + LOCK + 1 }),
        false,
      );
      assert.equal(await store().release(scope, { token: stale, now: T0 + LOCK + 1 }), false);
      assert.deepEqual(await store().begin(scope, claim({ now: T0 + LOCK + 2 })), {
        status: 'in_progress',
        lockExpiresAt: T0 + 2 * LOCK,
      });
      assert.equal(
        await store().complete(scope, { token: fresh, result: 'fresh', now: T0 + LOCK + 3 }),
        true,
      );
      assert.deepEqual(await store().begin(scope, claim({ now: T0 + LOCK + 4 })), {
        status: 'replay',
        result: 'fresh',
      });
    });

    api.it('treats an abandoned claim as released: any fingerprint may take it over', async () => {
      tokenOf(await store().begin(scope, claim()));
      tokenOf(await store().begin(scope, claim({ fingerprint: 'fp-2', now: T0 + LOCK })));
      assert.deepEqual(await store().begin(scope, claim({ now: T0 + LOCK + 1 })), {
        status: 'mismatch',
        storedFingerprint: 'fp-2',
      });
    });

    api.it('lets a late holder complete when nobody took the key over', async () => {
      const token = tokenOf(await store().begin(scope, claim()));
      assert.equal(await store().complete(scope, { token, result: 42, now: T0 + LOCK + 5_000 }), true);
      assert.deepEqual(await store().begin(scope, claim({ now: T0 + LOCK + 6_000 })), {
        status: 'replay',
        result: 42,
      });
    });

    api.it('forgets a completed key once its TTL has passed, counted from the claim', async () => {
      const token = tokenOf(await store().begin(scope, claim({ ttlMs: 60_000 })));
      await store().complete(scope, { token, result: 'old', now: T0 + 50_000 });
      assert.equal((await store().begin(scope, claim({ now: T0 + 59_999 }))).status, 'replay');
      tokenOf(await store().begin(scope, claim({ fingerprint: 'fp-2', now: T0 + 60_000 })));
    });

    api.it('refuses to complete or release a claim whose TTL has passed', async () => {
      const token = tokenOf(await store().begin(scope, claim({ ttlMs: 60_000, lockTtlMs: 60_000 })));
      assert.equal(await store().complete(scope, { token, result: 'late', now: T0 + 60_000 }), false);
      assert.equal(await store().release(scope, { token, now: T0 + 60_000 }), false);
      tokenOf(await store().begin(scope, claim({ now: T0 + 60_001 })));
    });

    api.it('completes and releases only with the current token, once', async () => {
      const token = tokenOf(await store().begin(scope, claim()));
      assert.equal(await store().complete(scope, { token: 'not-the-token', result: 'x', now: T0 }), false);
      assert.equal(await store().release(scope, { token: 'not-the-token', now: T0 }), false);
      assert.equal(await store().complete(scope, { token, result: 'first', now: T0 }), true);
      assert.equal(await store().complete(scope, { token, result: 'second', now: T0 }), false);
      assert.equal(
        await store().release(scope, { token, now: T0 }),
        false,
        'a completed result is never released',
      );
      assert.deepEqual(await store().begin(scope, claim()), { status: 'replay', result: 'first' });
    });

    api.it('answers false for a key that was never claimed', async () => {
      assert.equal(await store().complete(scope, { token: 'nobody', result: 1, now: T0 }), false);
      assert.equal(await store().release(scope, { token: 'nobody', now: T0 }), false);
    });

    api.it('scopes keys by tenant', async () => {
      const a = tokenOf(await store().begin({ tenantId: 'tenant-a', key: 'k' }, claim()));
      const b = tokenOf(
        await store().begin({ tenantId: 'tenant-b', key: 'k' }, claim({ fingerprint: 'other' })),
      );
      assert.equal(
        await store().complete({ tenantId: 'tenant-b', key: 'k' }, { token: a, result: 'a', now: T0 }),
        false,
      );
      await store().complete({ tenantId: 'tenant-a', key: 'k' }, { token: a, result: 'a', now: T0 });
      await store().complete({ tenantId: 'tenant-b', key: 'k' }, { token: b, result: 'b', now: T0 });
      assert.deepEqual(await store().begin({ tenantId: 'tenant-a', key: 'k' }, claim()), {
        status: 'replay',
        result: 'a',
      });
      assert.deepEqual(
        await store().begin({ tenantId: 'tenant-b', key: 'k' }, claim({ fingerprint: 'other' })),
        { status: 'replay', result: 'b' },
      );
    });

    api.it('keeps tenant and key apart even when they contain the separator', async () => {
      tokenOf(await store().begin({ tenantId: 'a:b', key: 'c' }, claim()));
      tokenOf(await store().begin({ tenantId: 'a', key: 'b:c' }, claim()));
    });

    api.it('gives a free key to exactly one of many concurrent callers', async () => {
      const answers = await Promise.all(Array.from({ length: 50 }, () => store().begin(scope, claim())));
      assert.equal(answers.filter((a) => a.status === 'new').length, 1);
      assert.equal(answers.filter((a) => a.status === 'in_progress').length, 49);
    });

    api.it(
      'refuses empty, too long, non-string and non-printable keys with a ValidationError naming the key',
      async () => {
        await rejectsNaming(store().begin({ tenantId: 'tenant-a', key: '' }, claim()), 'key');
        await rejectsNaming(store().begin({ tenantId: 'tenant-a', key: 'k'.repeat(256) }, claim()), 'key');
        await rejectsNaming(
          store().begin({ tenantId: 'tenant-a', key: 42 as unknown as string }, claim()),
          'key',
        );
        await rejectsNaming(store().begin({ tenantId: 'tenant-a', key: 'has space' }, claim()), 'key');
        await rejectsNaming(store().begin({ tenantId: 'tenant-a', key: 'näme' }, claim()), 'key');
        await rejectsNaming(store().begin({ tenantId: '', key: 'k' }, claim()), 'tenantId');
        await rejectsNaming(
          store().complete({ tenantId: 'tenant-a', key: '' }, { token: 't', result: 1, now: T0 }),
          'key',
        );
        await rejectsNaming(
          store().release({ tenantId: 'tenant-a', key: '' }, { token: 't', now: T0 }),
          'key',
        );
        tokenOf(await store().begin({ tenantId: 'tenant-a', key: 'k'.repeat(255) }, claim()));
      },
    );

    api.it('refuses a scope whose tenant id is missing, empty or not a string', async () => {
      const token = tokenOf(await store().begin(scope, claim()));
      await refusesInvalidTenantIds((tenantId) => store().begin({ ...scope, tenantId }, claim()));
      await refusesInvalidTenantIds((tenantId) =>
        store().complete({ ...scope, tenantId }, { token, result: 1, now: T0 }),
      );
      await refusesInvalidTenantIds((tenantId) =>
        store().release({ ...scope, tenantId }, { token, now: T0 }),
      );
      assert.deepEqual(await store().begin(scope, claim()), {
        status: 'in_progress',
        lockExpiresAt: T0 + LOCK,
      });
    });

    api.it('refuses a lock longer than the TTL and non-integer durations', async () => {
      const invalid = (error: unknown): boolean => isInvalidOptionError(error);
      await assert.rejects(store().begin(scope, claim({ ttlMs: 1_000, lockTtlMs: 2_000 })), invalid);
      await assert.rejects(store().begin(scope, claim({ ttlMs: 0 })), invalid);
      await assert.rejects(store().begin(scope, claim({ lockTtlMs: 1.5 })), invalid);
      await assert.rejects(store().begin(scope, claim({ fingerprint: '' })), invalid);
      tokenOf(await store().begin(scope, claim()));
    });

    api.it('refuses a result with no JSON form and keeps the claim', async () => {
      const token = tokenOf(await store().begin(scope, claim()));
      await assert.rejects(
        store().complete(scope, { token, result: undefined as unknown as IdempotencyValue, now: T0 }),
        isValidationError,
      );
      await assert.rejects(
        store().complete(scope, { token, result: { n: 1n } as unknown as IdempotencyValue, now: T0 }),
        isValidationError,
      );
      assert.equal(await store().complete(scope, { token, result: 'ok', now: T0 }), true);
    });

    api.it('rejects at once when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      const { signal } = controller;
      await assert.rejects(store().begin(scope, claim({ signal })), /stop/);
      await assert.rejects(store().complete(scope, { token: 't', result: 1, now: T0, signal }), /stop/);
      await assert.rejects(store().release(scope, { token: 't', now: T0, signal }), /stop/);
      tokenOf(await store().begin(scope, claim()));
    });
  });
}
