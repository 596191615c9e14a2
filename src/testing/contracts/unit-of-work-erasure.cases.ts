import assert from 'node:assert/strict';
import type { OutboxMessageInput } from '../../ports/outbox-store.js';
import { aCall, FIXTURE_TIME } from '../fixtures.js';
import type { ContractTestApi } from './test-api.js';
import type { UnitOfWorkContractSubject } from './unit-of-work.contract.js';

const KEY = 'tenant-a/appointment/a1';

function message(eventId: string): OutboxMessageInput {
  return {
    eventId,
    eventType: 'appointment.cancelled',
    listener: 'notify',
    tenantId: 'tenant-a',
    orderingKey: KEY,
    payload: JSON.stringify({ id: eventId, reason: 'Ana is ill' }),
    availableAt: Date.parse(FIXTURE_TIME),
  };
}

const redact = (payload: string): string => payload.replace('Ana is ill', '[erased]');

/**
 * Cases of the unit-of-work contract for erasures: an outbox scrub and a call anonymisation made
 * in a unit of work commit with it, messages appended in it are scrubbed too, and nothing of
 * either is kept when the work throws.
 *
 * @internal
 */
export function unitOfWorkErasureCases(api: ContractTestApi, stores: () => UnitOfWorkContractSubject): void {
  api.describe('erasure', () => {
    api.it(
      'commits an outbox scrub and a call anonymisation with the unit of work, staged messages included',
      async () => {
        await stores().outbox.append([message('e1')]);
        const call = aCall({ customerId: 'customer-1', transcript: 'Ana speaking' });
        await stores().calls.save(call, null);
        const counts = await stores().unitOfWork.run(async (tx) => {
          await tx.outbox.append([message('e2')]);
          return {
            messages: await tx.outbox.scrub({ tenantId: 'tenant-a', orderingKeys: [KEY] }, redact),
            calls: await tx.calls.anonymiseForCustomer('tenant-a', 'customer-1'),
          };
        });
        assert.deepEqual(counts, { messages: 2, calls: [call.id] });
        const payloads = (await stores().outbox.list({ limit: 10 })).map((m) => m.payload);
        assert.deepEqual(payloads, [redact(message('e1').payload), redact(message('e2').payload)]);
        assert.equal((await stores().calls.get('tenant-a', call.id))?.transcript, null);
      },
    );

    api.it('keeps nothing of a scrub or an anonymisation when the work throws', async () => {
      await stores().outbox.append([message('e1')]);
      const call = aCall({ customerId: 'customer-1', transcript: 'Ana speaking' });
      await stores().calls.save(call, null);
      await assert.rejects(
        stores().unitOfWork.run(async (tx) => {
          await tx.outbox.scrub({ tenantId: 'tenant-a', orderingKeys: [KEY] }, redact);
          await tx.calls.anonymiseForCustomer('tenant-a', 'customer-1');
          throw new Error('boom');
        }),
        /boom/,
      );
      const payloads = (await stores().outbox.list({ limit: 10 })).map((m) => m.payload);
      assert.deepEqual(payloads, [message('e1').payload]);
      assert.deepEqual(await stores().calls.get('tenant-a', call.id), call);
    });
  });
}
