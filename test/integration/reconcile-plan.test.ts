import { afterEach, describe, expect, it } from 'vitest';
import { aSagaRecord } from '../../src/testing/fixtures.js';
import { WINDOW, WORLDS, slot, TENANT, type ReconcileWorld } from './reconcile-support.js';

describe.each(WORLDS)('reconciliation plan ($name)', ({ make }) => {
  let world: ReconcileWorld;
  afterEach(async () => world.close());

  it('finds nothing to do when both sides agree, across several pages', async () => {
    world = await make();
    for (let i = 0; i < 12; i += 1) await world.book(slot(1, i));
    await world.passGrace();
    const plan = await world.reconciler().plan({ tenant: TENANT, ...WINDOW });
    expect(plan.items).toEqual([]);
    expect(plan.counts.classes.in_sync).toBe(12);
    expect(plan.listed.local).toBe(12);
    expect(plan.listed.remote).toBe(12);
    expect(plan.listed.localPages).toBeGreaterThan(2);
  });

  it('detects an orphan (local only) and a booking made in the calendar only', async () => {
    world = await make();
    await world.book(slot(1, 0));
    const orphan = await world.orphan(slot(1, 2));
    const walkIn = await world.calendarOnly(slot(1, 4));
    await world.passGrace();
    const plan = await world.reconciler().plan({ tenant: TENANT, ...WINDOW });
    expect(plan.items.map((i) => [i.class, i.cause, i.action])).toEqual([
      ['missing_remote', 'not_in_calendar', 'heal_remote'],
      ['missing_local', 'not_in_database', 'import_local'],
    ]);
    expect(plan.items[0]?.local?.id).toBe(orphan.id);
    expect(plan.items[1]?.remote?.uid).toBe(walkIn.uid);
    expect(plan.counts.classes).toMatchObject({ in_sync: 1, missing_remote: 1, missing_local: 1 });
  });

  it('classifies a cancel made in the calendar only as status drift, accepted locally by default', async () => {
    world = await make();
    const appointment = await world.book(slot(1, 0));
    await world.calendar.cancelBooking(TENANT, appointment.external.calendarBookingUid!, {
      reason: 'host ill',
    });
    await world.passGrace();
    const plan = await world.reconciler().plan({ tenant: TENANT, ...WINDOW });
    expect(plan.items.map((i) => [i.class, i.cause, i.action, i.cancels])).toEqual([
      ['status_drift', 'cancelled_in_calendar', 'accept_remote', true],
    ]);
  });

  it('reports a pair cancelled on both sides as both_cancelled, with no action', async () => {
    world = await make();
    const appointment = await world.book(slot(1, 0));
    await world.settle(
      world.service.cancel({
        tenantId: TENANT,
        origin: 'api',
        actor: { type: 'customer' },
        idempotencyKey: 'cancel-1',
        target: { appointmentId: appointment.id },
      }),
    );
    await world.passGrace();
    const plan = await world.reconciler().plan({ tenant: TENANT, ...WINDOW });
    expect(plan.items).toEqual([]);
    expect(plan.counts.classes.both_cancelled).toBe(1);
  });

  it('follows a reschedule made in the calendar (old uid cancelled, new uid) to the new booking', async () => {
    world = await make();
    const appointment = await world.book(slot(1, 0));
    // Moved two days later, beyond the pages the merge holds: found by the chain, not by time.
    const moved = await world.calendar.rescheduleBooking(TENANT, appointment.external.calendarBookingUid!, {
      ...slot(3, 6),
      reason: null,
    });
    for (let i = 1; i < 8; i += 1) await world.book(slot(2, i));
    await world.passGrace();
    const plan = await world.reconciler().plan({ tenant: TENANT, ...WINDOW });
    expect(plan.items.map((i) => [i.class, i.cause, i.action, i.local?.id, i.remote?.uid])).toEqual([
      ['time_drift', 'rescheduled_in_calendar', 'accept_remote', appointment.id, moved.uid],
    ]);
    expect(plan.counts.classes.in_sync).toBe(7);
  });

  it('follows a reschedule made in the calendar to an earlier day, read before the appointment', async () => {
    world = await make();
    const appointment = await world.book(slot(4, 0));
    const moved = await world.calendar.rescheduleBooking(TENANT, appointment.external.calendarBookingUid!, {
      ...slot(1, 3),
      reason: null,
    });
    for (let i = 1; i < 8; i += 1) await world.book(slot(2, i));
    await world.passGrace();
    const plan = await world.reconciler().plan({ tenant: TENANT, ...WINDOW });
    expect(plan.items.map((i) => [i.cause, i.local?.id, i.remote?.uid])).toEqual([
      ['rescheduled_in_calendar', appointment.id, moved.uid],
    ]);
    expect(plan.compared).toBe(8);
  });

  it('skips what is still in flight: changed within the grace period', async () => {
    world = await make();
    await world.orphan(slot(1, 2));
    await world.calendarOnly(slot(1, 4));
    const plan = await world.reconciler().plan({ tenant: TENANT, ...WINDOW });
    expect(plan.items).toEqual([]);
    expect(plan.counts.skipped.recently_changed).toBe(2);
    expect(plan.oldestSkippedUpdate).not.toBeNull();
  });

  it('skips an appointment whose saga is unfinished or whose calendar sync is queued', async () => {
    world = await make();
    const inSaga = await world.orphan(slot(1, 2));
    const queued = await world.orphan(slot(1, 4));
    await world.appointments.update(
      {
        ...queued,
        sync: { status: 'pending', attempts: 1, lastError: 'unavailable', lastAttemptAt: queued.updatedAt },
        version: queued.version + 1,
      },
      queued.version,
    );
    await world.passGrace();
    const live = aSagaRecord({
      id: `reschedule:${inSaga.id}:1`,
      tenantId: TENANT,
      state: 'running',
      input: { appointmentId: inSaga.id },
    });
    const bookings = Object.assign(Object.create(world.service) as typeof world.service, {
      coordinator: {
        list: async (query?: { states?: readonly string[] }) =>
          query?.states?.includes('running') ? [live] : [],
      },
    });
    const plan = await world.reconciler({ bookings }).plan({ tenant: TENANT, ...WINDOW });
    expect(plan.items).toEqual([]);
    expect(plan.counts.skipped).toMatchObject({ saga_unfinished: 1, sync_queued: 1 });
  });

  it('writes nothing', async () => {
    world = await make();
    await world.orphan(slot(1, 2));
    await world.calendarOnly(slot(1, 4));
    await world.passGrace();
    const before = await world.remoteBookings();
    const eventsBefore = world.events.length;
    await world.reconciler().plan({ tenant: TENANT, ...WINDOW });
    expect(await world.remoteBookings()).toEqual(before);
    expect(world.events.length).toBe(eventsBefore);
  });
});
