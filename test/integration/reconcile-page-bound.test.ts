import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from '../../src/ports/page.js';
import { slot, TENANT, WINDOW, WORLDS, type ReconcileWorld } from './reconcile-support.js';

const PAGE_SIZE = 3;

/** One listing call the reconciler made: what it asked for and what it got. */
interface ListingCall {
  readonly method: string;
  readonly limit: number | undefined;
  readonly items: number;
}

/** `target` with its listing methods recorded (every other method passes through). */
function recording<T extends object>(target: T, methods: readonly string[], calls: ListingCall[]): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      if (!methods.includes(String(property))) return value.bind(object) as unknown;
      return async (...args: unknown[]) => {
        const page = (await value.apply(object, args)) as Page<unknown>;
        const query = args[1] as { readonly limit?: number } | undefined;
        calls.push({ method: String(property), limit: query?.limit, items: page.items.length });
        return page;
      };
    },
  });
}

describe.each(WORLDS)('what a reconciliation reads at once ($name)', ({ make }) => {
  let world: ReconcileWorld;
  afterEach(async () => world.close());

  it('reads both sides in pages of at most pageSize, in full and incremental runs', async () => {
    world = await make();
    for (let i = 0; i < 4; i += 1) await world.book(slot(1, i));
    for (let i = 0; i < 4; i += 1) await world.orphan(slot(2, i));
    for (let i = 0; i < 4; i += 1) await world.calendarOnly(slot(3, i));
    await world.passGrace();
    const calls: ListingCall[] = [];
    const reconciler = world.reconciler({
      pageSize: PAGE_SIZE,
      cursors: world.cursors,
      appointments: recording(world.appointments, ['list'], calls),
      calendar: recording(world.calendar, ['listBookings', 'listBookingsUpdatedSince'], calls),
    });

    const plan = await reconciler.plan({ tenant: TENANT, ...WINDOW });
    expect(plan.counts.classes).toMatchObject({ in_sync: 4, missing_remote: 4, missing_local: 4 });
    // Twelve on each side, in pages of three: more than one page, none larger.
    expect(plan.listed.localPages).toBeGreaterThanOrEqual(8 / PAGE_SIZE);
    expect(plan.listed.remotePages).toBeGreaterThanOrEqual(8 / PAGE_SIZE);

    // A full run heals and imports; the next, incremental, reads what changed, the imported
    // appointments among them (their calendar bookings carry no tag: found by their time).
    const full = await world.settle(reconciler.run({ tenant: TENANT }));
    expect(full.mode).toBe('full');
    expect(full.taken).toMatchObject({ heal_remote: 4, import_local: 4 });
    await world.passGrace();
    const incremental = await world.settle(reconciler.run({ tenant: TENANT }));
    expect(incremental.mode).toBe('incremental');
    expect(incremental.counts.classes.in_sync).toBeGreaterThanOrEqual(8);

    const methods = new Set(calls.map((call) => call.method));
    expect(methods).toEqual(new Set(['list', 'listBookings', 'listBookingsUpdatedSince']));
    const oversized = calls.filter(
      (call) => call.limit === undefined || call.limit > PAGE_SIZE || call.items > PAGE_SIZE,
    );
    expect(oversized).toEqual([]);
  });
});
