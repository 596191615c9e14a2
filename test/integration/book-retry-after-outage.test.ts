import { describe, expect, it } from 'vitest';
import { isSlotConflictError } from '../../src/booking/errors.js';
import { StorageUnavailableError } from '../../src/errors/store-errors.js';
import { isIdempotencyInProgressError } from '../../src/idempotency/errors.js';
import type { SagaStore } from '../../src/saga/saga-store.js';
import { createBookingHarness, SLOT } from '../support/booking-harness.js';

// Reliability scenario 5: Postgres restarts while a booking runs. The hold commits, then the saga
// log cannot be written: the client is answered 503 and the saga is left for recovery, which
// later books the calendar and confirms. The client retries with the same Idempotency-Key; it
// must learn about the booking it made (in progress while the saga is unfinished, then the
// appointment), never be refused the slot its own booking holds.

/** A saga log that fails its next write once `arm()`ed, once the hold is recorded as done. */
function outageAfterHold(inner: SagaStore) {
  let armed = false;
  const store: SagaStore = {
    ...inner,
    create: inner.create.bind(inner),
    get: inner.get.bind(inner),
    claim: inner.claim.bind(inner),
    list: inner.list.bind(inner),
    purge: inner.purge.bind(inner),
    save: (record, options) => {
      if (armed && record.steps.some((s) => s.name === 'hold' && s.status === 'completed')) {
        armed = false;
        return Promise.reject(new StorageUnavailableError({ store: 'postgres', retryAfterMs: 5_000 }));
      }
      return inner.save(record, options);
    },
  };
  return { store, arm: () => (armed = true) };
}

function setup(policy: 'fail' | 'queue' = 'fail') {
  let sagaLog: ReturnType<typeof outageAfterHold> | undefined;
  const h = createBookingHarness(
    { kind: 'memory' },
    { policy, wrapSagas: (inner) => (sagaLog = outageAfterHold(inner)).store },
  );
  const command = h.bookCommand({
    origin: 'api',
    actor: { type: 'staff', id: 'api-key:1' },
    idempotencyKey: 'restart-141',
    customer: { name: 'Caller 141', email: 'restart-141@example.com' },
  });
  return {
    clock: h.clock,
    stores: h.stores,
    calendar: h.memoryCalendar,
    faults: h.calendar,
    settle: h.settle,
    service: h.service,
    sagaLog: sagaLog!,
    command,
  };
}

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('a booking retried with its key after the saga log failed behind a committed hold', () => {
  it('is in progress while the saga is unfinished, then answers the booking recovery made', async () => {
    const { clock, stores, calendar, service, sagaLog, command } = setup();
    sagaLog.arm();
    const first = await caught(service.book(command));
    expect(first).toBeInstanceOf(StorageUnavailableError);
    const held = (await stores.appointments.list('acme', {})).items;
    expect(held).toMatchObject([{ status: 'pending', idempotencyKey: 'restart-141' }]);

    // The retry meets its own hold: not a conflict with somebody else's booking.
    const retry = await caught(service.book(command));
    expect(isSlotConflictError(retry), String(retry)).toBe(false);
    expect(isIdempotencyInProgressError(retry), String(retry)).toBe(true);

    // Recovery finishes the saga once its lease is out; the retry then gets that appointment.
    await clock.advance(60_000);
    await service.recover();
    const answer = await service.book(command);
    expect(answer.appointment).toMatchObject({ id: held[0]!.id, status: 'confirmed' });
    const bookings = await calendar.listBookings('acme', { from: SLOT.start, to: SLOT.end });
    expect(bookings.items.filter((b) => b.status !== 'cancelled')).toHaveLength(1);
  });

  it('is refused the slot, not kept in progress for ever, once the saga ended without confirming it', async () => {
    const { stores, service, sagaLog, command } = setup();
    sagaLog.arm();
    await caught(service.book(command));
    const [held] = (await stores.appointments.list('acme', {})).items;
    // The earlier attempt's saga ended for good (its compensation failed) with the hold left pending:
    // an operator's case, which no amount of waiting resolves.
    const saga = (await sagaLog.store.get(`book:${held!.id}`))!;
    await sagaLog.store.save(
      { ...saga, state: 'compensation_failed', leaseOwner: null, leaseExpiresAt: null },
      { owner: saga.leaseOwner ?? '' },
    );
    const retry = await caught(service.book(command));
    expect(isIdempotencyInProgressError(retry), String(retry)).toBe(false);
    expect(isSlotConflictError(retry), String(retry)).toBe(true);
  });

  it('answers the queued booking once recovery finished the saga with the calendar unavailable', async () => {
    // Run 6 of the reliability gate: the saga log failed behind the hold during a Postgres restart,
    // the calendar's breaker was open when recovery finished the saga, and the tenant queues: the
    // booking was made (pending, to sync later), so the client's retry must be told so.
    const { clock, stores, faults, settle, service, sagaLog, command } = setup('queue');
    sagaLog.arm();
    await caught(service.book(command));
    const [held] = (await stores.appointments.list('acme', {})).items;
    faults.failNextAs('createBooking', 'unavailable', 1_000);
    faults.failNextAs('findBookingByAppointmentId', 'unavailable', 1_000);
    await clock.advance(60_000);
    await settle(service.recover());
    expect(await stores.appointments.get('acme', held!.id)).toMatchObject({
      status: 'pending',
      sync: { status: 'pending' },
    });

    const answer = await caught(settle(service.book(command)));
    expect(isSlotConflictError(answer), String(answer)).toBe(false);
    expect(answer).toBeUndefined();
    const again = await settle(service.book(command));
    expect(again).toMatchObject({ appointment: { id: held!.id, status: 'pending' }, calendar: 'queued' });
  });
});
