import assert from 'node:assert/strict';
import { isValidationError } from '../../errors/validation-error.js';
import type { CallRepository } from '../../ports/call-repository.js';
import { aCall } from '../fixtures.js';
import { abortedSignal, rejectsWith } from './assertions.js';
import type { ContractTestApi } from './test-api.js';

/**
 * Cases of the {@link CallRepository} contract for `anonymiseForCustomer`: the customer's calls
 * lose their numbers, transcript and analysis and keep their facts; other customers' and other
 * tenants' calls are untouched; erasing again changes nothing.
 *
 * @internal
 */
export function callErasureCases(api: ContractTestApi, repo: () => CallRepository): void {
  api.describe('anonymiseForCustomer', () => {
    const personal = {
      customerId: 'customer-1',
      transcript: 'Agent: Hello Ana. User: my number is +4915112345678',
      analysis: { call_summary: 'Ana booked a haircut' },
      status: 'ended',
      costCents: 31,
      durationMs: 60_000,
      appointmentIds: ['appointment-1'],
    };

    api.it(
      "erases the numbers, transcript and analysis of the customer's calls and keeps the facts",
      async () => {
        const call = aCall(personal);
        await repo().save(call, null);
        assert.deepEqual(await repo().anonymiseForCustomer('tenant-a', 'customer-1'), [call.id]);
        const stored = await repo().get('tenant-a', call.id);
        assert.ok(stored);
        assert.deepEqual(
          { ...stored, updatedAt: call.updatedAt },
          {
            ...call,
            fromNumber: null,
            toNumber: null,
            transcript: null,
            analysis: null,
            version: 2,
          },
        );
      },
    );

    api.it("leaves other customers' and other tenants' calls as they were", async () => {
      const other = aCall({ ...personal, customerId: 'customer-2' });
      const elsewhere = aCall({ ...personal, tenantId: 'tenant-b' });
      const unknown = aCall({ ...personal, customerId: null });
      for (const call of [other, elsewhere, unknown]) await repo().save(call, null);
      assert.deepEqual(await repo().anonymiseForCustomer('tenant-a', 'customer-1'), []);
      assert.deepEqual(await repo().get('tenant-a', other.id), other);
      assert.deepEqual(await repo().get('tenant-b', elsewhere.id), elsewhere);
      assert.deepEqual(await repo().get('tenant-a', unknown.id), unknown);
    });

    api.it('changes nothing when erasing again', async () => {
      const call = aCall(personal);
      await repo().save(call, null);
      await repo().anonymiseForCustomer('tenant-a', 'customer-1');
      const once = await repo().get('tenant-a', call.id);
      assert.deepEqual(await repo().anonymiseForCustomer('tenant-a', 'customer-1'), []);
      assert.deepEqual(await repo().get('tenant-a', call.id), once);
    });

    api.it('names a bad customer id and honours an aborted signal', async () => {
      const error = await rejectsWith(
        repo().anonymiseForCustomer('tenant-a', ''),
        isValidationError,
        'ValidationError',
      );
      assert.match(error.message, /customerId/);
      await assert.rejects(
        repo().anonymiseForCustomer('tenant-a', 'customer-1', { signal: abortedSignal() }),
      );
    });
  });
}
