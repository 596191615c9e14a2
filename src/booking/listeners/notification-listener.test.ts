import { describe, expect, it } from 'vitest';
import { createListenerHarness } from '../../../test/support/booking-listener-harness.js';
import { createMemoryNotifier } from '../../adapters/memory/memory-notifier.js';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import type { Notifier } from '../../ports/notifier.js';
import { registerNotifications, type NotificationListenerOptions } from './notification-listener.js';

function setup(options: NotificationListenerOptions = {}, notifier: Notifier = createMemoryNotifier()) {
  const harness = createListenerHarness();
  registerNotifications(
    harness.bus,
    { notifier, customers: harness.stores.customers, appointments: harness.stores.appointments },
    options,
  );
  return { ...harness, notifier: notifier as ReturnType<typeof createMemoryNotifier> };
}

describe('notification listener', () => {
  it('emails the customer about a booking, keyed by event id and template', async () => {
    const { notifier, seedAppointment, booked, publish, deliver } = setup();
    const appointment = await seedAppointment({ email: 'ana@example.com', name: 'Ana', locale: 'de-DE' });
    const event = booked(appointment, 'voice');
    await publish(event);
    await deliver();
    expect(notifier.sent()).toEqual([
      {
        tenantId: 'tenant-a',
        channel: 'email',
        recipient: 'ana@example.com',
        template: 'appointment.booked',
        idempotencyKey: `${event.id}:appointment.booked`,
        data: {
          appointmentId: appointment.id,
          eventTypeId: appointment.eventTypeId,
          start: appointment.start,
          end: appointment.end,
          timeZone: 'Europe/Berlin',
          customerName: 'Ana',
          locale: 'de-DE',
          origin: 'voice',
        },
      },
    ]);
  });

  it('texts a customer who has only a phone number', async () => {
    const { notifier, seedAppointment, booked, publish, deliver } = setup();
    await publish(booked(await seedAppointment({ email: null, phone: '+493012345678' })));
    await deliver();
    expect(notifier.sent().map((n) => [n.channel, n.recipient])).toEqual([['sms', '+493012345678']]);
  });

  it('tells about a reschedule and a cancellation, finding the customer through the appointment', async () => {
    const { notifier, seedAppointment, rescheduled, cancelled, publish, deliver } = setup();
    const appointment = await seedAppointment({ email: 'ana@example.com' });
    const to = { start: '2026-01-07T10:00:00.000Z', end: '2026-01-07T10:30:00.000Z' };
    await publish(rescheduled(appointment, to));
    await publish(cancelled(appointment));
    await deliver();
    const [moved, dropped] = notifier.sent();
    expect(moved).toMatchObject({
      template: 'appointment.rescheduled',
      recipient: 'ana@example.com',
      data: {
        start: to.start,
        previousStart: appointment.start,
        previousEnd: appointment.end,
        reason: 'customer asked',
      },
    });
    expect(dropped).toMatchObject({
      template: 'appointment.cancelled',
      data: { reason: 'ill', timeZone: 'Europe/Berlin' },
    });
  });

  it('reaches a merged customer through the customer they were merged into', async () => {
    const { notifier, stores, seedAppointment, booked, publish, deliver } = setup();
    const appointment = await seedAppointment({ email: null, phone: null });
    const survivor = {
      ...(await stores.customers.get('tenant-a', appointment.customerId!))!,
      id: 'survivor',
      email: 'survivor@example.com',
    };
    await stores.customers.insert(survivor);
    const merged = (await stores.customers.get('tenant-a', appointment.customerId!))!;
    await stores.customers.update({ ...merged, mergedInto: 'survivor', version: 2 }, 1);
    await publish(booked(appointment));
    await deliver();
    expect(notifier.sent().map((n) => n.recipient)).toEqual(['survivor@example.com']);
  });

  it('skips, without failing the delivery, an appointment without customer and a customer without contact', async () => {
    const { notifier, relay, seedAppointment, booked, publish } = setup();
    await publish(booked(await seedAppointment(null)));
    await publish(booked(await seedAppointment({ email: null, phone: null })));
    expect(await relay.runOnce()).toMatchObject({ claimed: 2, delivered: 2 });
    expect(notifier.sent()).toEqual([]);
  });

  it('skips the origins it is told to, and routes as it is told', async () => {
    const { notifier, seedAppointment, booked, publish, deliver } = setup({
      skipOrigins: ['calcom'],
      route: (customer) => (customer.phone ? { channel: 'whatsapp', recipient: customer.phone } : null),
    });
    await publish(booked(await seedAppointment({ phone: '+493012345678' }), 'calcom'));
    await publish(booked(await seedAppointment({ phone: '+493087654321' }), 'api'));
    await deliver();
    expect(notifier.sent().map((n) => [n.channel, n.recipient])).toEqual([['whatsapp', '+493087654321']]);
  });

  it('lets the outbox retry a notifier that failed, and sends once', async () => {
    const memory = createMemoryNotifier();
    let failures = 1;
    const flaky: Notifier = {
      send: async (notification, options) => {
        if (failures-- > 0) throw new Error('SMTP 451');
        return memory.send(notification, options);
      },
    };
    const { relay, clock, seedAppointment, booked, publish } = setup({}, flaky);
    await publish(booked(await seedAppointment({ email: 'ana@example.com' })));
    expect(await relay.runOnce()).toMatchObject({ retried: 1 });
    expect(await relay.runOnce()).toMatchObject({ claimed: 0 });
    await clock.advance(1_000);
    expect(await relay.runOnce()).toMatchObject({ delivered: 1 });
    expect(memory.sent().map((n) => n.recipient)).toEqual(['ana@example.com']);
  });

  it('rejects missing dependencies and a bad route', () => {
    const { bus, stores } = createListenerHarness();
    const deps = {
      notifier: createMemoryNotifier(),
      customers: stores.customers,
      appointments: stores.appointments,
    };
    const error = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (caught) {
        return caught;
      }
      return undefined;
    };
    expect(
      isInvalidOptionError(
        error(() => registerNotifications(bus, { ...deps, notifier: undefined as never })),
      ),
    ).toBe(true);
    expect(
      isInvalidOptionError(
        error(() => registerNotifications(bus, { ...deps, appointments: undefined as never })),
      ),
    ).toBe(true);
    expect(
      isInvalidOptionError(error(() => registerNotifications(bus, deps, { route: 'email' as never }))),
    ).toBe(true);
  });
});
