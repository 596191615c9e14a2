import { z } from 'zod';
import { freeSlots, scheduledSlots } from '../../adapters/memory/memory-calendar-schedule.js';
import type { TimeRange } from '../../domain/time-range.js';
import { isTimeZone } from '../../util/zoned-time.js';
import type { CalcomSimBooking } from './sim-booking-record.js';
import { badRequest, notFound, parseOr400 } from './sim-error.js';
import { memoryEventTypeOf, type CalcomSimEventTypeRecord } from './sim-event-type.js';
import type { SimState } from './sim-state.js';
import { dateKeyInZone, formatInZone, parseInstant } from './sim-time.js';

// `GET /v2/slots`, version 2024-09-04 (reference §2.1): the window is read in UTC, `timeZone`
// only formats the answer, which is grouped by date in that zone, each slot an object.

const INVALID_RANGE = "Invalid time range given - check the 'start' and 'end' query parameters.";
const DAY_MS = 86_400_000;

const SlotQuery = z.object({
  start: z.string(),
  end: z.string(),
  eventTypeId: z.string().regex(/^\d+$/, { message: 'must be a number' }).transform(Number).optional(),
  eventTypeSlug: z.string().optional(),
  username: z.string().optional(),
  timeZone: z.string().refine(isTimeZone, { message: 'must be a valid IANA time zone' }).default('UTC'),
  duration: z.string().regex(/^\d+$/, { message: 'must be a number' }).transform(Number).optional(),
  format: z.enum(['time', 'range']).default('time'),
  bookingUidToReschedule: z.string().optional(),
});

/** The window's start: a date alone means 00:00:00Z. */
const windowStart = (value: string): number =>
  parseInstant(value.length === 10 ? `${value}T00:00:00Z` : value);

/** The window's end: a date alone, or midnight exactly, means 23:59:59Z of that date. */
function windowEnd(value: string): number {
  const parsed = parseInstant(value.length === 10 ? `${value}T00:00:00Z` : value);
  return parsed % DAY_MS === 0 ? parsed + DAY_MS - 1_000 : parsed;
}

/** Time another client's reservation holds. @internal */
export interface HeldRange extends TimeRange {
  readonly eventTypeId: number;
  /** Who holds it: an API key, or `anonymous`. */
  readonly holder: string;
}

const occupies = (booking: CalcomSimBooking): boolean =>
  booking.status === 'accepted' || booking.status === 'pending';

/**
 * Answers a slots query: the memory calendar's slots from the event type's schedule, less the
 * host's bookings (but the one being rescheduled) and the slots others hold with reservations.
 *
 * @internal
 */
export function availableSlots(
  state: SimState,
  rawQuery: Readonly<Record<string, string>>,
  held: readonly HeldRange[],
  requester: string,
): Record<string, { start: string; end?: string }[]> {
  const query = parseOr400(SlotQuery, rawQuery);
  const eventType = slotEventType(state, query.eventTypeId, query.eventTypeSlug, query.username);
  const start = windowStart(query.start);
  const end = windowEnd(query.end);
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) throw badRequest(INVALID_RANGE);
  const length = query.duration ?? eventType.lengthInMinutes;
  if (!eventType.lengths.includes(length))
    throw badRequest(
      `duration ${length} is not one of the event type's lengths: ${eventType.lengths.join(', ')}`,
    );
  const earliest = state.clock.now() + eventType.minimumBookingNoticeMinutes * 60_000;
  const schedule = {
    ...memoryEventTypeOf(eventType, length),
    minimumNoticeMinutes: eventType.minimumBookingNoticeMinutes,
  };
  const candidates = scheduledSlots(schedule, Math.max(start, earliest), end);
  const taken: TimeRange[] = [...state.bookings.values()].filter(
    (booking) =>
      booking.host.username === eventType.owner &&
      occupies(booking) &&
      booking.uid !== query.bookingUidToReschedule,
  );
  for (const range of held)
    if (range.eventTypeId === eventType.id && range.holder !== requester) taken.push(range);
  const grouped: Record<string, { start: string; end?: string }[]> = {};
  for (const slot of freeSlots(candidates, taken)) {
    const slotStart = Date.parse(slot.start);
    const entry =
      query.format === 'range'
        ? {
            start: formatInZone(slotStart, query.timeZone),
            end: formatInZone(Date.parse(slot.end), query.timeZone),
          }
        : { start: formatInZone(slotStart, query.timeZone) };
    (grouped[dateKeyInZone(slotStart, query.timeZone)] ??= []).push(entry);
  }
  return grouped;
}

function slotEventType(
  state: SimState,
  id?: number,
  slug?: string,
  username?: string,
): CalcomSimEventTypeRecord {
  if (id !== undefined) return state.eventType(id);
  if (slug !== undefined && username !== undefined) {
    for (const eventType of state.eventTypes.values())
      if (eventType.slug === slug && eventType.owner === username) return eventType;
    throw notFound(`Event type with slug ${slug} and username ${username} not found`);
  }
  throw badRequest('eventTypeId or eventTypeSlug + username must be provided');
}
