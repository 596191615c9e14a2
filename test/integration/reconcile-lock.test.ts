import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLockService } from '../../src/adapters/memory/memory-lock-service.js';
import type { LockLease, LockService } from '../../src/ports/lock.js';
import { isReconciliationLockLostError } from '../../src/reconcile/errors.js';
import type { ReconcilerBookings } from '../../src/reconcile/reconciler-options.js';
import { scheduleReconciliation, type ReconciliationSchedule } from '../../src/reconcile/schedule.js';
import { memoryWorld, slot, TENANT, type ReconcileWorld } from './reconcile-support.js';

const HOUR = 3_600_000;
const TTL = 30_000;

/** How the lock is lost while the first instance's run is stuck on an item. */
const LOSSES = [
  { name: 'the lock store is unreachable, so the lease cannot be extended', answer: 'unreachable' },
  { name: 'the lease was taken over (extend answers false)', answer: 'taken' },
] as const;

/** Lets every pending promise and 1 ms timer run. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('a reconciliation run that loses its lock', () => {
  let world: ReconcileWorld;
  const schedules: ReconciliationSchedule[] = [];
  afterEach(async () => {
    for (const schedule of schedules.splice(0)) await schedule.stop();
    await world.close();
  });

  it.each(LOSSES)('stops applying, reports it, and nothing is applied twice: $name', async ({ answer }) => {
    world = memoryWorld();
    const orphans = [];
    for (let i = 0; i < 4; i += 1) orphans.push(await world.orphan(slot(1, i)));
    await world.passGrace();
    const locks = createMemoryLockService({ clock: world.clock });

    // Instance A: its lease cannot be extended once `lockTrouble` is set.
    let lockTrouble = false;
    const troubled = (lease: LockLease): LockLease => ({
      key: lease.key,
      token: lease.token,
      extend: async (ttlMs, options) => {
        if (!lockTrouble) return lease.extend(ttlMs, options);
        if (answer === 'unreachable') throw new Error('lock store unreachable');
        return false;
      },
      release: (options) => lease.release(options),
    });
    const locksOfA: LockService = {
      acquire: async (key, options) => {
        const lease = await locks.acquire(key, options);
        return lease && troubled(lease);
      },
    };
    // A's first heal is stuck until `unstick` (a slow calendar); its commands are counted.
    const service = world.service;
    let commandsOfA = 0;
    let stuck: Promise<void> | undefined;
    let unstick: () => void = () => {};
    const bookingsOfA: ReconcilerBookings = {
      book: (command, options) => service.book(command, options),
      reschedule: (command, options) => service.reschedule(command, options),
      cancel: (command, options) => service.cancel(command, options),
      confirm: (command, options) => service.confirm(command, options),
      syncToCalendar: async (command, options) => {
        commandsOfA += 1;
        if (!stuck) {
          stuck = new Promise<void>((resolve) => (unstick = resolve));
          await stuck;
        }
        return service.syncToCalendar(command, options);
      },
    };
    const errorsOfA: unknown[] = [];
    const a = scheduleReconciliation({
      reconciler: world.reconciler({ bookings: bookingsOfA }),
      locks: locksOfA,
      tenants: [TENANT],
      clock: world.clock,
      initialDelayMs: HOUR,
      intervalMs: HOUR,
      lockTtlMs: TTL,
      onError: (error) => errorsOfA.push(error),
    });
    schedules.push(a);
    const runOfA = a.runOnce();
    for (let i = 0; i < 100 && !stuck; i += 1) await tick();
    expect(stuck).toBeDefined();

    // The lease lapses while A is stuck: four extension rounds, past the 30 s TTL.
    lockTrouble = true;
    for (let i = 0; i < 4; i += 1) {
      await world.clock.advance(TTL / 3);
      await tick();
    }

    // Instance B takes the lock and heals everything.
    const b = scheduleReconciliation({
      reconciler: world.reconciler(),
      locks,
      tenants: [TENANT],
      clock: world.clock,
      initialDelayMs: HOUR,
      intervalMs: HOUR,
      lockTtlMs: TTL,
    });
    schedules.push(b);
    const reportsOfB = await world.settle(b.runOnce());
    expect(reportsOfB).toHaveLength(1);
    expect(reportsOfB[0]?.taken.heal_remote).toBe(4);
    expect(reportsOfB[0]?.failed).toEqual([]);

    // A comes back: it sends nothing after the item it was stuck on, and says why.
    unstick();
    expect(await world.settle(runOfA)).toEqual([]);
    expect(commandsOfA).toBe(1);
    expect(errorsOfA).toHaveLength(1);
    const [lost] = errorsOfA;
    expect(isReconciliationLockLostError(lost)).toBe(true);
    if (!isReconciliationLockLostError(lost)) return;
    expect(lost.context).toMatchObject({ tenantId: TENANT, key: `bookingkit:reconcile:${TENANT}` });
    expect(lost.message).toContain(TENANT);

    // One calendar booking per orphan: nothing was created twice.
    expect(world.calendarCalls('create')).toBe(4);
    const bookings = await world.remoteBookings();
    expect(bookings).toHaveLength(4);
    for (const orphan of orphans) {
      const healed = await world.appointments.get(TENANT, orphan.id);
      expect(healed?.external.calendarBookingUid).not.toBeNull();
    }
  });
});
