import { expect, it } from 'vitest';
import { createBookingHarness, SLOT, type Backend, type BookingHarness } from '../support/booking-harness.js';
import { APPOINTMENT_TAG } from '../../src/ports/calendar-provider.js';
import { aCustomer, anAppointment } from '../../src/testing/fixtures.js';
import { isCalendarSlotUnavailableError } from '../../src/booking/errors.js';
import { isCalendarUnavailableError } from '../../src/booking/service/errors.js';
import type { Appointment } from '../../src/domain/appointment.js';

const serviceUnavailable = () => Object.assign(new Error('Service Unavailable'), { status: 503 });

/** A confirmed appointment of `acme` that the calendar does not have (its booking was lost). */
async function localOnly(h: BookingHarness, overrides: Partial<Appointment> = {}): Promise<Appointment> {
  const customer = aCustomer({ tenantId: 'acme', name: 'Ana Example', email: 'ana@example.com' });
  await h.stores.customers.insert(customer);
  const appointment = anAppointment({
    tenantId: 'acme',
    eventTypeId: 'consult',
    resourceId: 'consult',
    customerId: customer.id,
    ...SLOT,
    ...overrides,
  });
  await h.stores.appointments.insert(appointment);
  return appointment;
}

const command = (appointment: Appointment, key = `sync:${appointment.id}`) => ({
  tenantId: 'acme',
  origin: 'reconciliation' as const,
  actor: { type: 'system' as const },
  idempotencyKey: key,
  target: { appointmentId: appointment.id },
});

const lookup = (appointment: Appointment) => ({
  appointmentId: appointment.id,
  eventTypeId: appointment.eventTypeId,
  start: appointment.start,
  end: appointment.end,
  attendeeEmail: null,
});

async function syncFailures(h: BookingHarness) {
  const messages = await h.stores.outbox.list({ tenantId: 'acme', limit: 1000 });
  return messages
    .filter((m) => m.eventType === 'appointment.sync_failed')
    .map((m) => (JSON.parse(m.payload) as { data: unknown }).data);
}

/** The cases of `BookingService.syncToCalendar`, on the given backend. */
export function syncToCalendarScenarios(backend: () => Backend): void {
  it('creates the booking once when the calendar does not have it, and records its uid', async () => {
    const h = createBookingHarness(backend());
    const appointment = await localOnly(h);
    const result = await h.service.syncToCalendar(command(appointment));
    expect(h.calendar.calls('findBookingByAppointmentId')).toBe(1);
    expect(h.calendar.calls('createBooking')).toBe(1);
    const remote = await h.memoryCalendar.findBookingByAppointmentId('acme', lookup(appointment));
    expect(remote).toMatchObject({
      status: 'accepted',
      ...SLOT,
      metadata: { [APPOINTMENT_TAG]: appointment.id },
    });
    expect(remote?.attendee).toMatchObject({ name: 'Ana Example', email: 'ana@example.com' });
    expect(result).toMatchObject({
      calendar: 'synced',
      replayed: false,
      appointment: {
        id: appointment.id,
        status: 'confirmed',
        version: 2,
        external: { calendarBookingUid: remote!.uid, calendarBookingId: remote!.id },
        sync: { status: 'synced', lastError: null },
      },
    });
    expect(await h.stores.appointments.get('acme', appointment.id)).toEqual(result.appointment);

    // Another run (another key) finds it: nothing created, nothing written.
    const again = await h.service.syncToCalendar(command(appointment, 'another-run'));
    expect(h.calendar.calls('createBooking')).toBe(1);
    expect(again).toMatchObject({ calendar: 'synced', replayed: false, appointment: { version: 2 } });
  });

  it('adopts the booking the calendar has under the appointment’s tag, without creating one', async () => {
    const h = createBookingHarness(backend());
    const appointment = await localOnly(h);
    const made = await h.memoryCalendar.createBooking({
      tenantId: 'acme',
      eventTypeId: 'consult',
      ...SLOT,
      attendee: {
        name: 'Ana',
        email: 'ana@example.com',
        phone: null,
        locale: null,
        timeZone: 'Europe/Berlin',
      },
      metadata: { [APPOINTMENT_TAG]: appointment.id },
    });
    const result = await h.service.syncToCalendar(command(appointment));
    expect(h.calendar.calls('createBooking')).toBe(0);
    expect(result.appointment).toMatchObject({
      version: 2,
      external: { calendarBookingUid: made.uid, calendarBookingId: made.id, previousCalendarBookingUids: [] },
      sync: { status: 'synced' },
    });
    expect(result.calendar).toBe('synced');
  });

  it('keeps a uid it replaces among the previous ones', async () => {
    const h = createBookingHarness(backend());
    const appointment = await localOnly(h, {
      external: { calendarBookingUid: 'gone-uid', calendarBookingId: '9', previousCalendarBookingUids: [] },
    });
    const result = await h.service.syncToCalendar(command(appointment));
    expect(h.calendar.calls('createBooking')).toBe(1);
    expect(result.appointment.external.previousCalendarBookingUids).toEqual(['gone-uid']);
    expect(result.appointment.external.calendarBookingUid).not.toBe('gone-uid');
  });

  it('creates a new booking when the tagged one was cancelled in the calendar', async () => {
    const h = createBookingHarness(backend());
    const { appointment } = await h.service.book(h.bookCommand());
    const oldUid = appointment.external.calendarBookingUid!;
    await h.memoryCalendar.cancelBooking('acme', oldUid, { reason: 'by mistake' });
    h.calendar.reset();
    const result = await h.service.syncToCalendar(command(appointment));
    expect(h.calendar.calls('createBooking')).toBe(1);
    const remote = await h.memoryCalendar.findBookingByAppointmentId('acme', lookup(appointment));
    expect(remote).toMatchObject({ status: 'accepted' });
    expect(result.appointment.external).toMatchObject({
      calendarBookingUid: remote!.uid,
      previousCalendarBookingUids: [oldUid],
    });
  });

  it('replays a second command with the same key: the calendar is not asked again', async () => {
    const h = createBookingHarness(backend());
    const appointment = await localOnly(h);
    const first = await h.service.syncToCalendar(command(appointment));
    const second = await h.service.syncToCalendar(command(appointment));
    expect(second.replayed).toBe(true);
    expect(second.appointment).toEqual(first.appointment);
    expect(h.calendar.calls('findBookingByAppointmentId')).toBe(1);
    expect(h.calendar.calls('createBooking')).toBe(1);
  });

  it('answers a cancelled appointment as it is: nothing to push', async () => {
    const h = createBookingHarness(backend());
    const appointment = await localOnly(h, { status: 'cancelled' });
    const result = await h.service.syncToCalendar(command(appointment));
    expect(result).toMatchObject({
      calendar: 'not_needed',
      appointment: { version: 1, status: 'cancelled' },
    });
    expect(h.calendar.calls('findBookingByAppointmentId') + h.calendar.calls('createBooking')).toBe(0);
  });

  it('fails with CalendarUnavailableError when the calendar is down, loses nothing, and a retry completes it', async () => {
    const h = createBookingHarness(backend());
    const appointment = await localOnly(h);
    h.calendar.failNext('createBooking', serviceUnavailable(), 1);
    const error = await h.service.syncToCalendar(command(appointment)).catch((e: unknown) => e);
    expect(isCalendarUnavailableError(error)).toBe(true);
    expect(error).toMatchObject({ context: { tenantId: 'acme', operation: 'create' } });
    expect(await h.stores.appointments.get('acme', appointment.id)).toEqual(appointment);
    expect(await syncFailures(h)).toEqual([
      expect.objectContaining({ appointmentId: appointment.id, operation: 'create', willRetry: false }),
    ]);

    const retried = await h.service.syncToCalendar(command(appointment));
    expect(retried).toMatchObject({
      calendar: 'synced',
      replayed: false,
      appointment: { sync: { status: 'synced' } },
    });
    expect(h.calendar.calls('createBooking')).toBe(2);
    const remote = await h.memoryCalendar.findBookingByAppointmentId('acme', lookup(appointment));
    expect(retried.appointment.external.calendarBookingUid).toBe(remote!.uid);
  });

  it('a create whose answer was lost is found by the retry, not made twice', async () => {
    const h = createBookingHarness(backend());
    const appointment = await localOnly(h);
    h.calendar.loseResponseNext('createBooking', 1, serviceUnavailable());
    await expect(h.service.syncToCalendar(command(appointment))).rejects.toSatisfy(
      isCalendarUnavailableError,
    );
    const retried = await h.service.syncToCalendar(command(appointment));
    expect(h.calendar.calls('createBooking')).toBe(1);
    const listed = await h.memoryCalendar.listBookings('acme', { from: SLOT.start, to: SLOT.end });
    expect(listed.items.filter((b) => b.status !== 'cancelled')).toHaveLength(1);
    expect(retried.appointment.external.calendarBookingUid).toBe(listed.items[0]!.uid);
  });

  it('fails the same way when the lookup itself fails, before creating anything', async () => {
    const h = createBookingHarness(backend());
    const appointment = await localOnly(h);
    h.calendar.failNext('findBookingByAppointmentId', serviceUnavailable(), 1);
    await expect(h.service.syncToCalendar(command(appointment))).rejects.toSatisfy(
      isCalendarUnavailableError,
    );
    expect(h.calendar.calls('createBooking')).toBe(0);
    expect(await h.stores.appointments.get('acme', appointment.id)).toEqual(appointment);
  });

  it('passes a refusal of the calendar on as it is (the time is taken there)', async () => {
    const h = createBookingHarness(backend());
    const appointment = await localOnly(h);
    h.calendar.failNextAs('createBooking', 'slot_taken', 1);
    const error = await h.service.syncToCalendar(command(appointment)).catch((e: unknown) => e);
    expect(isCalendarSlotUnavailableError(error)).toBe(true);
    expect(await h.stores.appointments.get('acme', appointment.id)).toEqual(appointment);
    expect(await syncFailures(h)).toHaveLength(1);
  });
}
