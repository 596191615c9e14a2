import { afterEach, expect, it } from 'vitest';
import { APPOINTMENT_TAG } from '../../src/ports/calendar-provider.js';
import { describeOnDatabases } from './postgres-test-database.js';
import { memoryWorld, slot, TENANT, WINDOW, type ReconcileWorld } from './reconcile-support.js';

describeOnDatabases('reconciliation on Postgres stores', (database) => {
  let world: ReconcileWorld;
  afterEach(async () => world.close());

  it('plans every class over pages and heals it; a second plan finds nothing', async () => {
    world = memoryWorld({ kind: 'postgres', sql: database().sql, schema: database().schema });
    for (let i = 0; i < 6; i += 1) await world.book(slot(2, i));
    const orphan = await world.orphan(slot(1, 0));
    const walkIn = await world.calendarOnly(slot(1, 2));
    const cancelled = await world.book(slot(1, 4));
    await world.calendar.cancelBooking(TENANT, cancelled.external.calendarBookingUid!, { reason: null });
    const moved = await world.book(slot(1, 6));
    const movedTo = await world.calendar.rescheduleBooking(TENANT, moved.external.calendarBookingUid!, {
      ...slot(3, 3),
      reason: null,
    });
    await world.passGrace();
    const reconciler = world.reconciler();
    const plan = await reconciler.plan({ tenant: TENANT, ...WINDOW });
    expect(plan.items.map((i) => [i.cause, i.action]).sort()).toEqual(
      [
        ['not_in_calendar', 'heal_remote'],
        ['not_in_database', 'import_local'],
        ['cancelled_in_calendar', 'accept_remote'],
        ['rescheduled_in_calendar', 'accept_remote'],
      ].sort(),
    );
    expect(plan.counts.classes.in_sync).toBe(6);
    const report = await world.settle(reconciler.apply(plan, { force: true }));
    expect(report.failed).toEqual([]);
    expect(
      (await world.remoteBookings()).filter((b) => b.metadata[APPOINTMENT_TAG] === orphan.id),
    ).toHaveLength(1);
    expect(await world.appointments.findByCalendarUid(TENANT, walkIn.uid)).not.toBeNull();
    expect((await world.appointments.get(TENANT, cancelled.id))?.status).toBe('cancelled');
    expect((await world.appointments.get(TENANT, moved.id))?.external.calendarBookingUid).toBe(movedTo.uid);
    await world.passGrace();
    const again = await reconciler.plan({ tenant: TENANT, ...WINDOW });
    expect(again.items).toEqual([]);
  });
});
