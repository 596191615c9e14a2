import { describe, expect, it } from 'vitest';
import {
  createBookingHarness,
  NEXT_SLOT,
  SLOT,
  type BookingHarness,
} from '../../../test/support/booking-harness.js';
import { isValidationError } from '../../errors/validation-error.js';
import type { CalendarOperation } from '../../testing/faulty-calendar-provider.js';
import type { Origin } from '../../domain/origin.js';

const WRITES: readonly CalendarOperation[] = ['createBooking', 'rescheduleBooking', 'cancelBooking'];

function writes(h: BookingHarness): Record<string, number> {
  return Object.fromEntries(WRITES.map((op) => [op, h.calendar.calls(op)]));
}

/** An appointment booked through the calendar (origin voice), and its calendar uid. */
async function booked(h: BookingHarness) {
  const { appointment } = await h.service.book(h.bookCommand());
  h.calendar.reset();
  return appointment;
}

/** A booking made directly in the calendar, to record locally. */
async function madeInCalendar(h: BookingHarness) {
  const made = await h.memoryCalendar.createBooking({
    tenantId: 'acme',
    eventTypeId: 'consult',
    ...SLOT,
    attendee: {
      name: 'Ana Example',
      email: 'ana@example.com',
      phone: null,
      locale: null,
      timeZone: 'Europe/Berlin',
    },
    metadata: { bookingkitAppointmentId: 'external' },
  });
  h.calendar.reset();
  return made;
}

const base = (origin: Origin, key: string) => ({
  tenantId: 'acme',
  origin,
  actor: { type: 'system' as const },
  idempotencyKey: key,
});

describe('the calendar mode of a command (apply / already_applied)', () => {
  describe('cancel', () => {
    const cases = [
      { origin: 'api', calendar: undefined, pushed: true },
      { origin: 'calcom', calendar: undefined, pushed: false },
      { origin: 'api', calendar: 'apply', pushed: true },
      { origin: 'api', calendar: 'already_applied', pushed: false },
      { origin: 'reconciliation', calendar: 'already_applied', pushed: false },
      { origin: 'reconciliation', calendar: 'apply', pushed: true },
      { origin: 'calcom', calendar: 'apply', pushed: true },
      { origin: 'calcom', calendar: 'already_applied', pushed: false },
    ] as const;
    for (const c of cases) {
      it(`origin ${c.origin}, calendar ${c.calendar ?? '(default)'}: ${c.pushed ? 'cancels in' : 'leaves'} the calendar`, async () => {
        const h = createBookingHarness({ kind: 'memory' });
        const appointment = await booked(h);
        const result = await h.service.cancel({
          ...base(c.origin, 'cancel-1'),
          target: { appointmentId: appointment.id },
          ...(c.calendar ? { calendar: c.calendar } : {}),
        });
        expect(result.appointment.status).toBe('cancelled');
        expect(result.calendar).toBe(c.pushed ? 'synced' : 'not_needed');
        expect(writes(h)).toEqual({
          createBooking: 0,
          rescheduleBooking: 0,
          cancelBooking: c.pushed ? 1 : 0,
        });
        const remote = await h.memoryCalendar.findBookingByAppointmentId('acme', {
          appointmentId: appointment.id,
          eventTypeId: 'consult',
          attendeeEmail: null,
          ...SLOT,
        });
        expect(remote?.status).toBe(c.pushed ? 'cancelled' : 'accepted');
      });
    }
  });

  describe('reschedule', () => {
    const cases = [
      { origin: 'api', calendar: undefined, pushed: true },
      { origin: 'calcom', calendar: undefined, pushed: false },
      { origin: 'api', calendar: 'apply', pushed: true },
      { origin: 'api', calendar: 'already_applied', pushed: false },
      { origin: 'reconciliation', calendar: 'already_applied', pushed: false },
      { origin: 'reconciliation', calendar: 'apply', pushed: true },
      { origin: 'calcom', calendar: 'apply', pushed: true },
      { origin: 'calcom', calendar: 'already_applied', pushed: false },
    ] as const;
    for (const c of cases) {
      it(`origin ${c.origin}, calendar ${c.calendar ?? '(default)'}: ${c.pushed ? 'moves' : 'leaves'} the calendar booking`, async () => {
        const h = createBookingHarness({ kind: 'memory' });
        const appointment = await booked(h);
        const uid = appointment.external.calendarBookingUid!;
        const result = await h.service.reschedule({
          ...base(c.origin, 'move-1'),
          target: { appointmentId: appointment.id },
          ...NEXT_SLOT,
          ...(c.calendar ? { calendar: c.calendar } : {}),
        });
        expect(result.appointment).toMatchObject(NEXT_SLOT);
        expect(result.calendar).toBe(c.pushed ? 'synced' : 'not_needed');
        expect(writes(h)).toEqual({
          createBooking: 0,
          rescheduleBooking: c.pushed ? 1 : 0,
          cancelBooking: 0,
        });
        if (c.pushed) expect(result.appointment.external.previousCalendarBookingUids).toEqual([uid]);
        else expect(result.appointment.external.calendarBookingUid).toBe(uid);
      });
    }

    it('already_applied records the new uid the calendar gave the moved booking', async () => {
      const h = createBookingHarness({ kind: 'memory' });
      const appointment = await booked(h);
      const uid = appointment.external.calendarBookingUid!;
      const result = await h.service.reschedule({
        ...base('reconciliation', 'move-2'),
        target: { appointmentId: appointment.id },
        ...NEXT_SLOT,
        calendar: 'already_applied',
        newCalendarBookingUid: 'moved-uid',
      });
      expect(result.appointment.external).toMatchObject({
        calendarBookingUid: 'moved-uid',
        previousCalendarBookingUids: [uid],
      });
      expect(writes(h).rescheduleBooking).toBe(0);
    });

    it('refuses a new calendar uid when the calendar is still to be moved', async () => {
      const h = createBookingHarness({ kind: 'memory' });
      const appointment = await booked(h);
      const error = await h.service
        .reschedule({
          ...base('api', 'move-3'),
          target: { appointmentId: appointment.id },
          ...NEXT_SLOT,
          newCalendarBookingUid: 'moved-uid',
        })
        .catch((e: unknown) => e);
      expect(isValidationError(error)).toBe(true);
      expect(JSON.stringify(error)).toContain('newCalendarBookingUid');
      expect(writes(h).rescheduleBooking).toBe(0);
    });
  });

  describe('book', () => {
    for (const origin of ['api', 'calcom', 'reconciliation'] as const) {
      for (const calendar of [undefined, 'already_applied'] as const) {
        it(`origin ${origin}, calendar ${calendar ?? '(default)'}, with the existing booking: records it without creating`, async () => {
          const h = createBookingHarness({ kind: 'memory' });
          const made = await madeInCalendar(h);
          const result = await h.service.book(
            h.bookCommand({
              origin,
              existingCalendarBooking: { uid: made.uid, id: made.id },
              ...(calendar ? { calendar } : {}),
            }),
          );
          expect(result.calendar).toBe('not_needed');
          expect(result.appointment.external.calendarBookingUid).toBe(made.uid);
          expect(writes(h)).toEqual({ createBooking: 0, rescheduleBooking: 0, cancelBooking: 0 });
        });
      }
    }

    for (const origin of ['api', 'reconciliation', 'calcom'] as const) {
      it(`origin ${origin}, calendar apply: creates the booking in the calendar`, async () => {
        const h = createBookingHarness({ kind: 'memory' });
        h.calendar.reset();
        const result = await h.service.book(h.bookCommand({ origin, calendar: 'apply' }));
        expect(result.calendar).toBe('synced');
        expect(writes(h)).toEqual({ createBooking: 1, rescheduleBooking: 0, cancelBooking: 0 });
      });
    }

    it('origin api by default creates the booking in the calendar', async () => {
      const h = createBookingHarness({ kind: 'memory' });
      h.calendar.reset();
      const result = await h.service.book(h.bookCommand({ origin: 'api' }));
      expect(result.calendar).toBe('synced');
      expect(writes(h).createBooking).toBe(1);
    });

    it.each([
      ['calcom', undefined],
      ['reconciliation', 'already_applied'],
      ['api', 'already_applied'],
    ] as const)(
      'origin %s, calendar %s, without the existing booking: refused, naming the field',
      async (origin, calendar) => {
        const h = createBookingHarness({ kind: 'memory' });
        h.calendar.reset();
        const error = await h.service
          .book(h.bookCommand({ origin, ...(calendar ? { calendar } : {}) }))
          .catch((e: unknown) => e);
        expect(isValidationError(error)).toBe(true);
        expect(JSON.stringify(error)).toContain('existingCalendarBooking');
        expect(writes(h).createBooking).toBe(0);
        expect(await h.stores.appointments.list('acme', { from: SLOT.start, to: SLOT.end })).toMatchObject({
          items: [],
        });
      },
    );

    it('refuses an existing booking with calendar apply (it would be created twice)', async () => {
      const h = createBookingHarness({ kind: 'memory' });
      const made = await madeInCalendar(h);
      const error = await h.service
        .book(h.bookCommand({ existingCalendarBooking: { uid: made.uid, id: made.id }, calendar: 'apply' }))
        .catch((e: unknown) => e);
      expect(isValidationError(error)).toBe(true);
      expect(JSON.stringify(error)).toContain('calendar');
      expect(writes(h).createBooking).toBe(0);
    });
  });

  it('replays a command whose calendar mode only restates its default', async () => {
    const h = createBookingHarness({ kind: 'memory' });
    const appointment = await booked(h);
    const command = { ...base('calcom', 'cancel-same'), target: { appointmentId: appointment.id } };
    const first = await h.service.cancel(command);
    const again = await h.service.cancel({ ...command, calendar: 'already_applied' });
    expect(first.replayed).toBe(false);
    expect(again.replayed).toBe(true);
  });

  it('logs the resolved mode with the saga, so a recovered saga runs it the same way', async () => {
    const h = createBookingHarness({ kind: 'memory' });
    const appointment = await booked(h);
    await h.service.reschedule({
      ...base('reconciliation', 'move-logged'),
      target: { appointmentId: appointment.id },
      ...NEXT_SLOT,
      calendar: 'already_applied',
    });
    await h.service.cancel({ ...base('api', 'cancel-logged'), target: { appointmentId: appointment.id } });
    const inputs = (await h.service.coordinator.list()).map((record) => [record.name, record.input]);
    expect(inputs).toEqual(
      expect.arrayContaining([
        [
          'bookingkit.reschedule',
          expect.objectContaining({ origin: 'reconciliation', calendar: 'already_applied' }),
        ],
        ['bookingkit.cancel', expect.objectContaining({ origin: 'api', calendar: 'apply' })],
      ]),
    );
  });

  it('a recovered saga keeps the mode it was started with, whatever its origin', async () => {
    const h = createBookingHarness({ kind: 'memory' });
    const appointment = await booked(h);
    h.calendar.hangNext('cancelBooking', 1);
    const controller = new AbortController();
    // From calcom, but told to apply: the calendar is asked to cancel, and the call hangs.
    const pending = h.service.cancel(
      { ...base('calcom', 'cancel-recovered'), target: { appointmentId: appointment.id }, calendar: 'apply' },
      { signal: controller.signal },
    );
    for (let i = 0; i < 200 && h.calendar.calls('cancelBooking') === 0; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 1));
    controller.abort(new Error('the instance died'));
    await expect(pending).rejects.toBeDefined();
    expect((await h.stores.appointments.get('acme', appointment.id))?.status).toBe('confirmed');

    await h.clock.advance(10 * 60_000); // the dead instance's lease runs out
    await h.service.recover();
    expect(h.calendar.calls('cancelBooking')).toBe(2);
    expect((await h.stores.appointments.get('acme', appointment.id))?.status).toBe('cancelled');
    const remote = await h.memoryCalendar.findBookingByAppointmentId('acme', {
      appointmentId: appointment.id,
      eventTypeId: 'consult',
      attendeeEmail: null,
      ...SLOT,
    });
    expect(remote?.status).toBe('cancelled');
  });
});
