import { expect, it } from 'vitest';
import {
  isCalendarOutsideBookingHoursError,
  isCalendarRequestRejectedError,
  isSlotConflictError,
} from '../../src/booking/errors.js';
import { isCalendarUnavailableError } from '../../src/booking/service/errors.js';
import { isNotFoundError } from '../../src/errors/store-errors.js';
import { isValidationError } from '../../src/errors/validation-error.js';
import { isSagaCompensatedError } from '../../src/saga/saga-errors.js';
import { TimeoutError } from '../../src/resilience/errors.js';
import { isSagaFailedError } from '../../src/saga/saga-errors.js';
import { isUnknownTenantError } from '../../src/tenancy/errors.js';
import { createBookingHarness, NEXT_SLOT, SLOT, type Backend } from '../support/booking-harness.js';

async function calendarBookings(h: ReturnType<typeof createBookingHarness>) {
  const page = await h.memoryCalendar.listBookings('acme', {
    from: '2026-01-01T00:00:00.000Z',
    to: '2026-02-01T00:00:00.000Z',
  });
  return page.items.filter((b) => b.status !== 'cancelled');
}

type Harness = ReturnType<typeof createBookingHarness>;

/** Every saga record (the Postgres saga table outlives a test: compare counts). */
async function sagaCount(h: Harness, states?: Parameters<Harness['service']['coordinator']['list']>[0]) {
  return (await h.service.coordinator.list({ limit: 10_000, ...states })).length;
}

const serviceUnavailable = () => Object.assign(new Error('Service Unavailable'), { status: 503 });

/**
 * Keeps the calendar down for one booking whose create failed once: each of the calendar step's
 * three runs looks the booking up after the failure, and each retry looks it up before creating,
 * so five look-ups fail (and no second create is tried).
 */
function failEveryLookUp(h: Harness, error: unknown): void {
  h.calendar.failNext('findBookingByAppointmentId', error, 5);
}

/**
 * The calendar is back: the faults still queued are dropped (and the call counts zeroed), and the
 * breaker, opened by five failures in a row, is past its open period (60 s) and lets calls through.
 */
async function calendarBack(h: Harness): Promise<void> {
  h.calendar.reset();
  await h.clock.advance(60_000);
}

/**
 * The failure scenarios a booking backend meets, declared once and run on every backend.
 */
export function bookingScenarios(backend: () => Backend): void {
  it('books: holds, creates the calendar booking tagged with the appointment, confirms, publishes', async () => {
    const h = createBookingHarness(backend());
    const booked: string[] = [];
    h.bus.on('appointment.booked', (event) => void booked.push(event.data.appointmentId));
    const result = await h.service.book(h.bookCommand());
    expect(result).toMatchObject({
      calendar: 'synced',
      replayed: false,
      appointment: { status: 'confirmed', ...SLOT },
    });
    const [booking] = await calendarBookings(h);
    expect(booking?.metadata.bookingkitAppointmentId).toBe(result.appointment.id);
    expect(result.appointment.external.calendarBookingUid).toBe(booking?.uid);
    expect(booked).toEqual([result.appointment.id]);
  });

  it('releases the hold and leaves no orphan when the calendar step fails', async () => {
    const h = createBookingHarness(backend());
    h.calendar.failNext('createBooking', new Error('calendar bug'), 3);
    await expect(h.settle(h.service.book(h.bookCommand()))).rejects.toThrow(/calendar bug/);
    expect(await calendarBookings(h)).toEqual([]);
    const page = await h.stores.appointments.list('acme', {});
    expect(page.items.map((a) => a.status)).toEqual(['cancelled']);
    // The slot is free again: a new booking of it succeeds.
    await expect(h.service.book(h.bookCommand())).resolves.toMatchObject({ calendar: 'synced' });
  });

  it('cancels the calendar booking when the confirm step fails after the calendar booked', async () => {
    const h = createBookingHarness(backend());
    const realUpdate = h.stores.unitOfWork.run.bind(h.stores.unitOfWork);
    let failConfirm = true;
    h.stores.unitOfWork.run = (work, options) =>
      realUpdate(async (tx) => {
        const result = await work({
          ...tx,
          appointments: {
            ...tx.appointments,
            update: async (appointment, version, updateOptions) => {
              if (failConfirm && appointment.status === 'confirmed') throw new Error('database went away');
              return tx.appointments.update(appointment, version, updateOptions);
            },
          },
        });
        return result;
      }, options);
    await expect(h.settle(h.service.book(h.bookCommand()))).rejects.toThrow(/database went away/);
    failConfirm = false;
    expect(await calendarBookings(h)).toEqual([]);
    expect(h.calendar.calls('cancelBooking')).toBe(1);
    const page = await h.stores.appointments.list('acme', {});
    expect(page.items.map((a) => a.status)).toEqual(['cancelled']);
  });

  it('flags manual review when a compensation keeps failing', async () => {
    const h = createBookingHarness(backend());
    const reviews: string[] = [];
    h.bus.on('appointment.manual_review_required', (event) => void reviews.push(event.data.reason));
    const run = h.stores.unitOfWork.run.bind(h.stores.unitOfWork);
    h.stores.unitOfWork.run = (work, options) =>
      run(
        (tx) =>
          work({
            ...tx,
            appointments: {
              ...tx.appointments,
              update: async (appointment, version, o) => {
                if (appointment.status === 'confirmed') throw new Error('database went away');
                return tx.appointments.update(appointment, version, o);
              },
            },
          }),
        options,
      );
    h.calendar.failNext('cancelBooking', new Error('calendar refuses to cancel'), 100);
    const error = await h.settle(h.service.book(h.bookCommand()), 5_000).catch((caught: unknown) => caught);
    expect(isSagaFailedError(error)).toBe(true);
    expect(reviews).toHaveLength(1);
    const sagas = await h.service.coordinator.list({ states: ['compensation_failed'] });
    expect(sagas).toHaveLength(1);
  });

  it('has one effect for the same command sent twice', async () => {
    const h = createBookingHarness(backend());
    const command = h.bookCommand({ idempotencyKey: 'call-42:book' });
    const first = await h.service.book(command);
    const second = await h.service.book(command);
    expect(second.replayed).toBe(true);
    expect(second.appointment.id).toBe(first.appointment.id);
    expect(h.calendar.calls('createBooking')).toBe(1);
    expect((await h.stores.appointments.list('acme', {})).items).toHaveLength(1);
  });

  it('lets one of two concurrent books of a slot win and offers the other alternatives', async () => {
    const h = createBookingHarness(backend());
    const outcomes = await Promise.allSettled([
      h.service.book(h.bookCommand({ customer: { name: 'A', email: 'a@example.com' } })),
      h.service.book(h.bookCommand({ customer: { name: 'B', email: 'b@example.com' } })),
    ]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const conflict: unknown = lost[0]?.reason;
    expect(isSlotConflictError(conflict)).toBe(true);
    if (!isSlotConflictError(conflict)) return;
    expect(conflict.context.alternatives.length).toBeGreaterThan(0);
    expect(conflict.context.alternatives.some((slot) => slot.start === SLOT.start)).toBe(false);
    expect(await calendarBookings(h)).toHaveLength(1);
  });

  it('does not echo a cancellation that came from Cal.com back to Cal.com', async () => {
    const h = createBookingHarness(backend());
    const { appointment } = await h.service.book(h.bookCommand());
    const uid = appointment.external.calendarBookingUid!;
    await h.memoryCalendar.cancelBooking('acme', uid, { reason: 'cancelled in Cal.com' });
    const cancelsBefore = h.calendar.calls('cancelBooking');
    const result = await h.service.cancel({
      tenantId: 'acme',
      origin: 'calcom',
      actor: { type: 'customer' },
      idempotencyKey: `calcom:BOOKING_CANCELLED:${uid}`,
      target: { calendarBookingUid: uid },
      reason: 'cancelled in Cal.com',
    });
    expect(result).toMatchObject({
      calendar: 'not_needed',
      appointment: { status: 'cancelled', origin: 'calcom' },
    });
    expect(h.calendar.calls('cancelBooking')).toBe(cancelsBefore);
  });

  it('invalidates availability for every command from every origin', async () => {
    const h = createBookingHarness(backend());
    const day = { start: '2026-01-06T00:00:00.000Z', end: '2026-01-07T00:00:00.000Z' };
    const free = async (slot: { start: string }) =>
      (await h.availability.getSlots('acme', 'consult', day)).some((s) => s.start === slot.start);
    for (const origin of ['api', 'voice', 'admin', 'reconciliation'] as const) {
      expect(await free(SLOT)).toBe(true); // cached now
      const { appointment } = await h.service.book(h.bookCommand({ origin }));
      await h.drain();
      expect(await free(SLOT), `booked via ${origin}`).toBe(false);
      await h.service.reschedule({
        tenantId: 'acme',
        origin,
        actor: { type: 'staff' },
        idempotencyKey: `r-${origin}`,
        target: { appointmentId: appointment.id },
        ...NEXT_SLOT,
      });
      await h.drain();
      expect(await free(SLOT), `rescheduled via ${origin}: old slot free`).toBe(true);
      expect(await free(NEXT_SLOT), `rescheduled via ${origin}: new slot taken`).toBe(false);
      await h.service.cancel({
        tenantId: 'acme',
        origin,
        actor: { type: 'staff' },
        idempotencyKey: `c-${origin}`,
        target: { appointmentId: appointment.id },
      });
      await h.drain();
      expect(await free(NEXT_SLOT), `cancelled via ${origin}`).toBe(true);
    }
    // origin calcom: the booking exists in the calendar already and is recorded locally.
    expect(await free(SLOT)).toBe(true);
    const made = await h.memoryCalendar.createBooking({
      tenantId: 'acme',
      eventTypeId: 'consult',
      ...SLOT,
      attendee: {
        name: 'Walk-in',
        email: 'walk@example.com',
        phone: null,
        timeZone: 'Europe/Berlin',
        locale: null,
      },
      metadata: { bookingkitAppointmentId: 'external' },
    });
    await h.service.book(
      h.bookCommand({ origin: 'calcom', existingCalendarBooking: { uid: made.uid, id: made.id } }),
    );
    await h.drain();
    expect(await free(SLOT), 'booked via calcom').toBe(false);
  });

  it('keeps the appointment pending under the queue policy and syncs once the calendar is back', async () => {
    const h = createBookingHarness(backend(), { policy: 'queue' });
    h.calendar.failNext('createBooking', serviceUnavailable(), 1);
    failEveryLookUp(h, serviceUnavailable());
    const result = await h.settle(h.service.book(h.bookCommand()));
    expect(result).toMatchObject({
      calendar: 'queued',
      appointment: { status: 'pending', sync: { status: 'pending' } },
    });
    await calendarBack(h);
    await h.drain();
    const synced = await h.stores.appointments.get('acme', result.appointment.id);
    expect(synced).toMatchObject({ status: 'confirmed', sync: { status: 'synced' } });
    expect(await calendarBookings(h)).toHaveLength(1);
  });

  it('never books twice when the create succeeded but its answer was lost', async () => {
    const h = createBookingHarness(backend(), { policy: 'queue' });
    h.calendar.loseResponseNext('createBooking', 1, new TimeoutError({ timeoutMs: 10_000 }));
    const result = await h.service.book(h.bookCommand());
    await h.drain();
    expect(await calendarBookings(h)).toHaveLength(1);
    expect(h.calendar.calls('createBooking')).toBe(1);
    const stored = await h.stores.appointments.get('acme', result.appointment.id);
    expect(stored?.status).toBe('confirmed');
  });

  it('looks the lost booking up again in the background sync instead of creating it twice', async () => {
    const h = createBookingHarness(backend(), { policy: 'queue' });
    h.calendar.loseResponseNext('createBooking', 1, new TimeoutError({ timeoutMs: 10_000 }));
    failEveryLookUp(h, serviceUnavailable());
    const result = await h.settle(h.service.book(h.bookCommand()));
    expect(result.calendar).toBe('queued');
    expect(h.calendar.calls('createBooking')).toBe(1);
    await calendarBack(h);
    await h.drain();
    expect(h.calendar.calls('createBooking')).toBe(0);
    expect(await calendarBookings(h)).toHaveLength(1);
    const stored = await h.stores.appointments.get('acme', result.appointment.id);
    expect(stored).toMatchObject({ status: 'confirmed', sync: { status: 'synced' } });
    expect(stored?.external.calendarBookingUid).toBe((await calendarBookings(h))[0]?.uid);
  });

  it('tells the caller and releases the hold under the fail policy when the calendar stays down', async () => {
    const h = createBookingHarness(backend(), { policy: 'fail' });
    const badGateway = () => Object.assign(new Error('Bad Gateway'), { status: 502 });
    h.calendar.failNext('createBooking', badGateway(), 1);
    failEveryLookUp(h, badGateway());
    const error = await h.settle(h.service.book(h.bookCommand())).catch((caught: unknown) => caught);
    expect(isCalendarUnavailableError(error)).toBe(true);
    const page = await h.stores.appointments.list('acme', {});
    expect(page.items.map((a) => a.status)).toEqual(['cancelled']);
  });

  it('reschedules in the calendar, keeping the chain of uids', async () => {
    const h = createBookingHarness(backend());
    const { appointment } = await h.service.book(h.bookCommand());
    const firstUid = appointment.external.calendarBookingUid;
    const moved = await h.service.reschedule({
      tenantId: 'acme',
      origin: 'api',
      actor: { type: 'customer' },
      idempotencyKey: 'move-1',
      target: { appointmentId: appointment.id },
      ...NEXT_SLOT,
    });
    expect(moved.appointment).toMatchObject({ ...NEXT_SLOT, status: 'confirmed' });
    expect(moved.appointment.external.previousCalendarBookingUids).toEqual([firstUid]);
    const bookings = await calendarBookings(h);
    expect(bookings.map((b) => [b.uid, b.start])).toEqual([
      [moved.appointment.external.calendarBookingUid, NEXT_SLOT.start],
    ]);
    const byOldUid = await h.stores.appointments.findByCalendarUid('acme', firstUid!);
    expect(byOldUid?.id).toBe(appointment.id);
  });

  it('confirms pending appointments, marks no-shows, and refuses invalid transitions', async () => {
    const h = createBookingHarness(backend(), { policy: 'queue' });
    h.calendar.failNext('createBooking', new TimeoutError({ timeoutMs: 1 }), 1);
    failEveryLookUp(h, new TimeoutError({ timeoutMs: 1 }));
    const { appointment } = await h.settle(h.service.book(h.bookCommand()));
    const base = { tenantId: 'acme', origin: 'admin' as const, actor: { type: 'staff' as const } };
    await expect(
      h.service.markNoShow({ ...base, idempotencyKey: 'ns-0', target: { appointmentId: appointment.id } }),
    ).rejects.toThrow(/Cannot mark as no-show/);
    const confirmed = await h.service.confirm({
      ...base,
      idempotencyKey: 'c-1',
      target: { appointmentId: appointment.id },
    });
    expect(confirmed.appointment.status).toBe('confirmed');
    await expect(
      h.service.markNoShow({ ...base, idempotencyKey: 'ns-1', target: { appointmentId: appointment.id } }),
    ).rejects.toThrow(/not yet started/);
    await h.clock.advanceTo(Date.parse(SLOT.end));
    const noShow = await h.service.markNoShow({
      ...base,
      idempotencyKey: 'ns-2',
      target: { appointmentId: appointment.id },
    });
    expect(noShow.appointment.status).toBe('no_show');
    await expect(
      h.service.reschedule({
        ...base,
        idempotencyKey: 'r',
        target: { appointmentId: appointment.id },
        ...NEXT_SLOT,
      }),
    ).rejects.toThrow(/Cannot reschedule/);
  });

  it('rejects unknown tenants and appointments, never falling back', async () => {
    const h = createBookingHarness(backend());
    const error = await h.service
      .book(h.bookCommand({ tenantId: 'nobody' }))
      .catch((caught: unknown) => caught);
    expect(isUnknownTenantError(error)).toBe(true);
    const missing = await h.service
      .cancel({
        tenantId: 'acme',
        origin: 'api',
        actor: { type: 'staff' },
        idempotencyKey: 'x',
        target: { appointmentId: 'nope' },
      })
      .catch((caught: unknown) => caught);
    expect(isNotFoundError(missing)).toBe(true);
    await expect(h.service.book({ ...h.bookCommand(), start: 'tomorrow' })).rejects.toThrow(
      /Invalid book command: start/,
    );
  });

  it('refuses an unknown event type before writing anything: no customer, no hold, no saga', async () => {
    const h = createBookingHarness(backend());
    const sagasBefore = await sagaCount(h);
    const error = await h
      .settle(h.service.book(h.bookCommand({ eventTypeId: 'massage' })))
      .catch((caught: unknown) => caught);
    expect(isValidationError(error)).toBe(true);
    if (!isValidationError(error)) return;
    expect(error.context.issues.map((issue) => issue.path)).toEqual(['eventTypeId']);
    expect(error.message).toMatch(/massage/);
    expect((await h.stores.appointments.list('acme', {})).items).toEqual([]);
    expect(await h.stores.customers.findByEmail('acme', 'ana@example.com')).toBeNull();
    expect(await sagaCount(h)).toBe(sagasBefore);
    expect(h.calendar.calls('createBooking')).toBe(0);
  });

  it('refuses a duration that does not match the event type, naming end', async () => {
    const h = createBookingHarness(backend());
    const sagasBefore = await sagaCount(h);
    const error = await h
      .settle(h.service.book(h.bookCommand({ start: SLOT.start, end: '2026-01-06T09:45:00.000Z' })))
      .catch((caught: unknown) => caught);
    expect(isValidationError(error)).toBe(true);
    if (!isValidationError(error)) return;
    expect(error.context.issues.map((issue) => issue.path)).toEqual(['end']);
    expect(error.message).toMatch(/30 minutes/);
    expect((await h.stores.appointments.list('acme', {})).items).toEqual([]);
    expect(await h.stores.customers.findByEmail('acme', 'ana@example.com')).toBeNull();
    expect(await sagaCount(h)).toBe(sagasBefore);
  });

  it('refuses a reschedule to a duration that does not match the event type', async () => {
    const h = createBookingHarness(backend());
    const { appointment } = await h.service.book(h.bookCommand());
    const error = await h
      .settle(
        h.service.reschedule({
          tenantId: 'acme',
          origin: 'api',
          actor: { type: 'customer' },
          idempotencyKey: 'move-long',
          target: { appointmentId: appointment.id },
          start: NEXT_SLOT.start,
          end: '2026-01-06T11:00:00.000Z',
        }),
      )
      .catch((caught: unknown) => caught);
    expect(isValidationError(error) && error.context.issues.map((issue) => issue.path)).toEqual(['end']);
    expect(await h.stores.appointments.get('acme', appointment.id)).toMatchObject({
      ...SLOT,
      version: appointment.version,
    });
    expect(h.calendar.calls('rescheduleBooking')).toBe(0);
  });

  it('finds an event type added to the calendar after the list was cached', async () => {
    const h = createBookingHarness(backend());
    await h.service.book(h.bookCommand());
    h.memoryCalendar.addEventType({
      tenantId: 'acme',
      id: 'long-consult',
      durationMinutes: 60,
      timeZone: 'Europe/Berlin',
      weeklyHours: { tuesday: [{ start: '09:00', end: '17:00' }] },
    });
    const result = await h.service.book(
      h.bookCommand({
        eventTypeId: 'long-consult',
        start: '2026-01-06T13:00:00.000Z',
        end: '2026-01-06T14:00:00.000Z',
      }),
    );
    expect(result).toMatchObject({ calendar: 'synced', appointment: { status: 'confirmed' } });
    expect(h.calendar.calls('listEventTypes')).toBe(2);
  });

  it('asks the calendar for the event types once per cache period', async () => {
    const h = createBookingHarness(backend());
    await h.service.book(h.bookCommand());
    await h.service.book(h.bookCommand(NEXT_SLOT));
    expect(h.calendar.calls('listEventTypes')).toBe(1);
  });

  it('does not block a booking on the event-type list when the calendar cannot list them', async () => {
    const h = createBookingHarness(backend());
    h.calendar.failNext('listEventTypes', serviceUnavailable(), 1);
    const result = await h.service.book(h.bookCommand());
    expect(result).toMatchObject({ calendar: 'synced', appointment: { status: 'confirmed' } });
  });

  it('reports a time outside the bookable hours as such, and releases the hold', async () => {
    const h = createBookingHarness(backend());
    // Sunday: the event type is closed.
    const sunday = { start: '2026-01-11T09:00:00.000Z', end: '2026-01-11T09:30:00.000Z' };
    const error = await h.settle(h.service.book(h.bookCommand(sunday))).catch((caught: unknown) => caught);
    expect(isCalendarOutsideBookingHoursError(error)).toBe(true);
    expect(isSlotConflictError(error)).toBe(false);
    expect(isSagaCompensatedError(error)).toBe(false);
    expect(String((error as Error).message)).toMatch(/outside/);
    expect(h.calendar.calls('createBooking')).toBe(1);
    const page = await h.stores.appointments.list('acme', {});
    expect(page.items.map((a) => a.status)).toEqual(['cancelled']);
  });

  it('never retries a request the calendar refuses for good, and says so', async () => {
    const h = createBookingHarness(backend());
    h.calendar.failNext('createBooking', Object.assign(new Error('Not Found'), { status: 404 }), 3);
    const error = await h.settle(h.service.book(h.bookCommand())).catch((caught: unknown) => caught);
    expect(isCalendarRequestRejectedError(error)).toBe(true);
    expect(isSagaCompensatedError(error)).toBe(false);
    expect(h.calendar.calls('createBooking')).toBe(1);
    const page = await h.stores.appointments.list('acme', {});
    expect(page.items.map((a) => a.status)).toEqual(['cancelled']);
  });

  it('speaks each calendar refusal class of the fault injector', async () => {
    const h = createBookingHarness(backend());
    h.calendar.failNextAs('createBooking', 'not_found');
    const notFound = await h.settle(h.service.book(h.bookCommand())).catch((caught: unknown) => caught);
    expect(isCalendarRequestRejectedError(notFound) && notFound.context.reason).toBe('not_found');
    h.calendar.failNextAs('createBooking', 'outside_hours');
    const closed = await h.settle(h.service.book(h.bookCommand())).catch((caught: unknown) => caught);
    expect(isCalendarOutsideBookingHoursError(closed)).toBe(true);
    h.calendar.failNextAs('createBooking', 'slot_taken');
    const taken = await h.settle(h.service.book(h.bookCommand())).catch((caught: unknown) => caught);
    expect(isSlotConflictError(taken)).toBe(true);
    expect(h.calendar.calls('createBooking')).toBe(3);
  });

  it('retries a transient calendar failure before giving up on the calendar', async () => {
    const h = createBookingHarness(backend(), { policy: 'fail' });
    h.calendar.failNext('createBooking', serviceUnavailable(), 1);
    const result = await h.settle(h.service.book(h.bookCommand()));
    expect(result).toMatchObject({ calendar: 'synced', appointment: { status: 'confirmed' } });
    expect(h.calendar.calls('createBooking')).toBe(2);
    expect(await calendarBookings(h)).toHaveLength(1);
  });

  it('retries a transient failure of the calendar cancel instead of failing the cancellation at once', async () => {
    const h = createBookingHarness(backend(), { policy: 'fail' });
    const { appointment } = await h.service.book(h.bookCommand());
    h.calendar.failNext('cancelBooking', serviceUnavailable(), 1);
    const result = await h.settle(
      h.service.cancel({
        tenantId: 'acme',
        origin: 'api',
        actor: { type: 'customer' },
        idempotencyKey: `cancel-${appointment.id}`,
        target: { appointmentId: appointment.id },
      }),
    );
    expect(result).toMatchObject({ calendar: 'synced', appointment: { status: 'cancelled' } });
    expect(h.calendar.calls('cancelBooking')).toBe(2);
    expect(await calendarBookings(h)).toHaveLength(0);
  });

  it('flags a queued sync for review at once when the calendar refuses it for good', async () => {
    const h = createBookingHarness(backend(), { policy: 'queue' });
    h.calendar.failNext('createBooking', serviceUnavailable(), 3);
    failEveryLookUp(h, serviceUnavailable());
    const result = await h.settle(h.service.book(h.bookCommand()));
    expect(result).toMatchObject({ calendar: 'queued', appointment: { status: 'pending' } });
    await calendarBack(h);
    h.calendar.failNextAs('createBooking', 'outside_hours');
    await h.drain();
    const flagged = await h.stores.appointments.get('acme', result.appointment.id);
    expect(flagged).toMatchObject({ sync: { status: 'manual_review' } });
    expect(h.calendar.calls('createBooking')).toBe(1);
  });

  it('leaves no saga record behind for a booking that lost the slot at the hold', async () => {
    const h = createBookingHarness(backend());
    const compensatedBefore = await sagaCount(h, { states: ['compensated'] });
    const outcomes = await Promise.allSettled(
      ['a', 'b', 'c', 'd'].map((who) =>
        h.service.book(h.bookCommand({ customer: { name: who, email: `${who}@example.com` } })),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const lost of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
      expect(isSlotConflictError(lost.reason)).toBe(true);
    }
    expect(await sagaCount(h, { states: ['compensated'] })).toBe(compensatedBefore);
  });
}
