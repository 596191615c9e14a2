import assert from 'node:assert/strict';
import { isSlotConflictError } from '../../booking/errors.js';
import type { OutboxMessageInput, OutboxStore } from '../../ports/outbox-store.js';
import type { TransactionalStores, UnitOfWork } from '../../ports/unit-of-work.js';
import { aCall, aCustomer, anAppointment, at, FIXTURE_TIME } from '../fixtures.js';
import { abortedSignal, rejectsWith, settleAll } from './assertions.js';
import { refusesInvalidTenantIds } from './tenant-scope.js';
import { useSubject, type ContractFactory, type ContractTestApi } from './test-api.js';
import { unitOfWorkErasureCases } from './unit-of-work-erasure.cases.js';

/**
 * What the unit-of-work contract needs: the unit of work, and the same stores outside of any
 * transaction (to see what was committed).
 */
export interface UnitOfWorkContractSubject extends TransactionalStores {
  /** The outbox outside of any transaction, read to see what was committed. */
  readonly outbox: OutboxStore;
  readonly unitOfWork: UnitOfWork;
}

function outboxMessage(eventId: string): OutboxMessageInput {
  return {
    eventId,
    eventType: 'appointment.booked',
    listener: 'notify',
    tenantId: 'tenant-a',
    orderingKey: `tenant-a/appointment/${eventId}`,
    payload: JSON.stringify({ id: eventId }),
    availableAt: Date.parse(FIXTURE_TIME),
  };
}

class Boom extends Error {}

/**
 * The {@link UnitOfWork} contract: writes made through the stores given to `run` are all kept
 * when the work resolves and all discarded when it throws (the error is rethrown as it is),
 * outbox messages included; the work reads its own writes; a write rejected inside the work and
 * caught there does not spoil the others (Postgres adapters need a savepoint per write for that);
 * the double-booking rule holds across concurrent units of work.
 *
 * @example
 * ```ts
 * import { describe, it, beforeEach, afterEach } from 'vitest';
 * import { unitOfWorkContract } from 'bookingkit/testing';
 * unitOfWorkContract({ describe, it, beforeEach, afterEach }, 'memory', () => createMemoryStores());
 * ```
 */
export function unitOfWorkContract(
  api: ContractTestApi,
  name: string,
  factory: ContractFactory<UnitOfWorkContractSubject>,
): void {
  api.describe(`UnitOfWork contract: ${name}`, () => {
    const stores = useSubject(api, factory);
    unitOfWorkErasureCases(api, stores);

    api.it('keeps every write of a unit of work that resolves, and returns its result', async () => {
      const appointment = anAppointment();
      const customer = aCustomer();
      const call = aCall();
      const result = await stores().unitOfWork.run(async (tx) => {
        await tx.customers.insert(customer);
        await tx.appointments.insert(appointment);
        await tx.appointments.update({ ...appointment, status: 'pending', version: 2 }, 1);
        await tx.calls.save(call, null);
        await tx.outbox.append([outboxMessage('e1')]);
        return 'done';
      });
      assert.equal(result, 'done');
      assert.equal((await stores().appointments.get('tenant-a', appointment.id))?.version, 2);
      assert.deepEqual(await stores().customers.get('tenant-a', customer.id), customer);
      assert.deepEqual(await stores().calls.get('tenant-a', call.id), call);
      assert.deepEqual(
        (await stores().outbox.list()).map((m) => m.eventId),
        ['e1'],
      );
    });

    api.it(
      'keeps nothing of a unit of work that throws, outbox messages included, and rethrows the error',
      async () => {
        const appointment = anAppointment();
        const customer = aCustomer();
        const call = aCall();
        const boom = new Boom('work failed');
        await assert.rejects(
          stores().unitOfWork.run(async (tx) => {
            await tx.appointments.insert(appointment);
            await tx.customers.insert(customer);
            await tx.calls.save(call, null);
            await tx.outbox.append([outboxMessage('e1')]);
            throw boom;
          }),
          (error) => error === boom,
        );
        assert.equal(await stores().appointments.get('tenant-a', appointment.id), null);
        assert.equal(await stores().customers.get('tenant-a', customer.id), null);
        assert.equal(await stores().customers.findByPhone('tenant-a', customer.phone!), null);
        assert.equal(await stores().calls.get('tenant-a', call.id), null);
        assert.deepEqual(await stores().outbox.list(), []);
        await stores().appointments.insert(appointment);
        await stores().customers.insert(customer);
      },
    );

    api.it('restores updated records when the work throws', async () => {
      const appointment = anAppointment();
      const customer = aCustomer();
      await stores().appointments.insert(appointment);
      await stores().customers.insert(customer);
      await assert.rejects(
        stores().unitOfWork.run(async (tx) => {
          await tx.appointments.update({ ...appointment, status: 'cancelled', version: 2 }, 1);
          await tx.customers.update({ ...customer, mergedInto: 'someone', version: 2 }, 1);
          throw new Boom('later step failed');
        }),
        Boom,
      );
      assert.deepEqual(await stores().appointments.get('tenant-a', appointment.id), appointment);
      assert.deepEqual(await stores().customers.get('tenant-a', customer.id), customer);
      await stores().appointments.update({ ...appointment, status: 'cancelled', version: 2 }, 1);
    });

    api.it('lets the work read its own writes', async () => {
      const appointment = anAppointment({
        external: { calendarBookingUid: 'uid-tx', calendarBookingId: null, previousCalendarBookingUids: [] },
      });
      const customer = aCustomer();
      await stores().unitOfWork.run(async (tx) => {
        await tx.appointments.insert(appointment);
        await tx.customers.insert(customer);
        assert.equal((await tx.appointments.get('tenant-a', appointment.id))?.id, appointment.id);
        assert.equal((await tx.appointments.findByCalendarUid('tenant-a', 'uid-tx'))?.id, appointment.id);
        assert.deepEqual(
          (await tx.appointments.list('tenant-a')).items.map((a) => a.id),
          [appointment.id],
        );
        assert.equal((await tx.customers.findByPhone('tenant-a', customer.phone!))?.id, customer.id);
      });
    });

    api.it('gives the work stores that refuse a missing, empty or non-string tenant id', async () => {
      const customer = aCustomer();
      await stores().unitOfWork.run(async (tx) => {
        await refusesInvalidTenantIds((tenantId) => tx.appointments.list(tenantId));
        await refusesInvalidTenantIds((tenantId) => tx.customers.get(tenantId, customer.id));
        await refusesInvalidTenantIds((tenantId) => tx.calls.list(tenantId));
        await refusesInvalidTenantIds(
          (tenantId) => tx.outbox.append([{ ...outboxMessage('e1'), tenantId }]),
          {
            path: '0.tenantId',
          },
        );
        await tx.customers.insert(customer);
      });
      assert.deepEqual(await stores().customers.get('tenant-a', customer.id), customer);
      assert.deepEqual(await stores().outbox.list(), []);
    });

    api.it('keeps the other writes when the work catches a rejected write and goes on', async () => {
      await stores().appointments.insert(anAppointment());
      const customer = aCustomer();
      const later = anAppointment({ start: at('11:00'), end: at('11:30') });
      await stores().unitOfWork.run(async (tx) => {
        await tx.customers.insert(customer);
        await rejectsWith(tx.appointments.insert(anAppointment()), isSlotConflictError, 'SlotConflictError');
        await tx.appointments.insert(later);
      });
      assert.deepEqual(await stores().customers.get('tenant-a', customer.id), customer);
      assert.deepEqual(await stores().appointments.get('tenant-a', later.id), later);
    });

    api.it('rolls back earlier writes when a store rejects a later one', async () => {
      await stores().appointments.insert(anAppointment());
      const customer = aCustomer();
      await rejectsWith(
        stores().unitOfWork.run(async (tx) => {
          await tx.customers.insert(customer);
          await tx.outbox.append([outboxMessage('e1')]);
          await tx.appointments.insert(anAppointment());
        }),
        isSlotConflictError,
        'SlotConflictError',
      );
      assert.equal(await stores().customers.get('tenant-a', customer.id), null);
      assert.deepEqual(await stores().outbox.list(), []);
    });

    api.it('lets exactly one of concurrent units of work book an overlapping slot', async () => {
      const runs = Array.from({ length: 10 }, (_, i) =>
        stores().unitOfWork.run(async (tx) => {
          const appointment = anAppointment();
          await tx.appointments.insert(appointment);
          await tx.outbox.append([outboxMessage(`e${i}`)]);
          return appointment.id;
        }),
      );
      const { values, errors } = await settleAll(runs);
      assert.equal(values.length, 1);
      assert.ok(errors.every(isSlotConflictError));
      assert.deepEqual(
        (await stores().appointments.list('tenant-a')).items.map((a) => a.id),
        values,
      );
      assert.equal((await stores().outbox.list()).length, 1);
    });

    api.it('runs units of work one after another without losing either', async () => {
      const first = anAppointment({ resourceId: 'r-1' });
      const second = anAppointment({ resourceId: 'r-2' });
      await Promise.all([
        stores().unitOfWork.run(async (tx) => tx.appointments.insert(first)),
        stores().unitOfWork.run(async (tx) => tx.appointments.insert(second)),
      ]);
      assert.equal((await stores().appointments.list('tenant-a')).items.length, 2);
    });

    api.it('rejects at once, running nothing, when the signal is already aborted', async () => {
      let ran = false;
      await assert.rejects(
        stores().unitOfWork.run(
          async () => {
            ran = true;
          },
          { signal: abortedSignal() },
        ),
        /stop/,
      );
      assert.equal(ran, false);
    });
  });
}
