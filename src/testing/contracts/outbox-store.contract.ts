import assert from 'node:assert/strict';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import type { OutboxMessageInput, OutboxStore } from '../../ports/outbox-store.js';
import { abortedSignal, rejectsWith } from './assertions.js';
import { outboxScrubCases } from './outbox-scrub.cases.js';
import { refusesInvalidTenantIds } from './tenant-scope.js';
import { useSubject, type ContractFactory, type ContractTestApi } from './test-api.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');

function message(overrides: Partial<OutboxMessageInput> = {}): OutboxMessageInput {
  const eventId = overrides.eventId ?? `evt-${Math.random().toString(36).slice(2)}`;
  return {
    eventId,
    eventType: 'appointment.booked',
    listener: 'notify',
    tenantId: 'tenant-a',
    orderingKey: 'tenant-a/appointment/a1',
    payload: JSON.stringify({ id: eventId }),
    availableAt: T0,
    ...overrides,
  };
}

/**
 * The {@link OutboxStore} contract: every adapter (memory, Postgres, ...) must pass it.
 *
 * @example
 * ```ts
 * import { describe, it, beforeEach, afterEach } from 'vitest';
 * import { outboxStoreContract } from 'bookingkit/testing';
 * outboxStoreContract({ describe, it, beforeEach, afterEach }, 'memory', () => createMemoryOutboxStore());
 * ```
 */
export function outboxStoreContract(
  api: ContractTestApi,
  name: string,
  factory: ContractFactory<OutboxStore>,
): void {
  api.describe(`OutboxStore contract: ${name}`, () => {
    const store = useSubject(api, factory);
    outboxScrubCases(api, store);

    api.it('claims appended messages with a lease and counts the attempt', async () => {
      await store().append([message({ eventId: 'e1' })]);
      const [claimed, ...rest] = await store().claim({ owner: 'r1', limit: 10, leaseMs: 1000, now: T0 });
      assert.equal(rest.length, 0);
      assert.ok(claimed);
      assert.equal(claimed.eventId, 'e1');
      assert.equal(claimed.status, 'pending');
      assert.equal(claimed.attempts, 1);
      assert.equal(claimed.leaseOwner, 'r1');
      assert.equal(claimed.leaseExpiresAt, T0 + 1000);
      assert.equal(claimed.payload, JSON.stringify({ id: 'e1' }));
    });

    api.it('ignores a second append of the same (eventId, listener)', async () => {
      await store().append([message({ eventId: 'e1' })]);
      await store().append([message({ eventId: 'e1', payload: '{"changed":true}' })]);
      await store().append([message({ eventId: 'e1', listener: 'audit' })]);
      const all = await store().list();
      assert.deepEqual(
        all.map((m) => [m.eventId, m.listener, m.payload]),
        [
          ['e1', 'notify', JSON.stringify({ id: 'e1' })],
          ['e1', 'audit', JSON.stringify({ id: 'e1' })],
        ],
      );
    });

    api.it('does not hand a leased message to another relay until the lease expires', async () => {
      await store().append([message({ eventId: 'e1' })]);
      assert.equal((await store().claim({ owner: 'r1', limit: 10, leaseMs: 1000, now: T0 })).length, 1);
      assert.equal((await store().claim({ owner: 'r2', limit: 10, leaseMs: 1000, now: T0 + 500 })).length, 0);
      const reclaimed = await store().claim({ owner: 'r2', limit: 10, leaseMs: 1000, now: T0 + 1001 });
      const [again, ...others] = reclaimed;
      assert.ok(again);
      assert.equal(others.length, 0);
      assert.equal(again.attempts, 2);
      assert.equal(
        await store().markDelivered(again.id, 'r1', { now: T0 + 1002 }),
        false,
        'old owner lost the lease',
      );
      assert.equal(await store().markDelivered(again.id, 'r2', { now: T0 + 1002 }), true);
    });

    api.it('delivers one message per ordering key at a time, in append order', async () => {
      await store().append([
        message({ eventId: 'a1', orderingKey: 'k/a' }),
        message({ eventId: 'a2', orderingKey: 'k/a' }),
        message({ eventId: 'b1', orderingKey: 'k/b' }),
      ]);
      const first = await store().claim({ owner: 'r1', limit: 10, leaseMs: 1000, now: T0 });
      assert.deepEqual(
        first.map((m) => m.eventId),
        ['a1', 'b1'],
      );
      assert.equal((await store().claim({ owner: 'r1', limit: 10, leaseMs: 1000, now: T0 })).length, 0);
      await store().markDelivered(first[0]!.id, 'r1', { now: T0 });
      const second = await store().claim({ owner: 'r1', limit: 10, leaseMs: 1000, now: T0 });
      assert.deepEqual(
        second.map((m) => m.eventId),
        ['a2'],
      );
    });

    api.it('keeps later messages of a key waiting while the earlier one waits for its retry', async () => {
      await store().append([message({ eventId: 'a1' }), message({ eventId: 'a2' })]);
      const [first] = await store().claim({ owner: 'r1', limit: 10, leaseMs: 1000, now: T0 });
      assert.equal(
        await store().markFailed(first!.id, { owner: 'r1', error: 'boom', retryAt: T0 + 5000, now: T0 }),
        true,
      );
      assert.equal(
        (await store().claim({ owner: 'r1', limit: 10, leaseMs: 1000, now: T0 + 1000 })).length,
        0,
      );
      const retried = await store().claim({ owner: 'r1', limit: 10, leaseMs: 1000, now: T0 + 5000 });
      assert.deepEqual(
        retried.map((m) => [m.eventId, m.attempts, m.lastError]),
        [['a1', 2, 'boom']],
      );
    });

    api.it('does not claim messages that are not yet due', async () => {
      await store().append([message({ eventId: 'later', availableAt: T0 + 10_000 })]);
      assert.equal((await store().claim({ owner: 'r1', limit: 10, leaseMs: 1000, now: T0 })).length, 0);
      assert.equal(
        (await store().claim({ owner: 'r1', limit: 10, leaseMs: 1000, now: T0 + 10_000 })).length,
        1,
      );
    });

    api.it('respects the claim limit', async () => {
      await store().append(
        Array.from({ length: 5 }, (_, i) => message({ eventId: `e${i}`, orderingKey: `k${i}` })),
      );
      assert.equal((await store().claim({ owner: 'r1', limit: 3, leaseMs: 1000, now: T0 })).length, 3);
      assert.equal((await store().claim({ owner: 'r2', limit: 3, leaseMs: 1000, now: T0 })).length, 2);
    });

    api.it('dead-letters, lists and replays', async () => {
      await store().append([message({ eventId: 'a1' }), message({ eventId: 'a2' })]);
      const [first] = await store().claim({ owner: 'r1', limit: 10, leaseMs: 1000, now: T0 });
      await store().markFailed(first!.id, { owner: 'r1', error: 'gave up', retryAt: null, now: T0 });
      const dead = await store().list({ status: 'dead' });
      assert.deepEqual(
        dead.map((m) => [m.eventId, m.lastError]),
        [['a1', 'gave up']],
      );
      // a dead message no longer blocks its key
      const next = await store().claim({ owner: 'r1', limit: 10, leaseMs: 1000, now: T0 });
      assert.deepEqual(
        next.map((m) => m.eventId),
        ['a2'],
      );
      await store().markDelivered(next[0]!.id, 'r1', { now: T0 });
      assert.equal(await store().replay([dead[0]!.id], { now: T0 + 10 }), 1);
      const replayed = await store().claim({ owner: 'r1', limit: 10, leaseMs: 1000, now: T0 + 10 });
      assert.deepEqual(
        replayed.map((m) => [m.eventId, m.attempts]),
        [['a1', 1]],
      );
      assert.equal(await store().replay([replayed[0]!.id], { now: T0 + 10 }), 0, 'only dead messages replay');
    });

    api.it('purges only messages delivered before the given time, never pending or dead ones', async () => {
      await store().append([
        message({ eventId: 'early', orderingKey: 'k1' }),
        message({ eventId: 'late', orderingKey: 'k2' }),
        message({ eventId: 'dead', orderingKey: 'k3' }),
      ]);
      const claimed = await store().claim({ owner: 'r1', limit: 10, leaseMs: 60_000, now: T0 });
      const id = (eventId: string) => claimed.find((m) => m.eventId === eventId)!.id;
      assert.equal(await store().markDelivered(id('early'), 'r1', { now: T0 + 10 }), true);
      assert.equal(await store().markDelivered(id('late'), 'r1', { now: T0 + 20 }), true);
      await store().markFailed(id('dead'), { owner: 'r1', error: 'gave up', retryAt: null, now: T0 + 30 });
      await store().append([message({ eventId: 'pending', orderingKey: 'k4', availableAt: T0 - 1 })]);
      assert.equal(await store().purge({ deliveredBefore: T0 + 20 }), 1, 'the bound is exclusive');
      assert.deepEqual(
        (await store().list()).map((m) => [m.eventId, m.status]),
        [
          ['late', 'delivered'],
          ['dead', 'dead'],
          ['pending', 'pending'],
        ],
      );
      assert.equal(await store().purge({ deliveredBefore: T0 + 1_000_000 }), 1);
      assert.equal(await store().purge({ deliveredBefore: T0 + 1_000_000 }), 0);
      assert.deepEqual(
        (await store().list()).map((m) => m.eventId),
        ['dead', 'pending'],
      );
      const next = await store().claim({ owner: 'r1', limit: 10, leaseMs: 1000, now: T0 + 1_000_000 });
      assert.deepEqual(
        next.map((m) => m.eventId),
        ['pending'],
      );
    });

    api.it('forgets a purged (eventId, listener): appending it again queues it anew', async () => {
      await store().append([message({ eventId: 'e1' })]);
      const [first] = await store().claim({ owner: 'r1', limit: 10, leaseMs: 1000, now: T0 });
      await store().markDelivered(first!.id, 'r1', { now: T0 });
      assert.equal(await store().purge({ deliveredBefore: T0 + 1 }), 1);
      await store().append([message({ eventId: 'e1' })]);
      const [again, ...rest] = await store().claim({ owner: 'r1', limit: 10, leaseMs: 1000, now: T0 + 1 });
      assert.equal(rest.length, 0);
      assert.ok(again);
      assert.deepEqual([again.eventId, again.status, again.attempts], ['e1', 'pending', 1]);
      assert.ok(again.position > first!.position, 'a new message takes a new position');
    });

    api.it('refuses a purge bound that is not a finite number, or an aborted signal', async () => {
      await store().append([message({ eventId: 'e1' })]);
      const [claimed] = await store().claim({ owner: 'r1', limit: 10, leaseMs: 1000, now: T0 });
      await store().markDelivered(claimed!.id, 'r1', { now: T0 });
      for (const bound of [Number.NaN, Number.POSITIVE_INFINITY, '1' as unknown as number]) {
        const error = await rejectsWith(
          store().purge({ deliveredBefore: bound }),
          isInvalidOptionError,
          'InvalidOptionError',
        );
        assert.equal(error.context.option, 'deliveredBefore');
      }
      await assert.rejects(store().purge({ deliveredBefore: T0 + 1, signal: abortedSignal() }), /stop/);
      assert.deepEqual(
        (await store().list()).map((m) => [m.eventId, m.status]),
        [['e1', 'delivered']],
      );
    });

    api.it('filters listings by status, listener and tenant', async () => {
      await store().append([
        message({ eventId: 'e1', tenantId: 't1', listener: 'a', orderingKey: '1' }),
        message({ eventId: 'e2', tenantId: 't2', listener: 'a', orderingKey: '2' }),
        message({ eventId: 'e3', tenantId: 't1', listener: 'b', orderingKey: '3' }),
      ]);
      assert.deepEqual(
        (await store().list({ tenantId: 't1' })).map((m) => m.eventId),
        ['e1', 'e3'],
      );
      assert.deepEqual(
        (await store().list({ listener: 'a' })).map((m) => m.eventId),
        ['e1', 'e2'],
      );
      assert.deepEqual(
        (await store().list({ status: 'delivered' })).map((m) => m.eventId),
        [],
      );
      assert.equal((await store().list({ limit: 2 })).length, 2);
    });

    api.it(
      'refuses a message or tenant filter whose tenant id is missing, empty or not a string',
      async () => {
        await refusesInvalidTenantIds(
          (tenantId) => store().append([message({ eventId: 'ok' }), message({ eventId: 'bad', tenantId })]),
          { path: '1.tenantId' },
        );
        assert.deepEqual(await store().list(), [], 'a refused batch appends nothing');
        // Without a tenant filter a listing covers every tenant; a filter that is given must be valid.
        await refusesInvalidTenantIds((tenantId) => store().list({ tenantId }), { values: ['', 42] });
      },
    );

    api.it('gives each message to exactly one of many concurrent claimers', async () => {
      await store().append(
        Array.from({ length: 40 }, (_, i) => message({ eventId: `e${i}`, orderingKey: `k${i}` })),
      );
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store().claim({ owner: `r${i}`, limit: 10, leaseMs: 60_000, now: T0 }),
        ),
      );
      const ids = claims.flat().map((m) => m.eventId);
      assert.equal(ids.length, 40);
      assert.equal(new Set(ids).size, 40);
    });

    api.it('rejects at once when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      await assert.rejects(store().append([message()], { signal: controller.signal }), /stop/);
      await assert.rejects(
        store().claim({ owner: 'r', limit: 1, leaseMs: 1, now: T0, signal: controller.signal }),
        /stop/,
      );
    });
  });
}
