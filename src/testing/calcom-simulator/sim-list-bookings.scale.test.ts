import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CalcomSimAccount } from './sim-accounts.js';
import type { CalcomSimBooking } from './sim-booking-record.js';
import { createSimBookingListing } from './sim-list-bookings.js';

/**
 * The listing reads a booking's times with `Date.parse` whenever it filters or sorts one, so the
 * number of parses measures the work of a page, without timing anything.
 */
const STORED = 100_000;
const HALF_HOUR = 30 * 60_000;
const FIRST = Date.parse('2031-01-06T00:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

const host = {
  id: 1,
  apiKey: 'cal_1',
  username: 'host',
  name: 'Host',
  email: 'host@example.com',
  timeZone: 'UTC',
};
const other = { ...host, id: 2, apiKey: 'cal_2', username: 'other' };

function booking(n: number, account: CalcomSimAccount = n % 10 === 9 ? other : host): CalcomSimBooking {
  const start = FIRST + n * HALF_HOUR;
  return {
    id: n + 1,
    uid: `uid-${n}`,
    eventType: { id: 1001 } as CalcomSimBooking['eventType'],
    host: account,
    title: 'Consultation',
    description: '',
    status: n % 7 === 0 ? 'cancelled' : 'accepted',
    start: iso(start),
    end: iso(start + HALF_HOUR),
    duration: 30,
    attendees: [],
    guests: [],
    metadata: {},
    location: '',
    absentHost: false,
    createdAt: iso(FIRST - 1000),
    // Updated in an order unrelated to the start.
    updatedAt: iso(FIRST + ((n * 7919) % STORED) * 1000),
  } as unknown as CalcomSimBooking;
}

const stored = Array.from({ length: STORED }, (_, n) => booking(n));
const NOW = FIRST;

describe('Cal.com simulator listing at scale', () => {
  afterEach(() => vi.restoreAllMocks());

  it('pages through 100,000 bookings with one filter and sort, not one per page', () => {
    const listing = createSimBookingListing();
    const query = {
      afterStart: iso(FIRST),
      beforeEnd: iso(FIRST + STORED * HALF_HOUR),
      sortStart: 'asc',
      take: '250',
    };
    const first = listing.list(stored, host, query, NOW, 1);
    const expectedTotal = stored.filter((b) => b.host.id === host.id).length;
    expect(first.pagination).toMatchObject({
      totalItems: expectedTotal,
      returnedItems: 250,
      hasNextPage: true,
    });

    const parse = vi.spyOn(Date, 'parse');
    const seen = first.data.map((b) => b.uid);
    let pages = 1;
    for (let skip = 250; skip < expectedTotal; skip += 250) {
      const page = listing.list(stored, host, { ...query, skip: String(skip) }, NOW, 1);
      seen.push(...page.data.map((b) => b.uid));
      pages += 1;
    }
    // The query's own instants are checked on each page; no booking is parsed again.
    expect(parse.mock.calls.length).toBeLessThanOrEqual(pages * 4);
    expect(listing.computed).toBe(1);
    expect(new Set(seen).size).toBe(expectedTotal);
    expect(seen.slice(0, 3)).toEqual(['uid-0', 'uid-1', 'uid-2']);
  });

  it('pages by last change the same way, in update order', () => {
    const listing = createSimBookingListing();
    const query = { afterUpdatedAt: iso(FIRST), sortUpdatedAt: 'asc', take: '250' };
    const first = listing.list(stored, host, query, NOW, 1);
    const parse = vi.spyOn(Date, 'parse');
    const second = listing.list(stored, host, { ...query, skip: '250' }, NOW, 1);
    expect(parse.mock.calls.length).toBeLessThanOrEqual(4);
    const updates = [...first.data, ...second.data].map((b) => Date.parse(b.updatedAt));
    expect(updates).toEqual([...updates].sort((a, b) => a - b));
    expect(listing.computed).toBe(1);
  });

  it('computes a listing again once a booking changed, so the next page sees the change', () => {
    const few = Array.from({ length: 30 }, (_, n) => booking(n, host));
    const listing = createSimBookingListing();
    const query = { sortStart: 'asc', take: '10' };
    const first = listing.list(few, host, query, NOW, 1);
    expect(first.data[0]?.uid).toBe('uid-0');
    // A booking before the others appears: Cal.com's offset pages shift by one.
    const earlier = { ...booking(-1, host), uid: 'uid-earlier' };
    const changed = [earlier, ...few];
    const second = listing.list(changed, host, { ...query, skip: '10' }, NOW, 2);
    expect(listing.computed).toBe(2);
    expect(second.data[0]?.uid).toBe('uid-9');
    expect(second.pagination.totalItems).toBe(31);
  });

  it('answers every page as a fresh listing would', () => {
    const listing = createSimBookingListing();
    const sample = stored.slice(0, 2_000);
    const query = {
      afterUpdatedAt: iso(FIRST + 10_000),
      sortUpdatedAt: 'desc',
      status: 'upcoming,cancelled',
      take: '97',
    };
    for (let skip = 0; skip < 2_000; skip += 97) {
      const cached = listing.list(sample, host, { ...query, skip: String(skip) }, NOW, 1);
      const fresh = createSimBookingListing().list(sample, host, { ...query, skip: String(skip) }, NOW, 1);
      expect(cached).toEqual(fresh);
    }
    expect(listing.computed).toBe(1);
  });

  it('pages a window whose start moves with each page (keyset paging) with one filter and sort', () => {
    const listing = createSimBookingListing();
    const beforeEnd = iso(FIRST + STORED * HALF_HOUR);
    const page = (afterStart: string) =>
      listing.list(stored, host, { afterStart, beforeEnd, sortStart: 'asc', take: '201' }, NOW, 1);
    let result = page(iso(FIRST));
    const seen = result.data.map((b) => b.uid);
    let pages = 1;
    while (result.pagination.hasNextPage) {
      // The next page starts at the last booking seen (inclusive), as the provider asks for it.
      result = page(result.data.at(-1)!.start);
      seen.push(...result.data.slice(1).map((b) => b.uid));
      pages += 1;
    }
    expect(pages).toBeGreaterThan(400);
    expect(listing.computed).toBe(1);
    expect(new Set(seen).size).toBe(stored.filter((b) => b.host.id === host.id).length);
  });

  it('answers a moved start as a fresh listing would, with totals counted from it', () => {
    const listing = createSimBookingListing();
    const sample = stored.slice(0, 3_000);
    for (let n = 0; n < 3_000; n += 233) {
      const query = { afterStart: iso(FIRST + n * HALF_HOUR + 1), status: 'upcoming', take: '50', skip: '3' };
      const cached = listing.list(sample, host, query, NOW, 1);
      const fresh = createSimBookingListing().list(sample, host, query, NOW, 1);
      expect(cached).toEqual(fresh);
    }
    expect(listing.computed).toBe(1);
  });
});
