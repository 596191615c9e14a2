import assert from 'node:assert/strict';
import { isValidationError } from '../../errors/validation-error.js';
import { isDuplicateRecordError, isVersionConflictError } from '../../errors/store-errors.js';
import type { AppointmentRepository } from '../../ports/appointment-repository.js';
import { aCustomer, anAppointment, at } from '../fixtures.js';
import { abortedSignal, rejectsWith, settleAll } from './assertions.js';
import { doubleBookingCases } from './appointment-double-booking.cases.js';
import { appointmentListingCases } from './appointment-listing.cases.js';
import { appointmentUpdatedListingCases } from './appointment-updated-listing.cases.js';
import { refusesInvalidTenantIds } from './tenant-scope.js';
import { useSubject, type ContractFactory, type ContractTestApi } from './test-api.js';

/**
 * The {@link AppointmentRepository} contract: every adapter (memory, Postgres, ...) must pass it.
 * It pins down what the port leaves to words: records are copied in and out and validated on the
 * way in; an id is unique within its tenant; `update` needs the record to carry
 * `expectedVersion + 1`; the double-booking rule holds under 100 concurrent inserts; listings
 * page by cursor in `start`, `id` order.
 *
 * @example
 * ```ts
 * import { describe, it, beforeEach, afterEach } from 'vitest';
 * import { appointmentRepositoryContract } from 'bookingkit/testing';
 * appointmentRepositoryContract({ describe, it, beforeEach, afterEach }, 'memory', () => createMemoryAppointmentRepository());
 * ```
 */
export function appointmentRepositoryContract(
  api: ContractTestApi,
  name: string,
  factory: ContractFactory<AppointmentRepository>,
): void {
  api.describe(`AppointmentRepository contract: ${name}`, () => {
    const repo = useSubject(api, factory);

    api.it('stores an appointment and reads back an equal record', async () => {
      const appointment = anAppointment({
        customerId: aCustomer().id,
        metadata: { channel: 'phone', attempts: 2, vip: true, note: null },
        external: {
          calendarBookingUid: 'uid-1',
          calendarBookingId: '42',
          previousCalendarBookingUids: ['uid-0'],
        },
        createdBy: { type: 'agent', id: 'agent-7' },
      });
      await repo().insert(appointment);
      assert.deepEqual(await repo().get('tenant-a', appointment.id), appointment);
    });

    api.it('answers null for an unknown id', async () => {
      assert.equal(await repo().get('tenant-a', 'missing'), null);
    });

    api.it('copies records in and out: mutating them afterwards does not change the store', async () => {
      const appointment = anAppointment({ metadata: { note: 'original' } });
      const expected = structuredClone(appointment);
      await repo().insert(appointment);
      appointment.metadata.note = 'changed after insert';
      appointment.external.previousCalendarBookingUids.push('sneaky');
      const read = await repo().get('tenant-a', appointment.id);
      assert.ok(read);
      read.metadata.note = 'changed after get';
      read.external.previousCalendarBookingUids.push('sneaky');
      assert.deepEqual(await repo().get('tenant-a', appointment.id), expected);
    });

    api.it('rejects an invalid appointment with a ValidationError naming the field', async () => {
      const backwards = anAppointment({ start: at('10:00'), end: at('09:00') });
      const error = await rejectsWith(repo().insert(backwards), isValidationError, 'ValidationError');
      assert.ok(
        error.context.issues.some((issue) => issue.path === 'end'),
        error.message,
      );
      const badStatus = { ...anAppointment(), status: 'maybe' } as unknown as ReturnType<
        typeof anAppointment
      >;
      const second = await rejectsWith(repo().insert(badStatus), isValidationError, 'ValidationError');
      assert.ok(
        second.context.issues.some((issue) => issue.path === 'status'),
        second.message,
      );
      assert.equal(await repo().get('tenant-a', backwards.id), null);
    });

    api.it(
      'refuses a missing, empty or non-string tenant id in every method, never reading it as every tenant',
      async () => {
        const stored = anAppointment();
        await repo().insert(stored);
        await refusesInvalidTenantIds((tenantId) => repo().list(tenantId));
        await refusesInvalidTenantIds((tenantId) => repo().get(tenantId, stored.id));
        await refusesInvalidTenantIds((tenantId) => repo().findByCalendarUid(tenantId, 'uid-1'));
        await refusesInvalidTenantIds((tenantId) => repo().insert({ ...anAppointment(), tenantId }));
        await refusesInvalidTenantIds((tenantId) => repo().update({ ...stored, tenantId, version: 2 }, 1));
      },
    );

    api.it('rejects an insert whose version is not 1', async () => {
      const appointment = anAppointment({ version: 2 });
      const error = await rejectsWith(repo().insert(appointment), isValidationError, 'ValidationError');
      assert.ok(
        error.context.issues.some((issue) => issue.path === 'version'),
        error.message,
      );
    });

    api.it('rejects a second insert of the same id with a DuplicateRecordError', async () => {
      const appointment = anAppointment();
      await repo().insert(appointment);
      const again = { ...appointment, start: at('14:00'), end: at('15:00') };
      const error = await rejectsWith(repo().insert(again), isDuplicateRecordError, 'DuplicateRecordError');
      assert.equal(error.context.field, 'id');
      assert.deepEqual(await repo().get('tenant-a', appointment.id), appointment);
    });

    api.it('updates a record at the expected version and stores it with version + 1', async () => {
      const appointment = anAppointment();
      await repo().insert(appointment);
      const moved = {
        ...appointment,
        start: at('11:00'),
        end: at('11:30'),
        rescheduledBy: { type: 'customer' as const },
        version: 2,
      };
      await repo().update(moved, 1);
      assert.deepEqual(await repo().get('tenant-a', appointment.id), moved);
      const confirmed = { ...moved, sync: { ...moved.sync, status: 'synced' as const }, version: 3 };
      await repo().update(confirmed, 2);
      assert.equal((await repo().get('tenant-a', appointment.id))?.version, 3);
    });

    api.it(
      'rejects an update at a stale version with a VersionConflictError naming both versions',
      async () => {
        const appointment = anAppointment();
        await repo().insert(appointment);
        await repo().update({ ...appointment, version: 2 }, 1);
        const stale = { ...appointment, status: 'cancelled' as const, version: 2 };
        const error = await rejectsWith(
          repo().update(stale, 1),
          isVersionConflictError,
          'VersionConflictError',
        );
        assert.equal(error.context.expectedVersion, 1);
        assert.equal(error.context.actualVersion, 2);
        assert.equal(error.context.id, appointment.id);
        assert.equal((await repo().get('tenant-a', appointment.id))?.status, 'confirmed');
      },
    );

    api.it('rejects an update of a missing appointment with a VersionConflictError', async () => {
      const ghost = anAppointment({ version: 2 });
      const error = await rejectsWith(
        repo().update(ghost, 1),
        isVersionConflictError,
        'VersionConflictError',
      );
      assert.equal(error.context.actualVersion, null);
      assert.equal(await repo().get('tenant-a', ghost.id), null);
    });

    api.it('rejects an update whose record does not carry expectedVersion + 1', async () => {
      const appointment = anAppointment();
      await repo().insert(appointment);
      const error = await rejectsWith(
        repo().update({ ...appointment, version: 1 }, 1),
        isValidationError,
        'ValidationError',
      );
      assert.ok(
        error.context.issues.some((issue) => issue.path === 'version'),
        error.message,
      );
      assert.deepEqual(await repo().get('tenant-a', appointment.id), appointment);
    });

    api.it('lets exactly one of many concurrent updates at the same version win', async () => {
      const appointment = anAppointment();
      await repo().insert(appointment);
      const updates = Array.from({ length: 10 }, (_, i) =>
        repo().update({ ...appointment, metadata: { writer: i }, version: 2 }, 1),
      );
      const { values, errors } = await settleAll(updates);
      assert.equal(values.length, 1);
      assert.equal(errors.length, 9);
      assert.ok(errors.every(isVersionConflictError));
      assert.equal((await repo().get('tenant-a', appointment.id))?.version, 2);
    });

    api.it(
      'keeps tenants apart: another tenant can neither read, find, list nor change a record',
      async () => {
        const appointment = anAppointment({
          external: { calendarBookingUid: 'uid-a', calendarBookingId: null, previousCalendarBookingUids: [] },
        });
        await repo().insert(appointment);
        assert.equal(await repo().get('tenant-b', appointment.id), null);
        assert.equal(await repo().findByCalendarUid('tenant-b', 'uid-a'), null);
        assert.deepEqual((await repo().list('tenant-b')).items, []);
        const hijack = { ...appointment, tenantId: 'tenant-b', status: 'cancelled' as const, version: 2 };
        await rejectsWith(repo().update(hijack, 1), isVersionConflictError, 'VersionConflictError');
        assert.deepEqual(await repo().get('tenant-a', appointment.id), appointment);
      },
    );

    api.it('treats the same id in two tenants as two records', async () => {
      const ofA = anAppointment({ id: 'shared-id' });
      const ofB = anAppointment({
        id: 'shared-id',
        tenantId: 'tenant-b',
        start: at('15:00'),
        end: at('16:00'),
      });
      await repo().insert(ofA);
      await repo().insert(ofB);
      assert.deepEqual(await repo().get('tenant-a', 'shared-id'), ofA);
      assert.deepEqual(await repo().get('tenant-b', 'shared-id'), ofB);
    });

    api.it('finds an appointment by its current calendar uid and by each previous one', async () => {
      const appointment = anAppointment({
        external: {
          calendarBookingUid: 'uid-3',
          calendarBookingId: '3',
          previousCalendarBookingUids: ['uid-1', 'uid-2'],
        },
      });
      await repo().insert(anAppointment({ start: at('12:00'), end: at('12:30') }));
      await repo().insert(appointment);
      for (const uid of ['uid-3', 'uid-1', 'uid-2']) {
        assert.equal((await repo().findByCalendarUid('tenant-a', uid))?.id, appointment.id, uid);
      }
      assert.equal(await repo().findByCalendarUid('tenant-a', 'uid-unknown'), null);
    });

    api.it('finds an appointment by a uid it received in an update', async () => {
      const appointment = anAppointment();
      await repo().insert(appointment);
      const external = {
        calendarBookingUid: 'uid-new',
        calendarBookingId: '9',
        previousCalendarBookingUids: ['uid-old'],
      };
      await repo().update({ ...appointment, external, version: 2 }, 1);
      assert.equal((await repo().findByCalendarUid('tenant-a', 'uid-new'))?.version, 2);
      assert.equal((await repo().findByCalendarUid('tenant-a', 'uid-old'))?.id, appointment.id);
    });

    doubleBookingCases(api, repo);
    appointmentListingCases(api, repo);
    appointmentUpdatedListingCases(api, repo);

    api.it('rejects at once when the signal is already aborted', async () => {
      const signal = abortedSignal();
      const appointment = anAppointment();
      await assert.rejects(repo().insert(appointment, { signal }), /stop/);
      await assert.rejects(repo().get('tenant-a', appointment.id, { signal }), /stop/);
      await assert.rejects(repo().list('tenant-a', {}, { signal }), /stop/);
      await assert.rejects(repo().findByCalendarUid('tenant-a', 'uid', { signal }), /stop/);
      assert.equal(await repo().get('tenant-a', appointment.id), null, 'an aborted insert writes nothing');
    });
  });
}
