import assert from 'node:assert/strict';
import { isValidationError } from '../../errors/validation-error.js';
import { isVersionConflictError } from '../../errors/store-errors.js';
import type { CallRepository } from '../../ports/call-repository.js';
import { aCall, at } from '../fixtures.js';
import { abortedSignal, rejectsWith, settleAll } from './assertions.js';
import { callMergeCases } from './call-merge.cases.js';
import { callErasureCases } from './call-erasure.cases.js';
import { refusesInvalidTenantIds } from './tenant-scope.js';
import { useSubject, type ContractFactory, type ContractTestApi } from './test-api.js';

/**
 * The {@link CallRepository} contract: every adapter must pass it. `save(call, null)` inserts
 * (version 1) and fails with a VersionConflictError (expected version 0) when the call exists;
 * `save(call, n)` replaces version `n` with `n + 1`. Listings order newest first by the time a
 * call started, or was created while it has not started, then by id descending; `from`/`to`
 * filter on that same time, half-open. `upsert` merges provider events into a call in any order,
 * once per event, concurrently, and `linkAppointment` adds appointments, even before the call's
 * first event.
 *
 * @example
 * ```ts
 * import { describe, it, beforeEach, afterEach } from 'vitest';
 * import { callRepositoryContract } from 'bookingkit/testing';
 * callRepositoryContract({ describe, it, beforeEach, afterEach }, 'memory', () => createMemoryCallRepository());
 * ```
 */
export function callRepositoryContract(
  api: ContractTestApi,
  name: string,
  factory: ContractFactory<CallRepository>,
): void {
  api.describe(`CallRepository contract: ${name}`, () => {
    const repo = useSubject(api, factory);
    callMergeCases(api, repo);
    callErasureCases(api, repo);

    api.it('inserts a call on its first sighting and reads back an equal record', async () => {
      const call = aCall({
        analysis: { summary: 'booked a haircut', sentiment: { score: 0.8 } },
        appointmentIds: ['appointment-1'],
      });
      await repo().save(call, null);
      assert.deepEqual(await repo().get('tenant-a', call.id), call);
      assert.equal(await repo().get('tenant-a', 'missing'), null);
    });

    api.it('copies records in and out, nested analysis included', async () => {
      const call = aCall({ analysis: { nested: { value: 1 } } });
      const expected = structuredClone(call);
      await repo().save(call, null);
      (call.analysis!.nested as { value: number }).value = 2;
      const read = await repo().get('tenant-a', call.id);
      assert.ok(read);
      read.appointmentIds.push('sneaky');
      assert.deepEqual(await repo().get('tenant-a', call.id), expected);
    });

    api.it('rejects a second first sighting with a VersionConflictError and keeps the first', async () => {
      const call = aCall();
      await repo().save(call, null);
      const error = await rejectsWith(
        repo().save({ ...call, status: 'ended' }, null),
        isVersionConflictError,
        'VersionConflictError',
      );
      assert.equal(error.context.expectedVersion, 0);
      assert.equal(error.context.actualVersion, 1);
      assert.deepEqual(await repo().get('tenant-a', call.id), call);
    });

    api.it('replaces a call at the expected version, and rejects stale and missing versions', async () => {
      const call = aCall();
      await repo().save(call, null);
      const ended = {
        ...call,
        status: 'ended' as const,
        endedAt: at('09:05'),
        disconnectionReason: 'user_hangup',
        costCents: 31,
        version: 2,
      };
      await repo().save(ended, 1);
      assert.deepEqual(await repo().get('tenant-a', call.id), ended);
      const stale = await rejectsWith(
        repo().save({ ...call, status: 'error', version: 2 }, 1),
        isVersionConflictError,
        'VersionConflictError',
      );
      assert.equal(stale.context.actualVersion, 2);
      const missing = await rejectsWith(
        repo().save(aCall({ version: 2 }), 1),
        isVersionConflictError,
        'VersionConflictError',
      );
      assert.equal(missing.context.actualVersion, null);
    });

    api.it('rejects a call whose version is not the one it will be stored with', async () => {
      const call = aCall();
      await rejectsWith(repo().save({ ...call, version: 2 }, null), isValidationError, 'ValidationError');
      await repo().save(call, null);
      await rejectsWith(repo().save({ ...call, version: 1 }, 1), isValidationError, 'ValidationError');
      const invalid = await rejectsWith(
        repo().save({ ...aCall(), costCents: -5 }, null),
        isValidationError,
        'ValidationError',
      );
      assert.ok(
        invalid.context.issues.some((issue) => issue.path === 'costCents'),
        invalid.message,
      );
    });

    api.it(
      'refuses a missing, empty or non-string tenant id in every method, never reading it as every tenant',
      async () => {
        const stored = aCall();
        await repo().save(stored, null);
        await refusesInvalidTenantIds((tenantId) => repo().list(tenantId));
        await refusesInvalidTenantIds((tenantId) => repo().get(tenantId, stored.id));
        await refusesInvalidTenantIds((tenantId) => repo().save({ ...aCall(), tenantId }, null));
        await refusesInvalidTenantIds((tenantId) => repo().save({ ...stored, tenantId, version: 2 }, 1));
      },
    );

    api.it('lets exactly one of many concurrent first sightings insert the call', async () => {
      const call = aCall();
      const saves = Array.from({ length: 10 }, (_, i) =>
        repo().save({ ...call, agentId: `agent-${i}` }, null),
      );
      const { values, errors } = await settleAll(saves);
      assert.equal(values.length, 1);
      assert.ok(errors.every(isVersionConflictError));
    });

    api.it('keeps tenants apart', async () => {
      const call = aCall({ id: 'call-shared' });
      await repo().save(call, null);
      assert.equal(await repo().get('tenant-b', call.id), null);
      assert.deepEqual((await repo().list('tenant-b')).items, []);
      await rejectsWith(
        repo().save({ ...call, tenantId: 'tenant-b', status: 'ended', version: 2 }, 1),
        isVersionConflictError,
        'VersionConflictError',
      );
      const ofB = aCall({ id: 'call-shared', tenantId: 'tenant-b' });
      await repo().save(ofB, null);
      assert.deepEqual(await repo().get('tenant-a', call.id), call);
      assert.deepEqual(await repo().get('tenant-b', call.id), ofB);
    });

    api.it('lists newest first, unstarted calls by their creation time, ties by id descending', async () => {
      await repo().save(aCall({ id: 'c-0900', startedAt: at('09:00') }), null);
      await repo().save(aCall({ id: 'c-1100', startedAt: at('11:00') }), null);
      await repo().save(aCall({ id: 'c-1000-a', startedAt: at('10:00') }), null);
      await repo().save(aCall({ id: 'c-1000-b', startedAt: at('10:00') }), null);
      await repo().save(
        aCall({
          id: 'c-registered',
          status: 'registered',
          startedAt: null,
          createdAt: at('10:30'),
          updatedAt: at('10:30'),
        }),
        null,
      );
      const page = await repo().list('tenant-a');
      assert.deepEqual(
        page.items.map((c) => c.id),
        ['c-1100', 'c-registered', 'c-1000-b', 'c-1000-a', 'c-0900'],
      );
      assert.equal(page.nextCursor, null);
    });

    api.it('filters by [from, to) and pages with a cursor', async () => {
      for (let hour = 8; hour <= 14; hour += 1) {
        await repo().save(
          aCall({ id: `c-${hour}`, startedAt: at(`${String(hour).padStart(2, '0')}:00`) }),
          null,
        );
      }
      const window = { from: at('09:00'), to: at('13:00') };
      const first = await repo().list('tenant-a', { ...window, limit: 3 });
      assert.deepEqual(
        first.items.map((c) => c.id),
        ['c-12', 'c-11', 'c-10'],
      );
      assert.ok(first.nextCursor);
      const second = await repo().list('tenant-a', { ...window, limit: 3, cursor: first.nextCursor });
      assert.deepEqual(
        second.items.map((c) => c.id),
        ['c-9'],
      );
      assert.equal(second.nextCursor, null);
    });

    api.it('rejects at once when the signal is already aborted', async () => {
      const signal = abortedSignal();
      const call = aCall();
      await assert.rejects(repo().save(call, null, { signal }), /stop/);
      await assert.rejects(repo().get('tenant-a', call.id, { signal }), /stop/);
      await assert.rejects(repo().list('tenant-a', {}, { signal }), /stop/);
      assert.equal(await repo().get('tenant-a', call.id), null);
    });
  });
}
