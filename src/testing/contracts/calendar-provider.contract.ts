import assert from 'node:assert/strict';
import {
  isCalendarOutsideBookingHoursError,
  isCalendarRequestRejectedError,
  isCalendarSlotUnavailableError,
} from '../../booking/errors.js';
import type { TimeRange } from '../../domain/time-range.js';
import {
  APPOINTMENT_TAG,
  type CalendarBooking,
  type CalendarBookingLookup,
  type CalendarProvider,
  type CreateCalendarBookingRequest,
} from '../../ports/calendar-provider.js';
import { abortedSignal, rejectsWith, settleAll } from './assertions.js';
import type { ContractTestApi } from './test-api.js';
import { useTimedSubject, type TimedContractFactory } from './timed-subject.js';

/** What the calendar-provider contract runs against: a provider and a known free window. */
export interface CalendarProviderFixture {
  readonly provider: CalendarProvider;
  readonly tenantId: string;
  /** A second tenant with an event type of the same id, to check that tenants are kept apart. */
  readonly otherTenantId: string;
  readonly eventTypeId: string;
  /** A future window in which the event type offers at least four free, non-overlapping slots. */
  readonly window: TimeRange;
  /**
   * A future time, of the event type's length, at which the event type takes no bookings (outside
   * its opening hours).
   */
  readonly closedTime: TimeRange;
}

const attendee = {
  name: 'Ana Contract',
  email: 'ana@example.com',
  phone: '+493012345678',
  timeZone: 'Europe/Berlin',
  locale: 'de',
} as const;

/** How far the suite moves time between two changes whose `updatedAt` it compares. */
const STEP_MS = 1_000;

/**
 * The {@link CalendarProvider} contract: every calendar adapter (memory, Cal.com) must pass it.
 * The factory supplies a provider and a window with free slots (see {@link CalendarProviderFixture}).
 * It receives a fake clock: a provider on a `Clock` runs on it, so that the suite can order
 * changes in time (`updatedAt`); a provider on real time returns `{ subject, advance }` with a real
 * wait as `advance`.
 *
 * @example
 * ```ts
 * declare function makeFixture(clock: Clock): CalendarProviderFixture;
 * // ---cut---
 * import { describe, it, beforeEach, afterEach } from 'vitest';
 * import { calendarProviderContract } from 'bookingkit/testing';
 * calendarProviderContract({ describe, it, beforeEach, afterEach }, 'memory', ({ clock }) => makeFixture(clock));
 * ```
 */
export function calendarProviderContract(
  api: ContractTestApi,
  name: string,
  factory: TimedContractFactory<CalendarProviderFixture>,
): void {
  api.describe(`CalendarProvider contract: ${name}`, () => {
    const { subject: fixture, advance } = useTimedSubject(api, factory);
    const calendar = (): CalendarProvider => fixture().provider;
    /** The hint every caller has for the booking of `appointmentId` at `range`. */
    const lookup = (
      appointmentId: string,
      range: TimeRange,
      attendeeEmail: string | null = attendee.email,
    ): CalendarBookingLookup => ({
      appointmentId,
      eventTypeId: fixture().eventTypeId,
      start: range.start,
      end: range.end,
      attendeeEmail,
    });
    const find = (appointmentId: string, range: TimeRange, tenantId = fixture().tenantId) =>
      calendar().findBookingByAppointmentId(tenantId, lookup(appointmentId, range));
    /** Every booking updated at or after `since`, read page by page (`limit` per page). */
    const updatedSince = async (since: string, limit = 100): Promise<CalendarBooking[]> => {
      const seen: CalendarBooking[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 20; pages += 1) {
        const page = await calendar().listBookingsUpdatedSince(fixture().tenantId, {
          updatedAfter: since,
          limit,
          ...(cursor === undefined ? {} : { cursor }),
        });
        assert.ok(page.items.length <= limit, 'a page holds at most `limit` bookings');
        seen.push(...page.items);
        if (page.nextCursor === null) return seen;
        cursor = page.nextCursor;
      }
      assert.fail('the updated-since listing did not end within 20 pages');
    };
    const byUid = async (uid: string): Promise<CalendarBooking> => {
      const found = (await listAll()).find((b) => b.uid === uid);
      assert.ok(found, `booking ${uid} is listed`);
      return found;
    };

    const freeSlots = async (tenantId = fixture().tenantId): Promise<TimeRange[]> => {
      const { eventTypeId, window } = fixture();
      return calendar().getAvailableSlots(tenantId, { eventTypeId, from: window.start, to: window.end });
    };
    const slot = async (index: number): Promise<TimeRange> => {
      const found = (await freeSlots())[index];
      assert.ok(found, `the fixture's window must offer a free slot #${index}`);
      return { start: found.start, end: found.end };
    };
    const request = (range: TimeRange, appointmentId: string): CreateCalendarBookingRequest => ({
      tenantId: fixture().tenantId,
      eventTypeId: fixture().eventTypeId,
      ...range,
      attendee,
      metadata: { [APPOINTMENT_TAG]: appointmentId, source: 'contract' },
    });
    const listAll = async (tenantId = fixture().tenantId): Promise<CalendarBooking[]> => {
      const { window } = fixture();
      const page = await calendar().listBookings(tenantId, {
        from: window.start,
        to: window.end,
        limit: 100,
      });
      return [...page.items];
    };
    const sameTime = (a: TimeRange, b: TimeRange): boolean =>
      Date.parse(a.start) === Date.parse(b.start) && Date.parse(a.end) === Date.parse(b.end);

    api.it('offers sorted, non-overlapping free slots inside the window', async () => {
      const slots = await freeSlots();
      assert.ok(slots.length >= 4, `expected at least 4 free slots, got ${slots.length}`);
      const { window } = fixture();
      for (const [i, s] of slots.entries()) {
        assert.ok(
          Date.parse(s.start) >= Date.parse(window.start) && Date.parse(s.end) <= Date.parse(window.end),
        );
        assert.ok(Date.parse(s.end) > Date.parse(s.start));
        const next = slots[i + 1];
        if (next) assert.ok(Date.parse(next.start) >= Date.parse(s.end), 'slots do not overlap');
      }
    });

    api.it(
      'creates an accepted booking tagged with the appointment id, and stops offering its slot',
      async () => {
        const range = await slot(0);
        const booking = await calendar().createBooking(request(range, 'appt-1'));
        assert.equal(booking.status, 'accepted');
        assert.equal(booking.eventTypeId, fixture().eventTypeId);
        assert.ok(sameTime(booking, range));
        assert.equal(booking.metadata[APPOINTMENT_TAG], 'appt-1');
        assert.equal(booking.rescheduledFromUid, null);
        assert.equal(booking.attendee?.email, attendee.email);
        assert.ok(
          !(await freeSlots()).some((s) => sameTime(s, range)),
          'the booked slot is no longer offered',
        );
      },
    );

    api.it('refuses a booking that overlaps an existing one', async () => {
      const range = await slot(0);
      await calendar().createBooking(request(range, 'appt-1'));
      await rejectsWith(
        calendar().createBooking(request(range, 'appt-2')),
        isCalendarSlotUnavailableError,
        'CalendarSlotUnavailableError',
      );
      assert.equal(await find('appt-2', range), null);
    });

    api.it('refuses a time outside the bookable hours as such, not as a taken slot', async () => {
      const { closedTime, tenantId } = fixture();
      const error = await calendar()
        .createBooking(request(closedTime, 'appt-closed'))
        .catch((caught: unknown) => caught);
      assert.ok(
        isCalendarOutsideBookingHoursError(error),
        `expected a CalendarOutsideBookingHoursError, got ${String(error)}`,
      );
      assert.ok(!isCalendarSlotUnavailableError(error));
      assert.equal(await find('appt-closed', closedTime, tenantId), null);
    });

    api.it('refuses an unknown event type for good, as not found', async () => {
      const range = await slot(0);
      const error = await calendar()
        .createBooking({ ...request(range, 'appt-1'), eventTypeId: `${fixture().eventTypeId}-unknown` })
        .catch((caught: unknown) => caught);
      assert.ok(
        isCalendarRequestRejectedError(error),
        `expected a CalendarRequestRejectedError, got ${String(error)}`,
      );
      assert.equal(error.context.reason, 'not_found');
      assert.equal(error.context.tenantId, fixture().tenantId);
      assert.deepEqual(await listAll(), []);
    });

    api.it('refuses the slots of an unknown event type for good, as not found', async () => {
      const { window, tenantId, eventTypeId } = fixture();
      const error = await calendar()
        .getAvailableSlots(tenantId, {
          eventTypeId: `${eventTypeId}-unknown`,
          from: window.start,
          to: window.end,
        })
        .catch((caught: unknown) => caught);
      assert.ok(
        isCalendarRequestRejectedError(error),
        `expected a CalendarRequestRejectedError, got ${String(error)}`,
      );
      assert.equal(error.context.reason, 'not_found');
      assert.equal(error.context.tenantId, tenantId);
    });

    api.it('refuses to move or cancel an unknown booking, as not found', async () => {
      const { tenantId } = fixture();
      const range = await slot(0);
      for (const call of [
        () => calendar().rescheduleBooking(tenantId, 'no-such-uid', { ...range, reason: null }),
        () => calendar().cancelBooking(tenantId, 'no-such-uid', { reason: null }),
      ]) {
        await rejectsWith(call(), isCalendarRequestRejectedError, 'CalendarRequestRejectedError');
      }
    });

    api.it("lists the tenant's event types with the lengths a booking may have", async () => {
      const { tenantId, eventTypeId } = fixture();
      const types = await calendar().listEventTypes(tenantId);
      const type = types.find((t) => t.id === eventTypeId);
      assert.ok(type, `the fixture's event type ${eventTypeId} is listed`);
      assert.ok(type.slug.length > 0 && type.title.length > 0);
      const range = await slot(0);
      const minutes = (Date.parse(range.end) - Date.parse(range.start)) / 60_000;
      assert.ok(type.lengthsInMinutes.includes(minutes), 'an offered slot has an allowed length');
      assert.ok(type.lengthsInMinutes.every((length) => Number.isInteger(length) && length > 0));
      assert.equal(new Set(types.map((t) => t.id)).size, types.length, 'each event type once');
    });

    api.it('lets exactly one of two concurrent bookings of one slot through', async () => {
      const range = await slot(1);
      const { values, errors } = await settleAll([
        calendar().createBooking(request(range, 'appt-a')),
        calendar().createBooking(request(range, 'appt-b')),
      ]);
      assert.equal(values.length, 1);
      assert.equal(errors.length, 1);
      assert.ok(isCalendarSlotUnavailableError(errors[0]));
      assert.equal((await listAll()).filter((b) => b.status === 'accepted').length, 1);
    });

    api.it('finds a booking by its appointment tag, and nothing for an unknown one', async () => {
      const range = await slot(0);
      const created = await calendar().createBooking(request(range, 'appt-1'));
      const found = await find('appt-1', range);
      assert.equal(found?.uid, created.uid);
      assert.equal(found?.metadata[APPOINTMENT_TAG], 'appt-1');
      assert.equal(await find('appt-unknown', range), null);
    });

    api.it('finds by the tag within the hinted window: not outside it, not under another tag', async () => {
      const [first, second] = [await slot(0), await slot(2)];
      const one = await calendar().createBooking(request(first, 'appt-1'));
      const two = await calendar().createBooking(request(second, 'appt-2'));
      const { tenantId } = fixture();
      assert.equal((await find('appt-1', first))?.uid, one.uid);
      assert.equal((await find('appt-2', second))?.uid, two.uid);
      assert.equal(
        (await calendar().findBookingByAppointmentId(tenantId, lookup('appt-1', first, null)))?.uid,
        one.uid,
        'an unknown attendee email does not stop the lookup',
      );
      assert.equal(await find('appt-1', second), null, 'the tagged booking lies outside the window');
      assert.equal(await find('appt-2', first), null, 'the booking in the window has another tag');
      assert.equal(await find('appt-3', first), null);
    });

    api.it('stamps updatedAt and links the replaced booking to its successor on reschedule', async () => {
      const [first, second] = [await slot(0), await slot(2)];
      const original = await calendar().createBooking(request(first, 'appt-1'));
      assert.equal(original.rescheduledToUid, null);
      assert.ok(Number.isFinite(Date.parse(original.updatedAt)), 'updatedAt is an instant');
      await advance(STEP_MS);
      const moved = await calendar().rescheduleBooking(fixture().tenantId, original.uid, {
        ...second,
        reason: null,
      });
      assert.equal(moved.rescheduledToUid, null);
      const old = await byUid(original.uid);
      assert.equal(old.status, 'cancelled');
      assert.equal(old.rescheduledToUid, moved.uid);
      assert.ok(
        Date.parse(old.updatedAt) > Date.parse(original.updatedAt),
        'the replaced booking was updated by the move',
      );
      assert.ok(Date.parse(moved.updatedAt) >= Date.parse(original.updatedAt));
      assert.equal((await find('appt-1', first))?.rescheduledToUid, moved.uid);
    });

    api.it(
      'stamps updatedAt on cancel, and leaves a booking that was not moved without successor',
      async () => {
        const booking = await calendar().createBooking(request(await slot(0), 'appt-1'));
        await advance(STEP_MS);
        await calendar().cancelBooking(fixture().tenantId, booking.uid, { reason: 'ill' });
        const cancelled = await byUid(booking.uid);
        assert.equal(cancelled.status, 'cancelled');
        assert.equal(cancelled.rescheduledToUid, null);
        assert.ok(Date.parse(cancelled.updatedAt) > Date.parse(booking.updatedAt));
      },
    );

    api.it('lists bookings updated since an instant in ascending update order, page by page', async () => {
      const made: CalendarBooking[] = [];
      for (const [i, index] of [3, 0, 1].entries()) {
        made.push(await calendar().createBooking(request(await slot(index), `appt-${i}`)));
        await advance(STEP_MS);
      }
      const since = made[0]!.updatedAt;
      const all = await updatedSince(since, 1);
      assert.deepEqual(
        all.map((b) => b.uid),
        made.map((b) => b.uid),
        'in update order (not start order), each once',
      );
      const times = all.map((b) => Date.parse(b.updatedAt));
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
      );
      assert.deepEqual(
        (await updatedSince(made[1]!.updatedAt)).map((b) => b.uid),
        made.slice(1).map((b) => b.uid),
        'updatedAfter is inclusive, and leaves out bookings updated before it',
      );
      const later = new Date(Date.parse(made[2]!.updatedAt) + 1).toISOString();
      assert.deepEqual(await updatedSince(later), []);
      const otherType = await calendar().listBookingsUpdatedSince(fixture().tenantId, {
        updatedAfter: since,
        eventTypeId: `${fixture().eventTypeId}-not-this-one`,
      });
      assert.deepEqual(otherType.items, []);
      const thisType = await calendar().listBookingsUpdatedSince(fixture().tenantId, {
        updatedAfter: since,
        eventTypeId: fixture().eventTypeId,
      });
      assert.equal(thisType.items.length, 3);
    });

    api.it('moves a booking updated again to the end of the updated-since listing', async () => {
      const first = await calendar().createBooking(request(await slot(0), 'appt-1'));
      await advance(STEP_MS);
      const second = await calendar().createBooking(request(await slot(2), 'appt-2'));
      await advance(STEP_MS);
      const { tenantId } = fixture();
      const page = await calendar().listBookingsUpdatedSince(tenantId, {
        updatedAfter: first.updatedAt,
        limit: 1,
      });
      assert.deepEqual(
        page.items.map((b) => b.uid),
        [first.uid],
      );
      assert.ok(page.nextCursor !== null);
      await calendar().cancelBooking(tenantId, first.uid, { reason: null });
      const rest: CalendarBooking[] = [];
      let cursor: string | null = page.nextCursor;
      for (let pages = 0; cursor !== null && pages < 10; pages += 1) {
        const next = await calendar().listBookingsUpdatedSince(tenantId, {
          updatedAfter: first.updatedAt,
          limit: 1,
          cursor,
        });
        rest.push(...next.items);
        cursor = next.nextCursor;
      }
      assert.deepEqual(
        rest.map((b) => [b.uid, b.status]),
        [
          [second.uid, 'accepted'],
          [first.uid, 'cancelled'],
        ],
        'the cancelled booking comes again, after the bookings updated before it',
      );
      assert.deepEqual(
        (await updatedSince(first.updatedAt)).map((b) => b.uid),
        [second.uid, first.uid],
      );
    });

    api.it('reschedules to a new uid that names the old one, and cancels the old booking', async () => {
      const [first, second] = [await slot(0), await slot(2)];
      const original = await calendar().createBooking(request(first, 'appt-1'));
      const moved = await calendar().rescheduleBooking(fixture().tenantId, original.uid, {
        ...second,
        reason: 'customer asked',
      });
      assert.notEqual(moved.uid, original.uid);
      assert.equal(moved.rescheduledFromUid, original.uid);
      assert.equal(moved.status, 'accepted');
      assert.ok(sameTime(moved, second));
      assert.equal(moved.metadata[APPOINTMENT_TAG], 'appt-1');
      const listed = await listAll();
      assert.equal(listed.find((b) => b.uid === original.uid)?.status, 'cancelled');
      assert.equal((await find('appt-1', second))?.uid, moved.uid);
      const slots = await freeSlots();
      assert.ok(
        slots.some((s) => sameTime(s, first)),
        'the old slot is free again',
      );
      assert.ok(!slots.some((s) => sameTime(s, second)), 'the new slot is taken');
    });

    api.it('refuses to reschedule onto a taken slot and keeps the original', async () => {
      const [first, second] = [await slot(0), await slot(1)];
      const original = await calendar().createBooking(request(first, 'appt-1'));
      await calendar().createBooking(request(second, 'appt-2'));
      await rejectsWith(
        calendar().rescheduleBooking(fixture().tenantId, original.uid, { ...second, reason: null }),
        isCalendarSlotUnavailableError,
        'CalendarSlotUnavailableError',
      );
      const listed = await listAll();
      assert.equal(listed.find((b) => b.uid === original.uid)?.status, 'accepted');
      assert.equal(listed.length, 2);
    });

    api.it('refuses to reschedule a cancelled booking', async () => {
      const original = await calendar().createBooking(request(await slot(0), 'appt-1'));
      await calendar().cancelBooking(fixture().tenantId, original.uid, { reason: null });
      const target = await slot(2);
      await assert.rejects(
        calendar().rescheduleBooking(fixture().tenantId, original.uid, { ...target, reason: null }),
      );
      assert.deepEqual(
        (await listAll()).map((b) => [b.uid, b.status]),
        [[original.uid, 'cancelled']],
      );
    });

    api.it('cancels a booking, frees its slot, and accepts a second cancel', async () => {
      const range = await slot(0);
      const booking = await calendar().createBooking(request(range, 'appt-1'));
      await calendar().cancelBooking(fixture().tenantId, booking.uid, { reason: 'ill' });
      await calendar().cancelBooking(fixture().tenantId, booking.uid, { reason: 'ill' });
      assert.equal((await listAll())[0]?.status, 'cancelled');
      assert.ok((await freeSlots()).some((s) => sameTime(s, range)));
      const again = await calendar().createBooking(request(range, 'appt-2'));
      assert.equal(again.status, 'accepted');
    });

    api.it('lists bookings of the window page by page, ordered by start, each once', async () => {
      const ranges = [await slot(3), await slot(0), await slot(1)];
      for (const [i, range] of ranges.entries()) await calendar().createBooking(request(range, `appt-${i}`));
      const { tenantId, window } = fixture();
      const seen: CalendarBooking[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages += 1) {
        const page = await calendar().listBookings(tenantId, {
          from: window.start,
          to: window.end,
          limit: 1,
          ...(cursor === undefined ? {} : { cursor }),
        });
        assert.ok(page.items.length <= 1);
        seen.push(...page.items);
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
      }
      assert.equal(new Set(seen.map((b) => b.uid)).size, 3);
      const starts = seen.map((b) => Date.parse(b.start));
      assert.deepEqual(
        starts,
        [...starts].sort((a, b) => a - b),
      );
      const later = await calendar().listBookings(tenantId, {
        from: ranges[0]!.start,
        to: window.end,
      });
      assert.equal(later.items.length, 1, 'only bookings overlapping the window are listed');
      const otherType = await calendar().listBookings(tenantId, {
        from: window.start,
        to: window.end,
        eventTypeId: `${fixture().eventTypeId}-not-this-one`,
      });
      assert.equal(otherType.items.length, 0);
    });

    api.it('keeps tenants apart', async () => {
      const before = await freeSlots(fixture().otherTenantId);
      const range = await slot(0);
      const booking = await calendar().createBooking(request(range, 'appt-1'));
      const { otherTenantId } = fixture();
      assert.equal(await find('appt-1', range, otherTenantId), null);
      assert.deepEqual(await listAll(otherTenantId), []);
      const updated = await calendar().listBookingsUpdatedSince(otherTenantId, {
        updatedAfter: booking.updatedAt,
      });
      assert.deepEqual(updated.items, []);
      assert.deepEqual(await freeSlots(otherTenantId), before);
    });

    api.it('rejects every call with an already-aborted signal, and changes nothing', async () => {
      const range = await slot(0);
      const booking = await calendar().createBooking(request(range, 'appt-1'));
      const { tenantId, eventTypeId, window } = fixture();
      const signal = abortedSignal();
      const calls: [string, () => Promise<unknown>][] = [
        ['createBooking', () => calendar().createBooking(request(range, 'appt-2'), { signal })],
        [
          'findBookingByAppointmentId',
          () => calendar().findBookingByAppointmentId(tenantId, lookup('appt-1', range), { signal }),
        ],
        [
          'rescheduleBooking',
          () => calendar().rescheduleBooking(tenantId, booking.uid, { ...range, reason: null }, { signal }),
        ],
        [
          'cancelBooking',
          () => calendar().cancelBooking(tenantId, booking.uid, { reason: null }, { signal }),
        ],
        [
          'listBookings',
          () => calendar().listBookings(tenantId, { from: window.start, to: window.end }, { signal }),
        ],
        [
          'listBookingsUpdatedSince',
          () =>
            calendar().listBookingsUpdatedSince(tenantId, { updatedAfter: booking.updatedAt }, { signal }),
        ],
        [
          'getAvailableSlots',
          () =>
            calendar().getAvailableSlots(
              tenantId,
              { eventTypeId, from: window.start, to: window.end },
              { signal },
            ),
        ],
        ['listEventTypes', () => calendar().listEventTypes(tenantId, { signal })],
      ];
      for (const [method, call] of calls) {
        await assert.rejects(call(), (error: unknown) => error === signal.reason, method);
      }
      assert.deepEqual(
        (await listAll()).map((b) => [b.uid, b.status]),
        [[booking.uid, 'accepted']],
      );
    });
  });
}
