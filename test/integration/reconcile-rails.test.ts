import { afterEach, describe, expect, it } from 'vitest';
import type { CalendarBooking, CalendarProvider } from '../../src/ports/calendar-provider.js';
import { isMassCancellationRefusedError, isReconciliationAbortedError } from '../../src/reconcile/errors.js';
import { WINDOW, WORLDS, slot, TENANT, type ReconcileWorld } from './reconcile-support.js';

/** The world's calendar with `listBookings` watched: `beforePage(n)` runs before page n is read. */
function listingHook(
  calendar: CalendarProvider,
  beforePage: (page: number) => Promise<void> | void,
): CalendarProvider {
  let pages = 0;
  return {
    ...calendar,
    listBookings: async (tenantId, query, options) => {
      pages += 1;
      await beforePage(pages);
      return calendar.listBookings(tenantId, query, options);
    },
  };
}

/**
 * The world's calendar listed by offset, as Cal.com's own API pages (`take`/`skip`): the cursor is
 * the offset, so a booking added before it between two pages shifts the next page.
 */
function offsetPaged(
  calendar: CalendarProvider,
  beforePage: (page: number) => Promise<void>,
): CalendarProvider {
  let pages = 0;
  return {
    ...calendar,
    listBookings: async (tenantId, query, options) => {
      pages += 1;
      await beforePage(pages);
      const all: CalendarBooking[] = [];
      let cursor: string | undefined;
      do {
        const page = await calendar.listBookings(
          tenantId,
          { from: query.from, to: query.to, limit: 100, ...(cursor ? { cursor } : {}) },
          options,
        );
        all.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      const offset = Number(query.cursor ?? 0);
      const limit = query.limit ?? 100;
      return {
        items: all.slice(offset, offset + limit),
        nextCursor: offset + limit < all.length ? String(offset + limit) : null,
      };
    },
  };
}

describe.each(WORLDS)('reconciliation safety rails ($name)', ({ make }) => {
  let world: ReconcileWorld;
  afterEach(async () => world.close());

  it('aborts when a page of the calendar listing cannot be read, and takes nothing unseen for gone', async () => {
    world = await make();
    for (let i = 0; i < 12; i += 1) await world.book(slot(1, i));
    await world.passGrace();
    const calendar = listingHook(world.calendar, (page) => {
      if (page === 2) world.failNextListing();
    });
    const planning = world.settle(world.reconciler({ calendar }).plan({ tenant: TENANT, ...WINDOW }));
    const error = await planning.catch((e: unknown) => e);
    expect(isReconciliationAbortedError(error)).toBe(true);
    expect(error).toMatchObject({ context: { reason: 'listing_incomplete', side: 'remote' } });
    // The bookings of the pages never read were not planned as missing: no plan at all.
    expect(world.events.filter((e) => e.type.startsWith('reconciliation.'))).toEqual([]);
  });

  it('aborts when the calendar listing shifts between pages (a booking added before the offset)', async () => {
    world = await make();
    for (let i = 2; i < 12; i += 1) await world.book(slot(1, i));
    await world.passGrace();
    const calendar = offsetPaged(world.calendar, async (page) => {
      // Someone books an earlier slot in the calendar while the reconciler reads.
      if (page === 2) await world.calendarOnly(slot(1, 0));
    });
    const error = await world
      .reconciler({ calendar })
      .plan({ tenant: TENANT, ...WINDOW })
      .catch((e: unknown) => e);
    expect(isReconciliationAbortedError(error)).toBe(true);
    expect(error).toMatchObject({ context: { reason: 'listing_shifted', side: 'remote' } });
  });

  it('reads an offset-paged calendar in full when nothing moves', async () => {
    world = await make();
    for (let i = 0; i < 12; i += 1) await world.book(slot(1, i));
    await world.passGrace();
    const calendar = offsetPaged(world.calendar, async () => {});
    const plan = await world.reconciler({ calendar }).plan({ tenant: TENANT, ...WINDOW });
    expect(plan.counts.classes.in_sync).toBe(12);
    expect(plan.listed.remotePages).toBe(3);
  });

  it('refuses a plan that cancels more than 10% of the bookings unless forced', async () => {
    world = await make();
    const booked = [];
    for (let i = 0; i < 10; i += 1) booked.push(await world.book(slot(1, i)));
    for (const appointment of booked.slice(0, 4))
      await world.calendar.cancelBooking(TENANT, appointment.external.calendarBookingUid!, { reason: null });
    await world.passGrace();
    const reconciler = world.reconciler();
    const plan = await reconciler.plan({ tenant: TENANT, ...WINDOW });
    expect(plan.cancellations).toBe(4);
    expect(plan.compared).toBe(10);
    const refused = await reconciler.apply(plan).catch((e: unknown) => e);
    expect(isMassCancellationRefusedError(refused)).toBe(true);
    expect(refused).toMatchObject({ context: { cancellations: 4, compared: 10, maxCancelShare: 0.1 } });
    expect((await world.appointments.get(TENANT, booked[0]!.id))?.status).toBe('confirmed');
    const forced = await world.settle(reconciler.apply(plan, { force: true }));
    expect(forced.taken.accept_remote).toBe(4);
    expect((await world.appointments.get(TENANT, booked[0]!.id))?.status).toBe('cancelled');
  });

  it('lets a small plan cancel under the share, and a larger allowance through the option', async () => {
    world = await make();
    const booked = [];
    for (let i = 0; i < 10; i += 1) booked.push(await world.book(slot(1, i)));
    for (const appointment of booked.slice(0, 4))
      await world.calendar.cancelBooking(TENANT, appointment.external.calendarBookingUid!, { reason: null });
    await world.passGrace();
    const reconciler = world.reconciler({ maxCancelShare: 0.5 });
    const report = await world.settle(reconciler.apply(await reconciler.plan({ tenant: TENANT, ...WINDOW })));
    expect(report.taken.accept_remote).toBe(4);
  });

  it('ignores the fields a tenant lists: a different end is not drift with ignore ["end"]', async () => {
    world = await make();
    const appointment = await world.book(slot(1, 0));
    await world.appointments.update(
      {
        ...appointment,
        end: new Date(Date.parse(appointment.end) + 15 * 60_000).toISOString(),
        version: appointment.version + 1,
        updatedAt: new Date(world.clock.now()).toISOString(),
      },
      appointment.version,
    );
    await world.passGrace();
    const strict = await world.reconciler().plan({ tenant: TENANT, ...WINDOW });
    expect(strict.items.map((i) => i.cause)).toEqual(['moved']);
    const lenient = await world
      .reconciler({ policy: { ignore: ['end'] } })
      .plan({ tenant: TENANT, ...WINDOW });
    expect(lenient.items).toEqual([]);
    expect(lenient.counts.classes.in_sync).toBe(1);
  });
});
