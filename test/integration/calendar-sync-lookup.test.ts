import { describe, expect, it } from 'vitest';
import { createBookingHarness, NEXT_SLOT } from '../support/booking-harness.js';

type Harness = ReturnType<typeof createBookingHarness>;

const serviceUnavailable = () => Object.assign(new Error('Service Unavailable'), { status: 503 });

/** The calendar's bookings of January that still hold their time. */
async function activeBookings(h: Harness) {
  const page = await h.memoryCalendar.listBookings('acme', {
    from: '2026-01-01T00:00:00.000Z',
    to: '2026-02-01T00:00:00.000Z',
  });
  return page.items.filter((b) => b.status !== 'cancelled');
}

/** Books, then moves to `NEXT_SLOT` while the calendar is down (every attempt fails): queued. */
async function bookThenMoveWhileDown(h: Harness) {
  const { appointment } = await h.service.book(h.bookCommand());
  h.calendar.failNext('rescheduleBooking', serviceUnavailable(), 3);
  const moved = await h.settle(
    h.service.reschedule({
      tenantId: 'acme',
      origin: 'api',
      actor: { type: 'customer' },
      idempotencyKey: 'move-while-down',
      target: { appointmentId: appointment.id },
      ...NEXT_SLOT,
    }),
  );
  expect(moved.calendar).toBe('queued');
  return { appointment, firstUid: appointment.external.calendarBookingUid! };
}

/** The calendar is back: faults dropped, the breaker past its open period. */
async function calendarBack(h: Harness): Promise<void> {
  h.calendar.reset();
  await h.clock.advance(60_000);
}

// The calendar sync looks a booking up in the appointment's window; one the calendar still holds
// at the old time (the move was queued) goes by the uid the appointment recorded.
describe('calendar sync of a move queued while the calendar was down', () => {
  it('moves the booking the calendar still holds at the old time, rather than booking a second', async () => {
    const h = createBookingHarness({ kind: 'memory' }, { policy: 'queue' });
    const { appointment, firstUid } = await bookThenMoveWhileDown(h);
    await calendarBack(h);
    await h.drain();
    const active = await activeBookings(h);
    expect(active.map((b) => [b.start, b.rescheduledFromUid])).toEqual([[NEXT_SLOT.start, firstUid]]);
    expect(h.calendar.calls('createBooking')).toBe(0);
    const synced = await h.stores.appointments.get('acme', appointment.id);
    expect(synced).toMatchObject({ sync: { status: 'synced' } });
    expect(synced?.external.calendarBookingUid).toBe(active[0]?.uid);
  });

  it('cancels the booking still at the old time when the moved appointment was cancelled too', async () => {
    const h = createBookingHarness({ kind: 'memory' }, { policy: 'queue' });
    const { appointment, firstUid } = await bookThenMoveWhileDown(h);
    h.calendar.failNext('cancelBooking', serviceUnavailable(), 3);
    await h.settle(
      h.service.cancel({
        tenantId: 'acme',
        origin: 'api',
        actor: { type: 'customer' },
        idempotencyKey: 'cancel-while-down',
        target: { appointmentId: appointment.id },
        reason: 'changed my mind',
      }),
    );
    await calendarBack(h);
    await h.drain();
    expect(await activeBookings(h)).toEqual([]);
    expect(h.calendar.calls('createBooking')).toBe(0);
    const synced = await h.stores.appointments.get('acme', appointment.id);
    expect(synced).toMatchObject({ status: 'cancelled', sync: { status: 'synced' } });
    expect(synced?.external.calendarBookingUid).toBe(firstUid);
  });
});
