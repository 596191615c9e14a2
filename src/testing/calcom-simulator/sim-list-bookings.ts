import { z } from 'zod';
import type { CalcomSimAccount } from './sim-accounts.js';
import type { CalcomSimBooking } from './sim-booking-record.js';
import { parseOr400 } from './sim-error.js';

// `GET /v2/bookings` (GetBookingsInput_2024_08_13; reference §2.5): filters, sorting and offset
// paging over the caller's bookings.

const csv = z.string().transform((value) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== ''),
);
const instant = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), { message: 'must be a valid ISO 8601 date' });
const direction = z.enum(['asc', 'desc']).optional();
const count = (min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined ? fallback : Number(value)))
    .pipe(z.number().int().min(min).max(max));

const ListQuery = z.object({
  status: csv.pipe(z.array(z.enum(['upcoming', 'recurring', 'past', 'cancelled', 'unconfirmed']))).optional(),
  attendeeEmail: z.string().optional(),
  attendeeName: z.string().optional(),
  bookingUid: z.string().optional(),
  eventTypeIds: csv.optional(),
  eventTypeId: z.string().optional(),
  afterStart: instant.optional(),
  beforeEnd: instant.optional(),
  afterCreatedAt: instant.optional(),
  beforeCreatedAt: instant.optional(),
  afterUpdatedAt: instant.optional(),
  beforeUpdatedAt: instant.optional(),
  sortStart: direction,
  sortEnd: direction,
  sortCreated: direction,
  sortUpdatedAt: direction,
  take: count(1, 250, 100),
  skip: count(0, Number.MAX_SAFE_INTEGER, 0),
});
type ListQuery = z.infer<typeof ListQuery>;

/** `PaginationMetaDto`. */
export interface SimPagination {
  readonly totalItems: number;
  readonly remainingItems: number;
  readonly returnedItems: number;
  readonly itemsPerPage: number;
  readonly currentPage: number;
  readonly totalPages: number;
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
}

const ms = (value: string): number => Date.parse(value);

function matchesStatus(booking: CalcomSimBooking, statuses: readonly string[], now: number): boolean {
  const ended = ms(booking.end) <= now;
  const open = booking.status === 'accepted' || booking.status === 'pending';
  return statuses.some((status) => {
    switch (status) {
      case 'upcoming':
        return open && !ended;
      case 'past':
        return open && ended;
      case 'cancelled':
        return !open;
      case 'unconfirmed':
        return booking.status === 'pending' && !ended;
      default:
        return false; // recurring: the simulator has no recurring event types
    }
  });
}

function filterOf(query: ListQuery, now: number): (booking: CalcomSimBooking) => boolean {
  const eventTypeIds = query.eventTypeIds ?? (query.eventTypeId ? [query.eventTypeId] : undefined);
  // An unencoded `+` arrives as a space; Cal.com turns inner whitespace back into `+`.
  const email = query.attendeeEmail?.trim().replace(/\s+/g, '+').toLowerCase();
  const bounds: [keyof ListQuery, (b: CalcomSimBooking) => number, 1 | -1][] = [
    ['afterStart', (b) => ms(b.start), 1],
    ['beforeEnd', (b) => ms(b.end), -1],
    ['afterCreatedAt', (b) => ms(b.createdAt), 1],
    ['beforeCreatedAt', (b) => ms(b.createdAt), -1],
    ['afterUpdatedAt', (b) => ms(b.updatedAt), 1],
    ['beforeUpdatedAt', (b) => ms(b.updatedAt), -1],
  ];
  return (booking) => {
    if (query.status && query.status.length > 0 && !matchesStatus(booking, query.status, now)) return false;
    if (email && !booking.attendees.some((attendee) => attendee.email.toLowerCase() === email)) return false;
    const name = query.attendeeName?.trim();
    if (name && !booking.attendees.some((attendee) => attendee.name === name)) return false;
    const uid = query.bookingUid?.trim();
    if (uid && booking.uid !== uid) return false;
    if (eventTypeIds && eventTypeIds.length > 0 && !eventTypeIds.includes(String(booking.eventType.id)))
      return false;
    for (const [key, value, sign] of bounds) {
      const bound = query[key];
      if (typeof bound === 'string' && sign * (value(booking) - ms(bound)) < 0) return false;
    }
    return true;
  };
}

/** The query's sort keys, most significant first; by start, earliest first, without one. */
function orderOf(query: ListQuery): readonly (readonly [1 | -1, (b: CalcomSimBooking) => number])[] {
  const keys: [ListQuery['sortStart'], (b: CalcomSimBooking) => number][] = [
    [query.sortStart, (b) => ms(b.start)],
    [query.sortEnd, (b) => ms(b.end)],
    [query.sortCreated, (b) => ms(b.createdAt)],
    [query.sortUpdatedAt, (b) => ms(b.updatedAt)],
  ];
  const chosen = keys.filter(([dir]) => dir !== undefined);
  if (chosen.length === 0) return [[1, keys[0]![1]]];
  return chosen.map(([dir, value]) => [dir === 'desc' ? -1 : 1, value] as const);
}

/** `bookings` in the query's order, ties broken by id; each booking's keys are read once. */
function sortedBy(query: ListQuery, bookings: readonly CalcomSimBooking[]): CalcomSimBooking[] {
  const order = orderOf(query);
  const keyed = bookings.map((booking) => ({ booking, keys: order.map(([, value]) => value(booking)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < order.length; i += 1) {
      const difference = a.keys[i]! - b.keys[i]!;
      if (difference !== 0) return order[i]![0] * difference;
    }
    return a.booking.id - b.booking.id;
  });
  return keyed.map((entry) => entry.booking);
}

/** The bookings a query matches, in its order, and what they were computed from. */
interface Matched {
  readonly version: number;
  readonly bookings: readonly CalcomSimBooking[];
  /** Start times (ms) of `bookings`, when they are ordered by start, earliest first. */
  readonly starts: readonly number[] | null;
}

/** Whether the query's order is by start, earliest first (its first sort key, or no sort key). */
function startsAscending(query: ListQuery): boolean {
  const first = [query.sortStart, query.sortEnd, query.sortCreated, query.sortUpdatedAt].find(
    (direction) => direction !== undefined,
  );
  return first === undefined ? true : query.sortStart === first && first === 'asc';
}

/** The first index of `starts` (ascending) at or after `from`. */
function lowerBound(starts: readonly number[], from: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (starts[middle]! < from) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** How many distinct listings (query without `skip`/`take`) are kept between pages. */
const CACHED_LISTINGS = 8;

/**
 * Pages of the caller's bookings, as `GET /v2/bookings` answers them. A listing is filtered and
 * sorted once: its pages are then cut from the same result as long as no booking changed (the
 * `version` of the bookings) and, for a status filter, the clock did not move. So paging through
 * 100,000 bookings costs one filter and sort, not one per page; a change in between (Cal.com's
 * offset paging shifts then) is seen by the next page.
 *
 * @internal
 */
export interface SimBookingListing {
  /** The page of the caller's bookings the query asks for, and its pagination block. */
  list(
    bookings: Iterable<CalcomSimBooking>,
    caller: CalcomSimAccount,
    rawQuery: Readonly<Record<string, string>>,
    now: number,
    version: number,
  ): { data: CalcomSimBooking[]; pagination: SimPagination };
  /** How many times a listing was filtered and sorted in full (a cache miss). */
  readonly computed: number;
}

/** @internal */
export function createSimBookingListing(): SimBookingListing {
  // Insertion order is recency: a hit moves its entry to the end, the oldest goes first.
  const cache = new Map<string, Matched>();
  let computed = 0;
  return {
    get computed() {
      return computed;
    },
    list(bookings, caller, rawQuery, now, version) {
      const query = parseOr400(ListQuery, rawQuery);
      const { skip, take, ...filters } = query;
      // A listing in start order is kept whatever its `afterStart`: a page that moves the start on
      // (keyset paging) is cut from the same result, from the first booking at or after it.
      const byStart = startsAscending(query);
      const { afterStart, ...rest } = filters;
      const cached = byStart ? rest : filters;
      // The status filter reads the clock (upcoming, past): its result holds for this instant only.
      const key = JSON.stringify([caller.id, byStart, cached, query.status?.length ? now : null]);
      let matched = cache.get(key);
      if (matched?.version !== version) {
        const keep = filterOf(byStart ? { ...query, afterStart: undefined } : query, now);
        const matching = sortedBy(
          query,
          [...bookings].filter((booking) => booking.host.id === caller.id && keep(booking)),
        );
        computed += 1;
        matched = { version, bookings: matching, starts: byStart ? matching.map((b) => ms(b.start)) : null };
      }
      cache.delete(key);
      cache.set(key, matched);
      if (cache.size > CACHED_LISTINGS) cache.delete(cache.keys().next().value!);
      const from =
        matched.starts && afterStart !== undefined ? lowerBound(matched.starts, ms(afterStart)) : 0;
      return pageOf(matched.bookings, from, skip, take);
    },
  };
}

/** The page at `skip` of the bookings from index `from` of `matching` on. */
function pageOf(
  matching: readonly CalcomSimBooking[],
  from: number,
  skip: number,
  take: number,
): { data: CalcomSimBooking[]; pagination: SimPagination } {
  const data = matching.slice(from + skip, from + skip + take);
  const total = matching.length - from;
  return {
    data,
    pagination: {
      totalItems: total,
      remainingItems: Math.max(0, total - skip - data.length),
      returnedItems: data.length,
      itemsPerPage: take,
      currentPage: Math.floor(skip / take) + 1,
      totalPages: Math.ceil(total / take),
      hasNextPage: skip + data.length < total,
      hasPreviousPage: skip > 0,
    },
  };
}
