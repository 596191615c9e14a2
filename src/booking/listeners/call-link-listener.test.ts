import { describe, expect, it } from 'vitest';
import { createListenerHarness } from '../../../test/support/booking-listener-harness.js';
import { createBookingHarness } from '../../../test/support/booking-harness.js';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import type { Appointment } from '../../domain/appointment.js';
import { registerCallLinks } from './call-link-listener.js';
import { registerBookingListeners } from './register-booking-listeners.js';

function setup() {
  const harness = createListenerHarness();
  registerCallLinks(harness.bus, { calls: harness.stores.calls });
  const bookedIn = (appointment: Appointment, callId: string | null) =>
    harness.bus.create(
      'appointment.booked',
      {
        appointmentId: appointment.id,
        eventTypeId: appointment.eventTypeId,
        customerId: appointment.customerId,
        start: appointment.start,
        end: appointment.end,
        timeZone: appointment.timeZone,
        calendarBookingUid: null,
        bookedBy: { type: 'agent', id: 'agent-1' },
        callId,
      },
      {
        tenantId: appointment.tenantId,
        aggregateType: 'appointment',
        aggregateId: appointment.id,
        aggregateVersion: 1,
        origin: 'voice',
      },
    );
  return { ...harness, bookedIn };
}

describe('call link listener', () => {
  it('links an appointment booked during a call to the call, before and after the call is stored', async () => {
    const { stores, seedAppointment, bookedIn, publish, deliver } = setup();
    const first = await seedAppointment();
    const second = await seedAppointment();
    await publish(bookedIn(first, 'call_1'));
    await deliver();
    const placeholder = await stores.calls.get('tenant-a', 'call_1');
    expect(placeholder).toMatchObject({ status: 'registered', appointmentIds: [first.id] });
    await stores.calls.upsert('tenant-a', { event: 'call_ended', id: 'call_1', status: 'ended' });
    await publish(bookedIn(second, 'call_1'));
    await deliver();
    expect(await stores.calls.get('tenant-a', 'call_1')).toMatchObject({
      status: 'ended',
      appointmentIds: [first.id, second.id],
    });
  });

  it('adds nothing twice when an event is delivered again, and ignores bookings outside a call', async () => {
    const { stores, seedAppointment, bookedIn, publish, deliver } = setup();
    const appointment = await seedAppointment();
    const event = bookedIn(appointment, 'call_1');
    await publish(event);
    await deliver();
    const linked = await stores.calls.get('tenant-a', 'call_1');
    await publish(event);
    await publish(bookedIn(appointment, 'call_1'));
    await deliver();
    expect(await stores.calls.get('tenant-a', 'call_1')).toEqual(linked);
    await publish(bookedIn(await seedAppointment(), null));
    await deliver();
    expect((await stores.calls.list('tenant-a')).items).toHaveLength(1);
  });

  it('is registered with the booking listeners when a call repository is given', async () => {
    const harness = createListenerHarness();
    const registered = registerBookingListeners(harness.bus, {
      availability: { invalidate: () => Promise.resolve() },
      customers: harness.stores.customers,
      appointments: harness.stores.appointments,
      calls: harness.stores.calls,
    });
    const appointment = await harness.seedAppointment();
    const event = harness.booked(appointment);
    await harness.publish(
      harness.bus.create(
        'appointment.booked',
        { ...event.data, callId: 'call_9' },
        {
          tenantId: event.tenantId,
          aggregateType: 'appointment',
          aggregateId: appointment.id,
          aggregateVersion: 1,
          origin: 'voice',
        },
      ),
    );
    await harness.deliver();
    expect((await harness.stores.calls.get('tenant-a', 'call_9'))?.appointmentIds).toEqual([appointment.id]);
    registered.dispose();
  });

  it('rejects a missing call repository', () => {
    const { bus } = createListenerHarness();
    let caught: unknown;
    try {
      registerCallLinks(bus, {} as never);
    } catch (error) {
      caught = error;
    }
    expect(isInvalidOptionError(caught) && caught.message).toMatch(/registerCallLinks.*calls/s);
  });
});

describe('appointment.booked of a book in a call', () => {
  it('carries the call id of the book command, and null without one', async () => {
    const harness = createBookingHarness({ kind: 'memory' });
    const inCall = await harness.settle(harness.service.book(harness.bookCommand({ callId: 'call_42' })));
    const booked = harness.bus
      .history({ aggregateId: inCall.appointment.id })
      .find((e) => e.type === 'appointment.booked');
    expect(booked?.data).toMatchObject({ callId: 'call_42' });
    const outside = await harness.settle(
      harness.service.book(
        harness.bookCommand({
          ...harness.bookCommand(),
          start: '2026-01-06T11:00:00.000Z',
          end: '2026-01-06T11:30:00.000Z',
        }),
      ),
    );
    const bookedOutside = harness.bus
      .history({ aggregateId: outside.appointment.id })
      .find((e) => e.type === 'appointment.booked');
    expect(bookedOutside?.data).toMatchObject({ callId: null });
  });
});
