import { describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../../src/errors/invalid-option-error.js';
import { isIdempotencyInProgressError } from '../../src/idempotency/errors.js';
import { createBookingHarness, type Backend, type HarnessOptions } from '../support/booking-harness.js';
import { describeOnDatabases } from './postgres-test-database.js';

/**
 * A voice agent's function call or a webhook retried while the first delivery is still being
 * handled: the duplicate carries the same idempotency key.
 */
function duplicateScenarios(backend: () => Backend): void {
  const harness = (options: HarnessOptions = {}) => createBookingHarness(backend(), options);

  it('refuses an idempotencyWaitMs that is not a non-negative integer, naming the option', () => {
    for (const bad of [-1, 1.5, Number.NaN]) {
      let error: unknown;
      try {
        harness({ idempotencyWaitMs: bad });
      } catch (caught) {
        error = caught;
      }
      expect(isInvalidOptionError(error) && error.message).toMatch(/idempotencyWaitMs/);
    }
  });

  it('lets a concurrent duplicate wait for the first book and answers it the same appointment', async () => {
    const h = harness();
    const command = h.bookCommand({ idempotencyKey: 'call-1:book' });
    // Small clock steps: the database works in real time while the duplicate waits in fake time.
    const [first, second] = await h.settle(
      Promise.all([h.service.book(command), h.service.book({ ...command })]),
      5,
    );
    expect([first.replayed, second.replayed].sort()).toEqual([false, true]);
    expect(second.appointment).toEqual(first.appointment);
    expect(h.calendar.calls('createBooking')).toBe(1);
    expect((await h.stores.appointments.list('acme')).items.map((a) => a.id)).toEqual([first.appointment.id]);
  });

  it('refuses a concurrent duplicate at once with idempotencyWaitMs 0', async () => {
    const h = harness({ idempotencyWaitMs: 0 });
    const command = h.bookCommand({ idempotencyKey: 'call-2:book' });
    const outcomes = await h.settle(
      Promise.allSettled([h.service.book(command), h.service.book({ ...command })]),
    );
    const booked = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(booked).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(isIdempotencyInProgressError(refused[0])).toBe(true);
    expect(h.calendar.calls('createBooking')).toBe(1);
  });

  it('refuses a duplicate that is still running when the wait runs out', async () => {
    const h = harness({ idempotencyWaitMs: 2_000 });
    h.calendar.hangNext('createBooking');
    const command = h.bookCommand({ idempotencyKey: 'call-3:book' });
    const first = h.service.book(command);
    first.catch(() => undefined);
    // The duplicate goes out once the first holds the key and hangs in the calendar; sent at once,
    // either of the two could claim the key first (the database answers in real time).
    for (const deadline = Date.now() + 10_000; h.calendar.calls('createBooking') === 0;) {
      if (Date.now() > deadline) throw new Error('the first book never reached the calendar');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const error = await h.settle(h.service.book({ ...command })).then(
      () => expect.fail('expected the duplicate to be refused'),
      (reason: unknown) => reason,
    );
    expect(isIdempotencyInProgressError(error)).toBe(true);
    expect(isIdempotencyInProgressError(error) && error.context.waitedMs).toBeGreaterThanOrEqual(2_000);
    await h.settle(first).catch(() => undefined);
  });
}

describe('BookingService duplicates on memory', () => {
  duplicateScenarios(() => ({ kind: 'memory' }));
});

describeOnDatabases('BookingService duplicates on Postgres', (database) => {
  duplicateScenarios(() => ({ kind: 'postgres', sql: database().sql, schema: database().schema }));
});
