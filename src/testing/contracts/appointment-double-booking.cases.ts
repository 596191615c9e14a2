import assert from 'node:assert/strict';
import { isSlotConflictError } from '../../booking/errors.js';
import type { AppointmentStatus } from '../../domain/appointment.js';
import type { AppointmentRepository } from '../../ports/appointment-repository.js';
import { anAppointment, at } from '../fixtures.js';
import { rejectsWith, settleAll } from './assertions.js';
import type { ContractTestApi } from './test-api.js';

/**
 * The double-booking cases of the appointment repository contract.
 *
 * @internal
 */
export function doubleBookingCases(api: ContractTestApi, repo: () => AppointmentRepository): void {
  api.describe('double-booking rule', () => {
    api.it('rejects an overlapping insert with a SlotConflictError describing the request', async () => {
      await repo().insert(anAppointment({ start: at('09:00'), end: at('10:00') }));
      const clash = anAppointment({ start: at('09:30'), end: at('10:30') });
      const error = await rejectsWith(repo().insert(clash), isSlotConflictError, 'SlotConflictError');
      assert.equal(error.context.tenantId, 'tenant-a');
      assert.equal(error.context.resourceId, 'resource-1');
      assert.equal(Date.parse(error.context.requested.start), Date.parse(clash.start));
      assert.equal(Date.parse(error.context.requested.end), Date.parse(clash.end));
      assert.equal(await repo().get('tenant-a', clash.id), null);
    });

    api.it('rejects every kind of overlap: inside, around, across either edge, identical', async () => {
      await repo().insert(anAppointment({ start: at('10:00'), end: at('11:00') }));
      const ranges = [
        ['10:15', '10:45'],
        ['09:30', '11:30'],
        ['09:30', '10:01'],
        ['10:59', '11:30'],
        ['10:00', '11:00'],
      ] as const;
      for (const [start, end] of ranges) {
        await rejectsWith(
          repo().insert(anAppointment({ start: at(start), end: at(end) })),
          isSlotConflictError,
          `SlotConflictError for ${start}-${end}`,
        );
      }
    });

    api.it('allows ranges that only touch: one ends when the other starts', async () => {
      await repo().insert(anAppointment({ start: at('10:00'), end: at('11:00') }));
      await repo().insert(anAppointment({ start: at('09:00'), end: at('10:00') }));
      await repo().insert(anAppointment({ start: at('11:00'), end: at('12:00') }));
      assert.equal((await repo().list('tenant-a')).items.length, 3);
    });

    api.it('counts pending appointments as occupying their slot', async () => {
      await repo().insert(anAppointment({ status: 'pending' }));
      await rejectsWith(
        repo().insert(anAppointment({ status: 'pending' })),
        isSlotConflictError,
        'SlotConflictError',
      );
      await rejectsWith(
        repo().insert(anAppointment({ status: 'confirmed' })),
        isSlotConflictError,
        'SlotConflictError',
      );
    });

    for (const status of ['cancelled', 'no_show'] as const satisfies readonly AppointmentStatus[]) {
      api.it(`does not let a ${status} appointment block the slot, nor be blocked`, async () => {
        await repo().insert(anAppointment({ status }));
        await repo().insert(anAppointment({ status: 'confirmed' }));
        await repo().insert(anAppointment({ status }));
        assert.equal((await repo().list('tenant-a')).items.length, 3);
      });
    }

    api.it('does not conflict across resources or tenants', async () => {
      await repo().insert(anAppointment());
      await repo().insert(anAppointment({ resourceId: 'resource-2' }));
      await repo().insert(anAppointment({ tenantId: 'tenant-b' }));
      assert.equal((await repo().list('tenant-a')).items.length, 2);
      assert.equal((await repo().list('tenant-b')).items.length, 1);
    });

    api.it(
      'rejects an update that moves an appointment into an occupied range and keeps the stored one',
      async () => {
        await repo().insert(anAppointment({ start: at('09:00'), end: at('10:00') }));
        const other = anAppointment({ start: at('11:00'), end: at('12:00') });
        await repo().insert(other);
        const moved = { ...other, start: at('09:30'), end: at('10:30'), version: 2 };
        await rejectsWith(repo().update(moved, 1), isSlotConflictError, 'SlotConflictError');
        assert.deepEqual(await repo().get('tenant-a', other.id), other);
      },
    );

    api.it('rejects an update that moves an appointment onto an occupied resource', async () => {
      await repo().insert(anAppointment({ resourceId: 'resource-2' }));
      const other = anAppointment({ resourceId: 'resource-1' });
      await repo().insert(other);
      await rejectsWith(
        repo().update({ ...other, resourceId: 'resource-2', version: 2 }, 1),
        isSlotConflictError,
        'SlotConflictError',
      );
    });

    api.it('lets an appointment move within or overlapping its own range', async () => {
      const appointment = anAppointment({ start: at('09:00'), end: at('10:00') });
      await repo().insert(appointment);
      await repo().update({ ...appointment, start: at('09:30'), end: at('10:30'), version: 2 }, 1);
      assert.equal((await repo().get('tenant-a', appointment.id))?.start, at('09:30'));
    });

    api.it(
      'frees the slot when an appointment is cancelled, and refuses to reactivate it once taken',
      async () => {
        const first = anAppointment();
        await repo().insert(first);
        await repo().update({ ...first, status: 'cancelled', version: 2 }, 1);
        await repo().insert(anAppointment());
        await rejectsWith(
          repo().update({ ...first, status: 'confirmed', version: 3 }, 2),
          isSlotConflictError,
          'SlotConflictError',
        );
        assert.equal((await repo().get('tenant-a', first.id))?.status, 'cancelled');
      },
    );

    api.it(
      'lets exactly one of 100 concurrent overlapping inserts succeed; the rest get SlotConflictError',
      async () => {
        const inserts = Array.from({ length: 100 }, (_, i) => {
          const minute = String(i % 30).padStart(2, '0');
          return repo().insert(
            anAppointment({
              start: at(`09:${minute}`),
              end: at(`10:${minute}`),
              status: i % 2 ? 'pending' : 'confirmed',
            }),
          );
        });
        const { values, errors } = await settleAll(inserts);
        assert.equal(values.length, 1);
        assert.equal(errors.length, 99);
        for (const error of errors)
          assert.ok(isSlotConflictError(error), `expected SlotConflictError, got ${String(error)}`);
        assert.equal((await repo().list('tenant-a')).items.length, 1);
      },
    );

    api.it(
      'lets exactly one of concurrent updates moving different appointments into one free slot succeed',
      async () => {
        const appointments = Array.from({ length: 10 }, (_, i) =>
          anAppointment({ start: at(`${10 + i}:00`), end: at(`${10 + i}:30`) }),
        );
        for (const appointment of appointments) await repo().insert(appointment);
        const moves = appointments.map((a) =>
          repo().update({ ...a, start: at('09:00'), end: at('09:30'), version: 2 }, 1),
        );
        const { values, errors } = await settleAll(moves);
        assert.equal(values.length, 1);
        for (const error of errors)
          assert.ok(
            isSlotConflictError(error),
            `expected SlotConflictError, got ${String(error)} (${String((error as { code?: unknown }).code)})`,
          );
        const atNine = (await repo().list('tenant-a', { to: at('09:30') })).items;
        assert.equal(atNine.length, 1);
      },
    );
  });
}
