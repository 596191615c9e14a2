import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLockService } from '../../src/adapters/memory/memory-lock-service.js';
import type { Clock, TimerOptions } from '../../src/ports/clock.js';
import type { Reconciler } from '../../src/reconcile/reconciler.js';
import type { ReconciliationReport } from '../../src/reconcile/reconcile-report.js';
import { scheduleReconciliation, type ReconciliationSchedule } from '../../src/reconcile/schedule.js';
import { memoryWorld, slot, TENANT, WORLDS, type ReconcileWorld } from './reconcile-support.js';

const HOUR = 3_600_000;

describe('scheduled reconciliation', () => {
  let world: ReconcileWorld;
  const schedules: ReconciliationSchedule[] = [];
  afterEach(async () => {
    for (const schedule of schedules.splice(0)) await schedule.stop();
    await world.close();
  });

  it('runs one reconciliation when two instances are scheduled at once', async () => {
    world = memoryWorld();
    const walkIn = await world.calendarOnly(slot(1, 4));
    await world.passGrace();
    const locks = createMemoryLockService({ clock: world.clock });
    const instance = () =>
      scheduleReconciliation({
        reconciler: world.reconciler(),
        locks,
        tenants: [TENANT],
        clock: world.clock,
        initialDelayMs: HOUR,
        intervalMs: HOUR,
      });
    const a = instance();
    const b = instance();
    schedules.push(a, b);
    const [fromA, fromB] = await world.settle(Promise.all([a.runOnce(), b.runOnce()]));
    expect(fromA.length + fromB.length).toBe(1);
    expect([...fromA, ...fromB][0]?.taken.import_local).toBe(1);
    expect(await world.appointments.findByCalendarUid(TENANT, walkIn.uid)).not.toBeNull();
  });

  it('runs on its interval, never on two instances at the same time, with background timers only', async () => {
    world = memoryWorld();
    await world.calendarOnly(slot(1, 4));
    await world.passGrace();
    const locks = createMemoryLockService({ clock: world.clock });
    const timerOptions: (TimerOptions | undefined)[] = [];
    const clock: Clock = {
      now: () => world.clock.now(),
      setTimer: (callback, delayMs, options) => {
        timerOptions.push(options);
        return world.clock.setTimer(callback, delayMs, options);
      },
    };
    let running = 0;
    let mostAtOnce = 0;
    const reports: ReconciliationReport[] = [];
    for (let i = 0; i < 2; i += 1) {
      const inner = world.reconciler();
      const watched: Pick<Reconciler, 'run'> = {
        run: async (options) => {
          running += 1;
          mostAtOnce = Math.max(mostAtOnce, running);
          try {
            return await inner.run(options);
          } finally {
            running -= 1;
          }
        },
      };
      schedules.push(
        scheduleReconciliation({
          reconciler: watched,
          locks,
          tenants: async () => [TENANT],
          clock,
          intervalMs: HOUR,
          onReport: (report) => reports.push(report),
        }),
      );
    }
    await world.settle(new Promise((resolve) => setTimeout(resolve, 100)));
    const afterFirstRound = reports.length;
    expect(afterFirstRound).toBeGreaterThanOrEqual(1);
    expect(reports.reduce((sum, r) => sum + r.taken.import_local, 0)).toBe(1);
    await world.clock.advance(HOUR);
    await world.settle(new Promise((resolve) => setTimeout(resolve, 100)));
    expect(reports.length).toBeGreaterThan(afterFirstRound);
    expect(mostAtOnce).toBe(1);
    expect(timerOptions.length).toBeGreaterThan(0);
    expect(timerOptions.every((options) => options?.background === true)).toBe(true);
  });

  it('extends the lock while a run lasts longer than its lease', async () => {
    world = memoryWorld();
    const locks = createMemoryLockService({ clock: world.clock });
    let finish: () => void = () => {};
    let runs = 0;
    const slow: Pick<Reconciler, 'run'> = {
      run: async ({ tenant }) => {
        runs += 1;
        await new Promise<void>((resolve) => (finish = resolve));
        return { runId: `run-${runs}`, tenantId: tenant } as ReconciliationReport;
      },
    };
    const options = {
      reconciler: slow,
      locks,
      tenants: [TENANT],
      clock: world.clock,
      initialDelayMs: HOUR,
      intervalMs: HOUR,
      lockTtlMs: 30_000,
    };
    const a = scheduleReconciliation(options);
    const b = scheduleReconciliation(options);
    schedules.push(a, b);
    const first = a.runOnce();
    for (let i = 0; i < 12; i += 1) {
      await world.clock.advance(10_000);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    // 120 s later, four lease lengths: the lock is still held, so the other instance stays out.
    expect(await b.runOnce()).toEqual([]);
    expect(runs).toBe(1);
    finish();
    expect(await first).toHaveLength(1);
    const second = b.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 1));
    finish();
    expect(await second).toHaveLength(1);
  });
});

describe.each(WORLDS)('incremental reconciliation ($name)', ({ make }) => {
  let world: ReconcileWorld;
  afterEach(async () => world.close());

  it('runs full first, then from the cursor, then full again after a day', async () => {
    world = await make();
    for (let i = 0; i < 6; i += 1) await world.book(slot(1, i));
    await world.passGrace();
    const reconciler = world.reconciler({ cursors: world.cursors });
    const first = await world.settle(reconciler.run({ tenant: TENANT }));
    expect(first.mode).toBe('full');
    expect(first.counts.classes.in_sync).toBe(6);
    const cursor = await world.cursors.get(TENANT);
    expect(cursor?.lastFullRunAt).not.toBeNull();
    expect(cursor?.localUpdatedSince).not.toBeNull();

    await world.passGrace();
    const walkIn = await world.calendarOnly(slot(2, 3));
    await world.passGrace();
    const second = await world.settle(reconciler.run({ tenant: TENANT }));
    expect(second.mode).toBe('incremental');
    expect(second.taken.import_local).toBe(1);
    // Only what changed since the cursor was compared, not the six bookings in sync.
    expect(second.counts.classes.in_sync).toBe(0);
    expect(await world.appointments.findByCalendarUid(TENANT, walkIn.uid)).not.toBeNull();

    // The imported appointment changed; the next incremental run finds its (untagged) booking.
    await world.passGrace();
    const creates = world.calendarCalls('create');
    const quiet = await world.settle(reconciler.run({ tenant: TENANT }));
    expect(quiet.mode).toBe('incremental');
    expect(quiet.counts.classes.in_sync).toBe(1);
    expect(quiet.taken).toMatchObject({ heal_remote: 0, import_local: 0 });
    expect(world.calendarCalls('create')).toBe(creates);

    await world.clock.advance(25 * HOUR);
    const third = await world.settle(reconciler.run({ tenant: TENANT }));
    expect(third.mode).toBe('full');
    expect(third.counts.classes.in_sync).toBe(7);
    expect(third.taken.import_local).toBe(0);
  });

  it('follows a reschedule made in the calendar in an incremental run', async () => {
    world = await make();
    const appointment = await world.book(slot(1, 0));
    await world.passGrace();
    const reconciler = world.reconciler({ cursors: world.cursors });
    await world.settle(reconciler.run({ tenant: TENANT }));
    await world.passGrace();
    const moved = await world.calendar.rescheduleBooking(TENANT, appointment.external.calendarBookingUid!, {
      ...slot(3, 1),
      reason: null,
    });
    await world.passGrace();
    const report = await world.settle(reconciler.run({ tenant: TENANT }));
    expect(report.mode).toBe('incremental');
    expect(report.taken.accept_remote).toBe(1);
    const local = await world.appointments.get(TENANT, appointment.id);
    expect(local?.external.calendarBookingUid).toBe(moved.uid);
    expect(local?.start).toBe(slot(3, 1).start);
  });
});
