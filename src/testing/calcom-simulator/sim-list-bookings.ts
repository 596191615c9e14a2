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

function comparatorOf(query: ListQuery): (a: CalcomSimBooking, b: CalcomSimBooking) => number {
  const keys: [ListQuery['sortStart'], (b: CalcomSimBooking) => number][] = [
    [query.sortStart, (b) => ms(b.start)],
    [query.sortEnd, (b) => ms(b.end)],
    [query.sortCreated, (b) => ms(b.createdAt)],
    [query.sortUpdatedAt, (b) => ms(b.updatedAt)],
  ];
  const chosen = keys.filter(([dir]) => dir !== undefined);
  // Without a sort parameter: by start, earliest first.
  const order = chosen.length > 0 ? chosen : [['asc', keys[0]![1]] as const];
  return (a, b) => {
    for (const [dir, value] of order) {
      const difference = value(a) - value(b);
      if (difference !== 0) return dir === 'desc' ? -difference : difference;
    }
    return a.id - b.id;
  };
}

/**
 * The page of the caller's bookings the query asks for, and its pagination block.
 *
 * @internal
 */
export function listSimBookings(
  bookings: Iterable<CalcomSimBooking>,
  caller: CalcomSimAccount,
  rawQuery: Readonly<Record<string, string>>,
  now: number,
): { data: CalcomSimBooking[]; pagination: SimPagination } {
  const query = parseOr400(ListQuery, rawQuery);
  const keep = filterOf(query, now);
  const matching = [...bookings]
    .filter((booking) => booking.host.id === caller.id && keep(booking))
    .sort(comparatorOf(query));
  const data = matching.slice(query.skip, query.skip + query.take);
  const total = matching.length;
  return {
    data,
    pagination: {
      totalItems: total,
      remainingItems: Math.max(0, total - query.skip - data.length),
      returnedItems: data.length,
      itemsPerPage: query.take,
      currentPage: Math.floor(query.skip / query.take) + 1,
      totalPages: Math.ceil(total / query.take),
      hasNextPage: query.skip + data.length < total,
      hasPreviousPage: query.skip > 0,
    },
  };
}
