import { afterEach, describe, expect, it } from 'vitest';
import type { Appointment } from '../../src/domain/appointment.js';
import { APPOINTMENT_TAG } from '../../src/ports/calendar-provider.js';
import { calcomWorld, memoryWorld, slot, TENANT, WINDOW, type ReconcileWorld } from './reconcile-support.js';

const ACCEPT_LOCAL = { actions: { moved: 'accept_local' } } as const;

/** The calendar's active bookings tagged with the appointment. */
const activeTagged = async (world: ReconcileWorld, appointmentId: string) =>
  (await world.remoteBookings()).filter(
    (b) =>
      b.metadata[APPOINTMENT_TAG] === appointmentId && (b.status === 'accepted' || b.status === 'pending'),
  );

/** Moves the appointment locally, as a change whose calendar sync never happened: same uid. */
async function moveLocally(
  world: ReconcileWorld,
  appointment: Appointment,
  to: { start: string; end: string },
) {
  await world.appointments.update(
    {
      ...appointment,
      ...to,
      version: appointment.version + 1,
      updatedAt: new Date(world.clock.now()).toISOString(),
    },
    appointment.version,
  );
}

const WITH_WEBHOOKS: readonly { readonly name: string; readonly make: () => Promise<ReconcileWorld> }[] = [
  { name: 'memory calendar', make: async () => memoryWorld() },
  { name: 'Cal.com simulator, its webhooks delivered', make: () => calcomWorld({ webhooks: true }) },
];

describe.each(WITH_WEBHOOKS)('accept_local of a time drift ($name)', ({ make }) => {
  let world: ReconcileWorld;
  afterEach(async () => world.close());

  /** Lets the simulator's webhooks reach the handler, and what they start finish. */
  const webhooksDone = async () => {
    if (world.sim) await world.settle(world.sim.webhooks.settled());
    await world.settle(new Promise((resolve) => setTimeout(resolve, 5)));
  };

  it('moves the calendar booking to the local time, once, and the echo changes nothing', async () => {
    world = await make();
    const booked = await world.book(slot(1, 0));
    await webhooksDone();
    const appointment = (await world.appointments.get(TENANT, booked.id))!;
    await moveLocally(world, appointment, slot(1, 3));
    await world.passGrace();
    const reconciler = world.reconciler({ policy: ACCEPT_LOCAL });
    const plan = await reconciler.plan({ tenant: TENANT, ...WINDOW });
    expect(plan.items.map((i) => [i.class, i.cause, i.action, i.local?.id])).toEqual([
      ['time_drift', 'moved', 'accept_local', appointment.id],
    ]);
    const creates = world.calendarCalls('create');
    const cancels = world.calendarCalls('cancel');
    const reschedules = world.calendarCalls('reschedule');

    const report = await world.settle(reconciler.apply(plan));
    expect(report.failed).toEqual([]);
    expect(report.taken.accept_local).toBe(1);
    await webhooksDone();

    // The calendar took the local time: one reschedule, nothing created or cancelled by hand.
    expect(world.calendarCalls('reschedule')).toBe(reschedules + 1);
    expect(world.calendarCalls('create')).toBe(creates);
    expect(world.calendarCalls('cancel')).toBe(cancels);
    const [remote, ...others] = await activeTagged(world, appointment.id);
    expect(others).toEqual([]);
    expect(remote).toMatchObject(slot(1, 3));
    const healed = await world.appointments.get(TENANT, appointment.id);
    expect(healed).toMatchObject({ ...slot(1, 3), status: 'confirmed' });
    expect(healed?.external.calendarBookingUid).toBe(remote?.uid);
    if (world.sim) {
      // The calendar's webhook about that reschedule reached the handler and was accepted.
      const rescheduled = world.sim.webhooks.deliveries.filter(
        (d) => d.triggerEvent === 'BOOKING_RESCHEDULED',
      );
      expect(rescheduled.map((d) => d.outcome)).toEqual([{ kind: 'answered', status: 200 }]);
    }

    // No loop: the echo neither moved the appointment nor sent anything to the calendar.
    const afterEcho = await world.appointments.get(TENANT, appointment.id);
    expect(afterEcho).toMatchObject({ ...slot(1, 3), version: healed?.version });
    expect(world.calendarCalls('reschedule')).toBe(reschedules + 1);
    // One reschedule event: the reconciliation's own; the echo did not reschedule again.
    const rescheduledEvents = () =>
      world.events.filter(
        (e) =>
          e.type === 'appointment.rescheduled' &&
          (e.data as { appointmentId?: string }).appointmentId === appointment.id,
      ).length;
    expect(rescheduledEvents()).toBe(1);

    // Idempotent: the same plan applied again replays; a new run finds nothing to do.
    await world.settle(reconciler.apply(plan));
    await world.passGrace();
    const again = await reconciler.plan({ tenant: TENANT, ...WINDOW });
    expect(again.items).toEqual([]);
    expect(again.counts.classes.in_sync).toBe(1);
    await world.settle(reconciler.apply(again));
    await webhooksDone();
    expect(world.calendarCalls('reschedule')).toBe(reschedules + 1);
    expect(rescheduledEvents()).toBe(1);
    expect(await activeTagged(world, appointment.id)).toHaveLength(1);
  });
});
