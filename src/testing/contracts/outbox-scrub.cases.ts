import assert from 'node:assert/strict';
import type { OutboxMessageInput, OutboxStore } from '../../ports/outbox-store.js';
import { abortedSignal } from './assertions.js';
import type { ContractTestApi } from './test-api.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');

function message(eventId: string, overrides: Partial<OutboxMessageInput> = {}): OutboxMessageInput {
  return {
    eventId,
    eventType: 'appointment.cancelled',
    listener: 'notify',
    tenantId: 'tenant-a',
    orderingKey: 'tenant-a/appointment/a1',
    payload: JSON.stringify({ id: eventId, reason: 'Ana is ill' }),
    availableAt: T0,
    ...overrides,
  };
}

const redact = (payload: string): string => payload.replace('Ana is ill', '[erased]');

/**
 * Cases of the {@link OutboxStore} contract for `scrub`: the selected messages' payloads are
 * rewritten whatever their status, others are untouched, a dry run only counts, a rewrite that
 * throws writes nothing.
 *
 * @internal
 */
export function outboxScrubCases(api: ContractTestApi, store: () => OutboxStore): void {
  api.describe('scrub', () => {
    api.it(
      "rewrites the payloads of the tenant's messages of the given keys, whatever their status",
      async () => {
        await store().append([message('e1'), message('e2', { listener: 'audit' })]);
        const [claimed] = await store().claim({ owner: 'r1', limit: 1, leaseMs: 1000, now: T0 });
        await store().markDelivered(claimed!.id, 'r1', { now: T0 });
        const filter = { tenantId: 'tenant-a', orderingKeys: ['tenant-a/appointment/a1'] };
        assert.equal(await store().scrub(filter, redact), 2);
        const all = await store().list({ limit: 10 });
        assert.deepEqual(
          all.map((m) => [m.eventId, m.status, m.payload]),
          [
            ['e1', 'delivered', JSON.stringify({ id: 'e1', reason: '[erased]' })],
            ['e2', 'pending', JSON.stringify({ id: 'e2', reason: '[erased]' })],
          ],
        );
        assert.equal(await store().scrub(filter, redact), 0, 'scrubbing again changes nothing');
      },
    );

    api.it("leaves other keys' and other tenants' messages as they were", async () => {
      const others = [
        message('e3', { orderingKey: 'tenant-a/appointment/a2' }),
        message('e4', { tenantId: 'tenant-b', orderingKey: 'tenant-a/appointment/a1' }),
      ];
      await store().append(others);
      assert.equal(
        await store().scrub({ tenantId: 'tenant-a', orderingKeys: ['tenant-a/appointment/a1'] }, redact),
        0,
      );
      const all = await store().list({ limit: 10 });
      assert.deepEqual(
        all.map((m) => m.payload),
        others.map((m) => m.payload),
      );
    });

    api.it('only counts with dryRun, and writes nothing when a rewrite throws', async () => {
      await store().append([message('e1'), message('e2')]);
      const filter = { tenantId: 'tenant-a', orderingKeys: ['tenant-a/appointment/a1'] };
      assert.equal(await store().scrub(filter, redact, { dryRun: true }), 2);
      let calls = 0;
      const failing = (payload: string): string => {
        calls += 1;
        if (calls === 2) throw new Error('boom');
        return redact(payload);
      };
      await assert.rejects(store().scrub(filter, failing), /boom/);
      const all = await store().list({ limit: 10 });
      assert.deepEqual(
        all.map((m) => m.payload),
        [message('e1').payload, message('e2').payload],
      );
      await assert.rejects(store().scrub(filter, redact, { signal: abortedSignal() }));
    });
  });
}
