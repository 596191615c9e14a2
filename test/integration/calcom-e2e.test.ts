import { afterEach, describe, expect, it } from 'vitest';
import { APPOINTMENT_TAG } from '../../src/ports/calendar-provider.js';
import { calcomOpenApiSkipReason } from '../support/calcom-openapi.js';
import { setUpCalcomE2e, SLOT } from './calcom-e2e-support.js';

// BookingService with the Cal.com provider against the simulator on a local port, webhooks
// delivered to createCalcomWebhookHandler, every exchange checked against the OpenAPI document.

describe.skipIf(calcomOpenApiSkipReason !== undefined)(
  `Cal.com end to end${calcomOpenApiSkipReason ? ` (skipped: ${calcomOpenApiSkipReason})` : ''}`,
  () => {
    let current: Awaited<ReturnType<typeof setUpCalcomE2e>> | undefined;
    const setUp = async () => (current = await setUpCalcomE2e());
    afterEach(async () => {
      await current?.sim.webhooks.settled();
      const problems = current?.problems ?? [];
      const refusedDeliveries = (current?.sim.webhooks.deliveries ?? []).filter(
        (d) => d.outcome.kind !== 'answered' || d.outcome.status !== 200,
      );
      await current?.close();
      current = undefined;
      // Every request the client sent and every answer the simulator gave matches the document.
      expect(problems).toEqual([]);
      // Every webhook the simulator sent was taken (2xx) by the handler.
      expect(refusedDeliveries.map((d) => [d.triggerEvent, d.outcome])).toEqual([]);
    });

    it('books through BookingService: one Cal.com booking, tagged, and its webhook imports nothing', async () => {
      const { book, sim, kit, handled } = await setUp();
      const { appointment } = await book();
      expect(appointment.status).toBe('confirmed');
      const [remote, ...others] = sim.bookings();
      expect(others).toEqual([]);
      expect(remote).toMatchObject({ status: 'accepted', start: SLOT.start, end: SLOT.end });
      expect(remote?.metadata[APPOINTMENT_TAG]).toBe(appointment.id);
      expect(appointment.external.calendarBookingUid).toBe(remote?.uid);
      await sim.webhooks.settled();
      expect(sim.webhooks.deliveries.map((d) => [d.triggerEvent, d.outcome])).toEqual([
        ['BOOKING_CREATED', { kind: 'answered', status: 200 }],
      ]);
      expect(handled).toHaveLength(1);
      const page = await kit.stores.appointments.list('acme', { limit: 10 });
      expect(page.items.map((a) => a.id)).toEqual([appointment.id]);
    });

    it('reschedules through BookingService to a new Cal.com uid; the webhook moves nothing twice', async () => {
      const { book, sim, kit, settle, calls } = await setUp();
      const { appointment } = await book();
      const firstUid = appointment.external.calendarBookingUid;
      const later = { start: '2026-01-06T11:00:00.000Z', end: '2026-01-06T11:30:00.000Z' };
      const moved = await settle(
        kit.service.reschedule({
          tenantId: 'acme',
          origin: 'api',
          actor: { type: 'customer' },
          idempotencyKey: 'e2e-move-1',
          target: { appointmentId: appointment.id },
          ...later,
        }),
      );
      await sim.webhooks.settled();
      expect(moved.appointment).toMatchObject({ ...later, status: 'confirmed' });
      expect(moved.appointment.external.previousCalendarBookingUids).toEqual([firstUid]);
      const newUid = moved.appointment.external.calendarBookingUid;
      expect(sim.bookings().map((b) => [b.uid, b.status, b.rescheduledToUid ?? null])).toEqual([
        [firstUid, 'cancelled', newUid],
        [newUid, 'accepted', null],
      ]);
      expect(calls('POST', /\/reschedule$/)).toHaveLength(1);
      const stored = await kit.stores.appointments.get('acme', appointment.id);
      expect(stored).toMatchObject({ ...later, status: 'confirmed' });
      expect((await kit.stores.appointments.list('acme', { limit: 10 })).items).toHaveLength(1);
    });

    it('cancels locally when the booking is cancelled in Cal.com, without an echo back', async () => {
      const { book, sim, client, kit, settle, calls } = await setUp();
      await kit.start();
      const { appointment } = await book();
      await sim.webhooks.settled();
      await client.bookings.cancel('acme', appointment.external.calendarBookingUid!, {
        cancellationReason: 'Host is ill',
      });
      await sim.webhooks.settled();
      const cancelled = await kit.stores.appointments.get('acme', appointment.id);
      expect(cancelled).toMatchObject({ status: 'cancelled', origin: 'calcom' });
      // Let the outbox relay and every listener run: none sends the cancel back to Cal.com.
      await settle(new Promise((resolve) => setTimeout(resolve, 50)));
      expect(calls('POST', /\/cancel$/)).toHaveLength(1);
      expect(sim.bookings().map((b) => b.status)).toEqual(['cancelled']);
    });

    it('never makes two Cal.com bookings when the answer to a create is lost', async () => {
      for (const as of ['drop', 502] as const) {
        const { book, sim, calls } = await setUp();
        sim.faults.loseResponseNext(1, { method: 'POST', path: /^\/v2\/bookings$/, as });
        const { appointment } = await book();
        expect(appointment.status).toBe('confirmed');
        // The create was carried out and sent once; the saga found it by its tag instead.
        expect(calls('POST', /^\/v2\/bookings$/)).toHaveLength(1);
        expect(calls('GET', /^\/v2\/bookings$/).length).toBeGreaterThanOrEqual(1);
        expect(sim.bookings()).toHaveLength(1);
        expect(appointment.external.calendarBookingUid).toBe(sim.bookings()[0]?.uid);
        const problems = [...current!.problems];
        await current!.close();
        current = undefined;
        expect(problems).toEqual([]);
      }
    });

    it('absorbs bursts of 429s on reads and on the create: the booking goes through, once', async () => {
      const { book, sim, calls, exchanges } = await setUp();
      sim.faults.rateLimitNext(2, { method: 'GET', resetSeconds: 5 });
      sim.faults.rateLimitNext(1, { method: 'POST', path: /^\/v2\/bookings$/, resetSeconds: 5 });
      const { appointment } = await book();
      expect(appointment.status).toBe('confirmed');
      const refused = exchanges.filter((e) => e.response?.status === 429);
      expect(refused.map((e) => e.request.method)).toEqual(['GET', 'GET', 'POST']);
      // The refused create was not carried out; the one sent after Cal.com's reset was.
      expect(calls('POST', /^\/v2\/bookings$/).map((e) => e.response?.status)).toEqual([429, 201]);
      expect(sim.bookings()).toHaveLength(1);
      expect(appointment.external.calendarBookingUid).toBe(sim.bookings()[0]?.uid);
    });

    it('keeps under Cal.com’s 120 requests a minute instead of collecting 429s', async () => {
      const { calendar, settle, exchanges } = await setUp();
      const reads = Array.from({ length: 130 }, () =>
        calendar.getAvailableSlots('acme', { eventTypeId: '1001', from: SLOT.start, to: SLOT.end }),
      );
      const slots = await settle(Promise.all(reads));
      expect(slots.every((free) => free.length === 1)).toBe(true);
      expect(exchanges.filter((e) => e.response?.status === 429)).toEqual([]);
    });
  },
);
