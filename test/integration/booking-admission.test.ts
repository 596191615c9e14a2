import { describe, expect, it, vi } from 'vitest';
import type { BookCommand } from '../../src/booking/service/commands.js';
import { isInvalidOptionError } from '../../src/errors/invalid-option-error.js';
import { createBookingKit } from '../../src/kit/booking-kit.js';
import { isBulkheadRejectedError } from '../../src/resilience/errors.js';
import type { Policy } from '../../src/resilience/policy.js';
import { createFakeClock } from '../../src/testing/fake-clock.js';
import { createBookingHarness, type Backend, type HarnessOptions } from '../support/booking-harness.js';
import { calendarGate } from '../support/calendar-gate.js';
import { describeOnDatabases } from './postgres-test-database.js';

const WAIT = { timeout: 10_000, interval: 5 };

/** The `index`-th free half hour of the weekdays from Tuesday 2026-01-06 (Berlin 09:00-17:00). */
function slot(index: number): { start: string; end: string } {
  const days = ['06', '07', '08', '09', '12', '13', '14', '15', '16', '19', '20'];
  const day = days[Math.floor(index / 16)];
  if (day === undefined) throw new Error(`no slot ${index}`);
  const start = Date.parse(`2026-01-${day}T08:00:00.000Z`) + (index % 16) * 30 * 60_000;
  return { start: new Date(start).toISOString(), end: new Date(start + 30 * 60_000).toISOString() };
}

const phone = (index: number): string => `+49301234${String(index).padStart(3, '0')}`;

/** Settles with the outcome of `promise`, whatever it is, without an unhandled rejection. */
function outcomeOf<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return Promise.allSettled([promise]).then(([outcome]) => outcome as PromiseSettledResult<T>);
}

/** Lets pending work run for `ms` of real time (database I/O is not driven by the fake clock). */
const pause = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function admissionScenarios(backend: () => Backend): void {
  let runs = 0;
  function setUp(admission: HarnessOptions['admission']) {
    // Keys of its own per test: a database may keep the idempotency records of the one before.
    const run = (runs += 1);
    const gate = calendarGate();
    const h = createBookingHarness(backend(), {
      calendarPolicy: gate.policy,
      ...(admission === undefined ? {} : { admission }),
    });
    const command = (index: number, overrides: Partial<BookCommand> = {}): BookCommand =>
      h.bookCommand({
        idempotencyKey: `admission-${run}-${index}`,
        ...slot(index),
        customer: { name: `Caller ${index}`, phone: phone(index) },
        ...overrides,
      });
    const appointments = async (): Promise<number> => (await h.stores.appointments.list('acme')).items.length;
    const customerOf = (index: number) => h.stores.customers.findByPhone('acme', phone(index));
    return { gate, h, command, appointments, customerOf };
  }

  /** Books once with the gate open, so that the event types are cached and each book then makes one calendar call. */
  async function warmUp(t: ReturnType<typeof setUp>): Promise<void> {
    await t.h.service.book(t.command(100));
    t.gate.close();
  }

  it('runs two books, queues two and refuses the rest at once, writing nothing for them', async () => {
    const t = setUp({ maxConcurrent: 2, maxQueue: 2 });
    await warmUp(t);
    const books = [0, 1, 2, 3, 4, 5].map((i) => t.h.service.book(t.command(i)));
    const outcomes = books.map(outcomeOf);

    // Refused while the calendar still holds the running two: nobody waited for a slot.
    for (const refused of [outcomes[4], outcomes[5]]) {
      const outcome = await refused;
      const reason = outcome?.status === 'rejected' ? (outcome.reason as unknown) : outcome;
      expect(isBulkheadRejectedError(reason)).toBe(true);
      expect(isBulkheadRejectedError(reason) && reason.context).toEqual({
        maxConcurrent: 2,
        maxQueue: 2,
        retryAfterMs: 1_000,
      });
    }
    await vi.waitFor(() => expect(t.gate.held).toHaveLength(2), WAIT);
    await pause();
    expect(t.gate.held).toHaveLength(2);
    // The warm-up booking and the holds of the two running books; no customer for the others.
    expect(await t.appointments()).toBe(3);
    for (const index of [2, 3, 4, 5]) expect(await t.customerOf(index)).toBeNull();

    t.gate.open();
    const settled = await Promise.all(outcomes);
    expect(settled.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
    ]);
    expect(await t.appointments()).toBe(5);

    // The refused commands claimed no idempotency key: sent again, they run for the first time.
    for (const index of [4, 5]) {
      const again = await t.h.service.book(t.command(index));
      expect(again.replayed).toBe(false);
      expect(again.appointment.status).toBe('confirmed');
    }
    expect(await t.appointments()).toBe(7);
  });

  it('lets queued books in first in, first out as running ones finish', async () => {
    const t = setUp({ maxConcurrent: 2, maxQueue: 2 });
    await warmUp(t);
    const finished: number[] = [];
    const books = [0, 1, 2, 3].map((i) =>
      t.h.service.book(t.command(i)).then((result) => {
        finished.push(i);
        return result;
      }),
    );
    await vi.waitFor(() => expect(t.gate.held).toHaveLength(2), WAIT);

    t.gate.held[0]?.resolve();
    await vi.waitFor(() => expect(finished).toHaveLength(1), WAIT);
    await vi.waitFor(() => expect(t.gate.held).toHaveLength(3), WAIT);
    await pause();
    expect(t.gate.held).toHaveLength(3);
    expect(await t.customerOf(3)).toBeNull();

    // The third call at the calendar is the third book, not the fourth.
    t.gate.held[2]?.resolve();
    await vi.waitFor(() => expect(finished).toHaveLength(2), WAIT);
    expect(finished[1]).toBe(2);
    await vi.waitFor(() => expect(t.gate.held).toHaveLength(4), WAIT);

    t.gate.open();
    await Promise.all(books);
    expect(finished.slice(2).sort()).toEqual(finished[0] === 0 ? [1, 3] : [0, 3]);
  });

  it('takes a queued book out of the line when its signal aborts', async () => {
    const t = setUp({ maxConcurrent: 1, maxQueue: 1 });
    await warmUp(t);
    const running = t.h.service.book(t.command(0));
    await vi.waitFor(() => expect(t.gate.held).toHaveLength(1), WAIT);
    const controller = new AbortController();
    const queued = outcomeOf(t.h.service.book(t.command(1), { signal: controller.signal }));
    await pause();
    controller.abort(new Error('caller hung up'));
    const aborted = await queued;
    expect(aborted.status === 'rejected' && (aborted.reason as Error).message).toBe('caller hung up');

    // Its place in the line is free again.
    const next = t.h.service.book(t.command(2));
    t.gate.open();
    await expect(running).resolves.toMatchObject({ replayed: false });
    await expect(next).resolves.toMatchObject({ replayed: false });
    expect(await t.customerOf(1)).toBeNull();
    expect(await t.appointments()).toBe(3);
    await expect(t.h.service.book(t.command(1))).resolves.toMatchObject({ replayed: false });
  });
}

describe('BookingService admission on memory', () => {
  admissionScenarios(() => ({ kind: 'memory' }));

  const many = async (admission: HarnessOptions['admission'], count: number) => {
    const gate = calendarGate();
    const h = createBookingHarness(
      { kind: 'memory' },
      {
        calendarPolicy: gate.policy,
        ...(admission === undefined ? {} : { admission }),
      },
    );
    await h.service.book(h.bookCommand({ idempotencyKey: 'warm-up', ...slot(150) }));
    gate.close();
    const outcomes = Array.from({ length: count }, (_, i) =>
      outcomeOf(h.service.book(h.bookCommand({ idempotencyKey: `many-${i}`, ...slot(i) }))),
    );
    await pause();
    const held = gate.held.length;
    gate.open();
    const settled = await Promise.all(outcomes);
    const refused = settled.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    return { held, booked: settled.length - refused.length, refused };
  };

  it('runs 64 books and queues 64 more by default, refusing the next', async () => {
    const { held, booked, refused } = await many(undefined, 129);
    expect(held).toBe(64);
    expect(booked).toBe(128);
    expect(refused).toHaveLength(1);
    expect(isBulkheadRejectedError(refused[0]) && refused[0].context).toEqual({
      maxConcurrent: 64,
      maxQueue: 64,
      retryAfterMs: 1_000,
    });
  });

  it('admits every book with admission: false', async () => {
    const { held, booked, refused } = await many(false, 129);
    expect(held).toBe(129);
    expect(booked).toBe(129);
    expect(refused).toEqual([]);
  });

  it('runs books under an admission policy of the caller', async () => {
    const admitted: string[] = [];
    const admission: Policy = {
      async execute<T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T): Promise<T> {
        admitted.push('book');
        return fn({ signal: new AbortController().signal });
      },
    };
    const h = createBookingHarness({ kind: 'memory' }, { admission });
    await h.service.book(h.bookCommand());
    expect(admitted).toEqual(['book']);
  });

  it('refuses bad admission options, naming the option', () => {
    const cases: [unknown, string][] = [
      [{ maxConcurrent: 0 }, 'option "admission.maxConcurrent" must be an integer from 1 to 1000000, got 0'],
      [{ maxQueue: -1 }, 'option "admission.maxQueue" must be an integer from 0 to 1000000, got -1'],
      [
        { retryAfterMs: 1.5 },
        'option "admission.retryAfterMs" must be an integer from 0 to 3600000, got 1.5',
      ],
      [true, 'option "admission" must be'],
    ];
    for (const [admission, message] of cases) {
      let error: unknown;
      try {
        createBookingHarness({ kind: 'memory' }, { admission: admission as never });
      } catch (caught) {
        error = caught;
      }
      expect(isInvalidOptionError(error) && error.message).toContain(`createBookingService: ${message}`);
    }
  });
});

describe('createBookingKit admission', () => {
  const weekday = [{ start: '09:00', end: '17:00' }];
  const kitWith = (admission: unknown) =>
    createBookingKit({
      clock: createFakeClock('2026-01-05T08:00:00.000Z'),
      tenants: [{ id: 'acme' }],
      eventTypes: [
        {
          tenantId: 'acme',
          id: 'consult',
          durationMinutes: 30,
          timeZone: 'Europe/Berlin',
          weeklyHours: { tuesday: weekday },
        },
      ],
      admission: admission as never,
    });

  it('passes admission to the booking service, and close() waits for the queued command', async () => {
    const kit = kitWith({ maxConcurrent: 1, maxQueue: 1 });
    const command = (index: number): BookCommand => ({
      tenantId: 'acme',
      origin: 'voice',
      actor: { type: 'agent', id: 'agent-1' },
      idempotencyKey: `kit-${index}`,
      eventTypeId: 'consult',
      ...slot(index),
      timeZone: 'Europe/Berlin',
      customer: { name: 'Ana Example', phone: phone(index) },
    });
    const outcomes = [0, 1, 2].map((i) => outcomeOf(kit.service.book(command(i))));
    const refused = await outcomes[2];
    expect(refused?.status === 'rejected' && isBulkheadRejectedError(refused.reason)).toBe(true);
    await kit.close();
    expect((await Promise.all(outcomes)).map((o) => o.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
  });

  it('names createBookingKit and the option for a bad admission', () => {
    let error: unknown;
    try {
      kitWith({ maxQueue: -1 });
    } catch (caught) {
      error = caught;
    }
    expect(isInvalidOptionError(error) && error.message).toBe(
      'createBookingKit: option "admission.maxQueue" must be an integer from 0 to 1000000, got -1',
    );
  });
});

describeOnDatabases('BookingService admission on Postgres', (database) => {
  admissionScenarios(() => ({ kind: 'postgres', sql: database().sql, schema: database().schema }));
});
