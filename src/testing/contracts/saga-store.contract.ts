import assert from 'node:assert/strict';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { isVersionConflictError } from '../../errors/store-errors.js';
import type { SagaRecord, SagaStore } from '../../saga/saga-store.js';
import { refusesInvalidTenantIds } from './tenant-scope.js';
import { useSubject, type ContractFactory, type ContractTestApi } from './test-api.js';
import { aSagaRecord as saga, aSagaStep as step } from '../fixtures.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');

/** The same record after `debit` completed and `credit` started, as the coordinator writes it. */
function advanced(record: SagaRecord, now: number): SagaRecord {
  return {
    ...record,
    steps: [
      step('debit', {
        status: 'completed',
        attempts: 1,
        output: { entryId: 'e-1', amounts: [1.5, -2] },
        startedAt: T0,
        finishedAt: now,
      }),
      step('credit', { status: 'started', attempts: 1, startedAt: now }),
    ],
    leaseExpiresAt: now + 1_000,
    updatedAt: now,
  };
}

async function rejectsWithConflict(promise: Promise<unknown>, actualVersion: number | null): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isVersionConflictError(error), `expected a VersionConflictError, got ${String(error)}`);
    assert.equal(error.context.actualVersion, actualVersion);
    return true;
  });
}

/**
 * The {@link SagaStore} contract: every adapter (memory, Postgres, ...) must pass it.
 *
 * @example
 * ```ts
 * import { describe, it, beforeEach, afterEach } from 'vitest';
 * import { sagaStoreContract } from 'bookingkit/testing';
 * sagaStoreContract({ describe, it, beforeEach, afterEach }, 'memory', () => createMemorySagaStore());
 * ```
 */
export function sagaStoreContract(
  api: ContractTestApi,
  name: string,
  factory: ContractFactory<SagaStore>,
): void {
  api.describe(`SagaStore contract: ${name}`, () => {
    const store = useSubject(api, factory);

    api.it('creates a saga and reads it back exactly as written', async () => {
      const created = await store().create(saga());
      assert.equal(created.created, true);
      assert.deepEqual(created.record, saga());
      assert.deepEqual(await store().get('saga-1'), saga());
      assert.equal(await store().get('saga-unknown'), undefined);
    });

    api.it('returns the existing saga, untouched, when the id is created again', async () => {
      await store().create(saga());
      const again = await store().create(
        saga({ name: 'other', input: { different: true }, leaseOwner: 'w2' }),
      );
      assert.equal(again.created, false);
      assert.deepEqual(again.record, saga());
      assert.deepEqual(await store().get('saga-1'), saga());
    });

    api.it(
      'saves a transition when the version and the lease owner match, and bumps the version',
      async () => {
        await store().create(saga());
        const next = advanced(saga(), T0 + 10);
        const saved = await store().save(next, { owner: 'w1' });
        assert.equal(saved.version, 2);
        assert.deepEqual(await store().get('saga-1'), { ...next, version: 2 });
        const final = await store().save(
          { ...saved, state: 'completed', leaseOwner: null, leaseExpiresAt: null },
          { owner: 'w1' },
        );
        assert.equal(final.version, 3);
        assert.deepEqual(await store().get('saga-1'), {
          ...saved,
          state: 'completed',
          leaseOwner: null,
          leaseExpiresAt: null,
          version: 3,
        });
      },
    );

    api.it('refuses a save from a stale version, writing nothing', async () => {
      await store().create(saga());
      await store().save(advanced(saga(), T0 + 10), { owner: 'w1' });
      await rejectsWithConflict(store().save({ ...saga(), state: 'compensating' }, { owner: 'w1' }), 2);
      assert.equal((await store().get('saga-1'))?.state, 'running');
      await rejectsWithConflict(store().save(saga({ id: 'saga-unknown' }), { owner: 'w1' }), null);
    });

    api.it('refuses a save from a worker that does not hold the lease', async () => {
      await store().create(saga());
      await rejectsWithConflict(store().save(advanced(saga(), T0 + 10), { owner: 'w2' }), 1);
      const released = await store().save(
        { ...saga(), state: 'completed', leaseOwner: null, leaseExpiresAt: null },
        { owner: 'w1' },
      );
      await rejectsWithConflict(store().save({ ...released, state: 'compensating' }, { owner: 'w1' }), 2);
    });

    api.it('never changes the identity, input or recovery count through save', async () => {
      await store().create(saga());
      await store().save(
        saga({
          name: 'renamed',
          tenantId: 'tenant-a',
          input: { from: 'hacked' },
          recoveries: 9,
          createdAt: T0 + 5,
        }),
        {
          owner: 'w1',
        },
      );
      const stored = await store().get('saga-1');
      assert.equal(stored?.name, 'transfer');
      assert.deepEqual(stored?.input, saga().input);
      assert.equal(stored?.recoveries, 0);
      assert.equal(stored?.createdAt, T0);
    });

    api.it('lets exactly one of two concurrent saves from the same version win', async () => {
      await store().create(saga());
      const results = await Promise.allSettled([
        store().save(advanced(saga(), T0 + 10), { owner: 'w1' }),
        store().save({ ...saga(), state: 'compensating' }, { owner: 'w1' }),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      assert.equal((await store().get('saga-1'))?.version, 2);
    });

    api.it('claims live sagas of the given names whose lease expired, and counts the recovery', async () => {
      await store().create(saga({ id: 's-expired', leaseExpiresAt: T0 - 1 }));
      await store().create(saga({ id: 's-leased', leaseExpiresAt: T0 + 60_000 }));
      await store().create(
        saga({ id: 's-done', state: 'completed', leaseOwner: null, leaseExpiresAt: null }),
      );
      await store().create(saga({ id: 's-other-name', name: 'refund', leaseExpiresAt: T0 - 1 }));
      await store().create(saga({ id: 's-compensating', state: 'compensating', leaseExpiresAt: T0 - 5 }));
      const claimed = await store().claim({
        owner: 'w2',
        leaseMs: 5_000,
        now: T0,
        names: ['transfer'],
        limit: 10,
      });
      assert.deepEqual(claimed.map((r) => r.id).sort(), ['s-compensating', 's-expired']);
      for (const record of claimed) {
        assert.equal(record.leaseOwner, 'w2');
        assert.equal(record.leaseExpiresAt, T0 + 5_000);
        assert.equal(record.version, 2);
        assert.equal(record.recoveries, 1);
      }
      assert.deepEqual(
        await store().get('s-expired'),
        claimed.find((r) => r.id === 's-expired'),
      );
      assert.equal(
        (await store().claim({ owner: 'w3', leaseMs: 5_000, now: T0 + 1, names: ['transfer'], limit: 10 }))
          .length,
        0,
      );
      await rejectsWithConflict(store().save(saga({ id: 's-expired' }), { owner: 'w1' }), 2);
    });

    api.it('claims one saga by id, and only when its lease expired', async () => {
      await store().create(saga({ id: 's-1', leaseExpiresAt: T0 - 1 }));
      await store().create(saga({ id: 's-2', leaseExpiresAt: T0 - 1 }));
      await store().create(saga({ id: 's-3', leaseExpiresAt: T0 + 1 }));
      const [one, ...rest] = await store().claim({
        owner: 'w2',
        leaseMs: 100,
        now: T0,
        names: ['transfer'],
        limit: 10,
        id: 's-2',
      });
      assert.equal(rest.length, 0);
      assert.equal(one?.id, 's-2');
      assert.equal(
        (
          await store().claim({
            owner: 'w2',
            leaseMs: 100,
            now: T0,
            names: ['transfer'],
            limit: 10,
            id: 's-3',
          })
        ).length,
        0,
      );
    });

    api.it('claims sagas without a lease, and the oldest leases first, up to the limit', async () => {
      await store().create(saga({ id: 's-new', leaseExpiresAt: T0 - 10 }));
      await store().create(saga({ id: 's-old', leaseExpiresAt: T0 - 1_000 }));
      await store().create(saga({ id: 's-none', leaseOwner: null, leaseExpiresAt: null }));
      const first = await store().claim({
        owner: 'w2',
        leaseMs: 100,
        now: T0,
        names: ['transfer'],
        limit: 2,
      });
      assert.deepEqual(first.map((r) => r.id).sort(), ['s-none', 's-old']);
      const second = await store().claim({
        owner: 'w2',
        leaseMs: 100,
        now: T0,
        names: ['transfer'],
        limit: 2,
      });
      assert.deepEqual(
        second.map((r) => r.id),
        ['s-new'],
      );
    });

    api.it('gives each expired saga to exactly one of many concurrent claimers', async () => {
      for (let i = 0; i < 30; i += 1)
        await store().create(saga({ id: `s-${String(i).padStart(2, '0')}`, leaseExpiresAt: T0 - 1 }));
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          store().claim({ owner: `w${i}`, leaseMs: 60_000, now: T0, names: ['transfer'], limit: 10 }),
        ),
      );
      const ids = claims.flat().map((r) => r.id);
      assert.equal(ids.length, 30);
      assert.equal(new Set(ids).size, 30);
      for (const [i, claimed] of claims.entries()) {
        for (const record of claimed) assert.equal((await store().get(record.id))?.leaseOwner, `w${i}`);
      }
    });

    api.it('lists by state, name, tenant and expired lease, in id order, a page at a time', async () => {
      await store().create(saga({ id: 'a', tenantId: 't1' }));
      await store().create(
        saga({
          id: 'b',
          tenantId: 't2',
          state: 'compensation_failed',
          leaseOwner: null,
          leaseExpiresAt: null,
        }),
      );
      await store().create(saga({ id: 'c', tenantId: null, name: 'refund', leaseExpiresAt: T0 - 1 }));
      await store().create(
        saga({ id: 'd', tenantId: 't1', state: 'completed', leaseOwner: null, leaseExpiresAt: null }),
      );
      const ids = async (query: Parameters<SagaStore['list']>[0]) =>
        (await store().list(query)).map((r) => r.id);
      assert.deepEqual(await ids({}), ['a', 'b', 'c', 'd']);
      assert.deepEqual(await ids({ states: ['running', 'compensating'] }), ['a', 'c']);
      assert.deepEqual(await ids({ states: ['compensation_failed'] }), ['b']);
      assert.deepEqual(await ids({ name: 'refund' }), ['c']);
      assert.deepEqual(await ids({ tenantId: 't1' }), ['a', 'd']);
      assert.deepEqual(await ids({ leaseExpiredBefore: T0 }), ['c']);
      assert.deepEqual(await ids({ limit: 2 }), ['a', 'b']);
      assert.deepEqual(await ids({ limit: 2, afterId: 'b' }), ['c', 'd']);
      assert.equal((await store().list({ states: ['compensation_failed'] }))[0]?.tenantId, 't2');
      assert.equal((await store().list({ name: 'refund' }))[0]?.tenantId, null);
    });

    /** A saga that ended in `state` at `finishedAt` (its last write). */
    const ended = (id: string, state: SagaRecord['state'], finishedAt: number): SagaRecord =>
      saga({ id, state, leaseOwner: null, leaseExpiresAt: null, updatedAt: finishedAt });

    api.it('purges the sagas that ended cleanly before the given time, and nothing else', async () => {
      await store().create(ended('completed-old', 'completed', T0 + 10));
      await store().create(ended('compensated-old', 'compensated', T0 + 20));
      await store().create(ended('completed-at-cutoff', 'completed', T0 + 100));
      await store().create(ended('compensated-new', 'compensated', T0 + 200));
      await store().create(ended('failed-old', 'failed', T0 + 10));
      await store().create(ended('stuck-old', 'compensation_failed', T0 + 10));
      await store().create(saga({ id: 'running-old', updatedAt: T0 + 10 }));
      await store().create(saga({ id: 'compensating-old', state: 'compensating', updatedAt: T0 + 10 }));
      assert.equal(await store().purge({ finishedBefore: T0 + 100 }), 2);
      assert.deepEqual(
        (await store().list({})).map((r) => r.id),
        [
          'compensated-new',
          'compensating-old',
          'completed-at-cutoff',
          'failed-old',
          'running-old',
          'stuck-old',
        ],
      );
      assert.equal(await store().purge({ finishedBefore: T0 + 100 }), 0);
    });

    api.it('purges a saga that a worker finished through save, from the time of that write', async () => {
      await store().create(saga());
      const done = await store().save(
        { ...advanced(saga(), T0 + 10), state: 'compensated', leaseOwner: null, leaseExpiresAt: null },
        { owner: 'w1' },
      );
      assert.equal(done.updatedAt, T0 + 10);
      assert.equal(await store().purge({ finishedBefore: T0 + 10 }), 0);
      assert.equal(await store().purge({ finishedBefore: T0 + 11 }), 1);
      assert.equal(await store().get('saga-1'), undefined);
    });

    api.it('purges only the named saga when given an id, and forgets a purged id', async () => {
      await store().create(ended('s-1', 'compensated', T0));
      await store().create(ended('s-2', 'compensated', T0));
      await store().create(ended('s-3', 'failed', T0));
      assert.equal(await store().purge({ finishedBefore: T0 + 1, id: 's-1' }), 1);
      assert.equal(await store().purge({ finishedBefore: T0 + 1, id: 's-3' }), 0);
      assert.equal(await store().purge({ finishedBefore: T0 + 1, id: 's-unknown' }), 0);
      assert.deepEqual(
        (await store().list({})).map((r) => r.id),
        ['s-2', 's-3'],
      );
      const again = await store().create(saga({ id: 's-1' }));
      assert.equal(again.created, true);
      assert.equal(again.record.state, 'running');
    });

    api.it('refuses a purge time that is not a finite number, naming the option', async () => {
      await store().create(ended('s-1', 'completed', T0));
      for (const finishedBefore of [Number.NaN, Number.POSITIVE_INFINITY, '1' as never]) {
        await assert.rejects(
          store().purge({ finishedBefore }),
          (error: unknown) => isInvalidOptionError(error) && /finishedBefore/.test(error.message),
        );
      }
      assert.equal((await store().list({})).length, 1);
    });

    api.it('refuses a tenant filter that is empty or not a string, instead of ignoring it', async () => {
      // Without a filter a listing covers every tenant; a filter that is given must be valid.
      await refusesInvalidTenantIds((tenantId) => store().list({ tenantId }), { values: ['', 42] });
    });

    api.it('rejects a bad limit naming the option', async () => {
      await assert.rejects(store().list({ limit: -1 }), /limit/);
      await assert.rejects(
        store().claim({ owner: 'w', leaseMs: 1, now: T0, names: ['transfer'], limit: 1.5 }),
        /limit/,
      );
    });

    api.it('rejects at once when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      const { signal } = controller;
      await assert.rejects(store().create(saga(), { signal }), /stop/);
      await assert.rejects(store().get('saga-1', { signal }), /stop/);
      await assert.rejects(store().save(saga(), { owner: 'w1', signal }), /stop/);
      await assert.rejects(
        store().claim({ owner: 'w', leaseMs: 1, now: T0, names: ['transfer'], limit: 1, signal }),
        /stop/,
      );
      await assert.rejects(store().list({ signal }), /stop/);
      await assert.rejects(store().purge({ finishedBefore: T0, signal }), /stop/);
      assert.equal(await store().get('saga-1'), undefined);
    });
  });
}
