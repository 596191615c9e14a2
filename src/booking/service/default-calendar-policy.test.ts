import { describe, expect, it } from 'vitest';
import { createBookingHarness, type BookingHarness } from '../../../test/support/booking-harness.js';

/** Runs `work` to its end, moving the fake clock on by the policy's timeout while it hangs. */
async function settled(h: BookingHarness, work: Promise<unknown>): Promise<unknown> {
  let done = false;
  const outcome = work.then(
    (value) => value,
    (error: unknown) => error,
  );
  void outcome.finally(() => (done = true));
  for (let step = 0; step < 20 && !done; step += 1) await h.clock.advance(10_000);
  return outcome;
}

describe('the default calendar policy of the booking service', () => {
  it('counts calendar calls that time out against its breaker, which opens and then spares the calendar', async () => {
    const h = createBookingHarness({ kind: 'memory' });
    // Cal.com hangs: every call would wait for ever.
    for (const operation of ['createBooking', 'findBookingByAppointmentId', 'listEventTypes'] as const)
      h.calendar.hangNext(operation, 1_000);
    const creates: number[] = [];
    for (let attempt = 0; attempt < 8; attempt += 1) {
      await settled(h, h.service.book(h.bookCommand()));
      creates.push(h.calendar.calls('createBooking'));
    }
    // Each call timed out after 10 s; once the breaker opened, a book no longer reached the calendar.
    const reachedAfterOpen = creates.at(-1)! - creates.at(-4)!;
    expect(creates.at(-1)).toBeGreaterThan(0);
    expect(reachedAfterOpen, `createBooking calls after each book: ${creates.join(', ')}`).toBe(0);
  });
});
