import { afterEach, describe, expect, it } from 'vitest';
import { APPOINTMENT_TAG } from '../../src/ports/calendar-provider.js';
import { anAppointment } from '../../src/testing/fixtures.js';
import { WINDOW, WORLDS, slot, TENANT, type ReconcileWorld } from './reconcile-support.js';

const activeTagged = async (world: ReconcileWorld, appointmentId: string) =>
  (await world.remoteBookings()).filter(
    (b) =>
      b.metadata[APPOINTMENT_TAG] === appointmentId && (b.status === 'accepted' || b.status === 'pending'),
  );

describe.each(WORLDS)('reconciliation apply ($name)', ({ make }) => {
  let world: ReconcileWorld;
  afterEach(async () => world.close());

  it('heals an orphan: the appointment is created in the calendar, once', async () => {
    world = await make();
    const orphan = await world.orphan(slot(1, 2));
    await world.passGrace();
    const reconciler = world.reconciler();
    const plan = await reconciler.plan({ tenant: TENANT, ...WINDOW });
    expect(plan.items.map((i) => [i.class, i.action])).toEqual([['missing_remote', 'heal_remote']]);
    const report = await world.settle(reconciler.apply(plan));
    expect(report.failed).toEqual([]);
    expect(report.taken.heal_remote).toBe(1);
    const [remote, ...others] = await activeTagged(world, orphan.id);
    expect(others).toEqual([]);
    expect(remote).toMatchObject({ start: orphan.start, end: orphan.end });
    const healed = await world.appointments.get(TENANT, orphan.id);
    expect(healed?.external.calendarBookingUid).toBe(remote?.uid);
    expect(world.events.filter((e) => e.type === 'reconciliation.healed').map((e) => e.data)).toEqual([
      expect.objectContaining({ kind: 'missing_remote', action: 'heal_remote', appointmentId: orphan.id }),
    ]);
    // Applying the same plan again replays: still one booking.
    await world.settle(reconciler.apply(plan));
    expect(await activeTagged(world, orphan.id)).toHaveLength(1);
  });

  it('imports a booking made in the calendar only, creating nothing there', async () => {
    world = await make();
    const walkIn = await world.calendarOnly(slot(1, 4));
    await world.passGrace();
    const creates = world.calendarCalls('create');
    const reconciler = world.reconciler();
    const report = await world.settle(reconciler.apply(await reconciler.plan({ tenant: TENANT, ...WINDOW })));
    expect(report.failed).toEqual([]);
    expect(report.taken.import_local).toBe(1);
    expect(world.calendarCalls('create')).toBe(creates);
    const imported = await world.appointments.findByCalendarUid(TENANT, walkIn.uid);
    expect(imported).toMatchObject({
      status: 'confirmed',
      start: walkIn.start,
      end: walkIn.end,
      origin: 'reconciliation',
    });
    await world.passGrace();
    const again = await reconciler.plan({ tenant: TENANT, ...WINDOW });
    expect(again.items).toEqual([]);
    expect(again.counts.classes.in_sync).toBe(1);
  });

  it('flags different times for manual review (default policy) and changes neither side', async () => {
    world = await make();
    const appointment = await world.book(slot(1, 0));
    // The local side moved on its own (a sync that never happened): same uid, other times.
    await world.appointments.update(
      {
        ...appointment,
        ...slot(1, 3),
        version: appointment.version + 1,
        updatedAt: new Date(world.clock.now()).toISOString(),
      },
      appointment.version,
    );
    await world.passGrace();
    const before = await world.remoteBookings();
    const reconciler = world.reconciler();
    const plan = await reconciler.plan({ tenant: TENANT, ...WINDOW });
    expect(plan.items.map((i) => [i.class, i.cause, i.action])).toEqual([
      ['time_drift', 'moved', 'flag_manual_review'],
    ]);
    const report = await world.settle(reconciler.apply(plan));
    expect(report.taken.flag_manual_review).toBe(1);
    expect(await world.remoteBookings()).toEqual(before);
    expect((await world.appointments.get(TENANT, appointment.id))?.start).toBe(slot(1, 3).start);
    const flagged = world.events.filter((e) => e.type === 'appointment.manual_review_required');
    expect(flagged.map((e) => e.data)).toEqual([
      expect.objectContaining({ appointmentId: appointment.id, reason: expect.stringContaining('moved') }),
    ]);
    expect(world.events.some((e) => e.type === 'reconciliation.drift_detected')).toBe(true);
  });

  it('cancels locally what was cancelled in the calendar only, without an echo to the calendar', async () => {
    world = await make();
    const appointment = await world.book(slot(1, 0));
    await world.calendar.cancelBooking(TENANT, appointment.external.calendarBookingUid!, {
      reason: 'host ill',
    });
    await world.passGrace();
    const cancels = world.calendarCalls('cancel');
    const reconciler = world.reconciler();
    const report = await world.settle(reconciler.apply(await reconciler.plan({ tenant: TENANT, ...WINDOW })));
    expect(report.failed).toEqual([]);
    expect(report.taken.accept_remote).toBe(1);
    expect(await world.appointments.get(TENANT, appointment.id)).toMatchObject({
      status: 'cancelled',
      origin: 'reconciliation',
    });
    expect(world.calendarCalls('cancel')).toBe(cancels);
    const cancelled = world.events.find((e) => e.type === 'appointment.cancelled');
    expect(cancelled?.origin).toBe('reconciliation');
  });

  it('follows a reschedule chain made in the calendar and moves the appointment to it, without an echo', async () => {
    world = await make();
    const appointment = await world.book(slot(1, 0));
    const oldUid = appointment.external.calendarBookingUid!;
    const moved = await world.calendar.rescheduleBooking(TENANT, oldUid, { ...slot(3, 2), reason: null });
    const again = await world.calendar.rescheduleBooking(TENANT, moved.uid, { ...slot(4, 1), reason: null });
    await world.passGrace();
    const reschedules = world.calendarCalls('reschedule');
    const reconciler = world.reconciler();
    const plan = await reconciler.plan({ tenant: TENANT, ...WINDOW });
    expect(plan.items.map((i) => [i.cause, i.remote?.uid])).toEqual([['rescheduled_in_calendar', again.uid]]);
    const report = await world.settle(reconciler.apply(plan));
    expect(report.failed).toEqual([]);
    const local = await world.appointments.get(TENANT, appointment.id);
    expect(local).toMatchObject({ ...slot(4, 1), status: 'confirmed' });
    expect(local?.external.calendarBookingUid).toBe(again.uid);
    expect(local?.external.previousCalendarBookingUids).toContain(oldUid);
    expect(world.calendarCalls('reschedule')).toBe(reschedules);
    expect(await activeTagged(world, appointment.id)).toHaveLength(1);
    await world.passGrace();
    expect((await reconciler.plan({ tenant: TENANT, ...WINDOW })).items).toEqual([]);
  });

  it('confirms locally an appointment still pending that the calendar accepted', async () => {
    world = await make();
    const remote = await world.calendarOnly(slot(1, 6));
    const now = new Date(world.clock.now()).toISOString();
    const pending = anAppointment({
      tenantId: TENANT,
      eventTypeId: world.eventTypeId,
      resourceId: world.eventTypeId,
      start: remote.start,
      end: remote.end,
      status: 'pending',
      external: {
        calendarBookingUid: remote.uid,
        calendarBookingId: remote.id,
        previousCalendarBookingUids: [],
      },
      sync: { status: 'synced', attempts: 1, lastError: null, lastAttemptAt: now },
      createdAt: now,
      updatedAt: now,
    });
    await world.appointments.insert(pending);
    await world.passGrace();
    const reconciler = world.reconciler();
    const plan = await reconciler.plan({ tenant: TENANT, ...WINDOW });
    expect(plan.items.map((i) => [i.class, i.cause, i.action])).toEqual([
      ['status_drift', 'pending_locally', 'accept_remote'],
    ]);
    const report = await world.settle(reconciler.apply(plan));
    expect(report.failed).toEqual([]);
    expect((await world.appointments.get(TENANT, pending.id))?.status).toBe('confirmed');
  });

  it('completes on a second run what the calendar failed during the first, with no duplicate bookings', async () => {
    world = await make();
    const orphans = [];
    for (let i = 0; i < 4; i += 1) orphans.push(await world.orphan(slot(2, i * 2)));
    await world.passGrace();
    const reconciler = world.reconciler();
    world.failCalendarCreates(1);
    world.loseCalendarCreateResponse();
    const first = await world.settle(reconciler.apply(await reconciler.plan({ tenant: TENANT, ...WINDOW })));
    expect(first.failed.length).toBeGreaterThan(0);
    expect(first.failed.every((f) => f.retryable)).toBe(true);
    await world.passGrace();
    const second = await world.settle(reconciler.apply(await reconciler.plan({ tenant: TENANT, ...WINDOW })));
    expect(second.failed).toEqual([]);
    for (const orphan of orphans) {
      const remote = await activeTagged(world, orphan.id);
      expect(remote).toHaveLength(1);
      expect((await world.appointments.get(TENANT, orphan.id))?.external.calendarBookingUid).toBe(
        remote[0]?.uid,
      );
    }
    await world.passGrace();
    expect((await reconciler.plan({ tenant: TENANT, ...WINDOW })).items).toEqual([]);
  });
});
