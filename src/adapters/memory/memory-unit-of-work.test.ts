import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import type { TransactionalStores } from '../../ports/unit-of-work.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { unitOfWorkContract } from '../../testing/contracts/unit-of-work.contract.js';
import { aCustomer, anAppointment } from '../../testing/fixtures.js';
import { createMemoryStores } from './memory-stores.js';
import { isUnitOfWorkMisuseError } from './unit-of-work-misuse-error.js';

unitOfWorkContract({ describe, it, beforeEach, afterEach }, 'memory', () => createMemoryStores());

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('createMemoryStores unit of work', () => {
  it('hides uncommitted writes from readers outside the unit of work until it commits', async () => {
    const stores = createMemoryStores();
    const appointment = anAppointment();
    const written = gate();
    const checked = gate();
    const running = stores.unitOfWork.run(async (tx) => {
      await tx.appointments.insert(appointment);
      written.open();
      await checked.opened;
    });
    await written.opened;
    expect(await stores.appointments.get('tenant-a', appointment.id)).toBeNull();
    expect((await stores.appointments.list('tenant-a')).items).toEqual([]);
    checked.open();
    await running;
    expect(await stores.appointments.get('tenant-a', appointment.id)).toEqual(appointment);
  });

  it('makes a write outside the unit of work wait until it has committed, then judges it against the result', async () => {
    const stores = createMemoryStores();
    const written = gate();
    const release = gate();
    const running = stores.unitOfWork.run(async (tx) => {
      await tx.appointments.insert(anAppointment());
      written.open();
      await release.opened;
    });
    await written.opened;
    const outside = stores.appointments.insert(anAppointment());
    release.open();
    await running;
    await expect(outside).rejects.toMatchObject({ code: 'SLOT_CONFLICT' });
  });

  it('refuses a write through the shared stores from inside a unit of work instead of deadlocking', async () => {
    const stores = createMemoryStores();
    const customer = aCustomer();
    const error: unknown = await stores.unitOfWork
      .run(async () => {
        await stores.customers.insert(customer);
      })
      .catch((e: unknown) => e);
    expect(isUnitOfWorkMisuseError(error) && error.context.reason).toBe('nested');
    expect(await stores.customers.get('tenant-a', customer.id)).toBeNull();
  });

  it('refuses a nested unit of work', async () => {
    const stores = createMemoryStores();
    const error: unknown = await stores.unitOfWork
      .run(async () => stores.unitOfWork.run(async () => 'inner'))
      .catch((e: unknown) => e);
    expect(isUnitOfWorkMisuseError(error) && error.context.reason).toBe('nested');
  });

  it('refuses the stores of a finished unit of work', async () => {
    const stores = createMemoryStores();
    let leaked: TransactionalStores | undefined;
    await stores.unitOfWork.run(async (tx) => {
      leaked = tx;
    });
    const error: unknown = await leaked!.appointments.insert(anAppointment()).catch((e: unknown) => e);
    expect(isUnitOfWorkMisuseError(error) && error.context.reason).toBe('closed');
    await expect(leaked!.outbox.append([])).rejects.toMatchObject({ code: 'UNIT_OF_WORK_MISUSE' });
    expect((await stores.appointments.list('tenant-a')).items).toEqual([]);
  });

  it('gives up waiting for the write lock after lockTimeoutMs', async () => {
    const clock = createFakeClock();
    const stores = createMemoryStores({ clock, lockTimeoutMs: 1_000 });
    const release = gate();
    const running = stores.unitOfWork.run(async () => release.opened);
    let settled = false;
    const waiting = stores.appointments
      .insert(anAppointment())
      .catch((e: unknown) => e)
      .finally(() => (settled = true));
    await clock.advance(999);
    expect(settled).toBe(false);
    await clock.advance(1);
    const error = await waiting;
    expect(isUnitOfWorkMisuseError(error) && error.context).toEqual({
      reason: 'lock_timeout',
      lockTimeoutMs: 1_000,
    });
    release.open();
    await running;
    await stores.appointments.insert(anAppointment());
  });

  it('stops waiting for the write lock when the signal aborts', async () => {
    const stores = createMemoryStores();
    const release = gate();
    const running = stores.unitOfWork.run(async () => release.opened);
    const controller = new AbortController();
    const waiting = stores.unitOfWork.run(async () => 'never', { signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    release.open();
    await running;
    expect(await stores.unitOfWork.run(async () => 'next')).toBe('next');
  });

  it('serves waiting units of work in arrival order', async () => {
    const stores = createMemoryStores();
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((n) => stores.unitOfWork.run(async () => void order.push(n))));
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('applies a record written twice in one unit of work at its last version', async () => {
    const stores = createMemoryStores();
    const appointment = anAppointment();
    await stores.unitOfWork.run(async (tx) => {
      await tx.appointments.insert(appointment);
      await tx.appointments.update({ ...appointment, status: 'pending', version: 2 }, 1);
      await tx.appointments.update({ ...appointment, status: 'confirmed', version: 3 }, 2);
    });
    expect(await stores.appointments.get('tenant-a', appointment.id)).toMatchObject({
      status: 'confirmed',
      version: 3,
    });
  });

  it('validates its options eagerly', () => {
    for (const lockTimeoutMs of [0, -1, 1.5]) {
      let error: unknown;
      try {
        createMemoryStores({ lockTimeoutMs });
      } catch (caught) {
        error = caught;
      }
      expect(isInvalidOptionError(error) && error.context.option).toBe('lockTimeoutMs');
    }
  });
});
