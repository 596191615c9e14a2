import { z } from 'zod';
import { Id, TimeZone } from '../../domain/common.js';
import { overlaps, TimeRange } from '../../domain/time-range.js';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { NotFoundError } from '../../errors/store-errors.js';
import { parseWith } from '../../errors/validation-error.js';
import type { AvailabilityCache } from '../../ports/availability-cache.js';
import type { CalendarProvider } from '../../ports/calendar-provider.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { checkNumberOption, numberOption, requireOption } from '../../util/options.js';
import { addDays, localDateOf, startOfLocalDay } from '../../util/zoned-time.js';
import { isCalendarRequestRejectedError } from '../errors.js';
import { eventTypeDayTag, eventTypeTag } from './availability-keys.js';
import { createSlotDayCache } from './slot-day-cache.js';

/** Options of {@link createAvailabilityService}. */
export interface AvailabilityServiceOptions {
  readonly calendar: CalendarProvider;
  /** Where free slots are cached, per tenant, event type and UTC day. */
  readonly cache: AvailabilityCache;
  /** How long a cached day stays valid when nothing invalidates it, in ms (1 ms – 1 day). */
  readonly ttlMs: number;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
  /**
   * The longest slot any event type has. Days are fetched this much beyond their end, so a slot
   * that starts before midnight UTC and ends after it is kept, and an invalidation reaches back
   * this far, to the slots that start earlier but overlap the change.
   * @default 86_400_000 (one day)
   */
  readonly maxSlotDurationMs?: number;
  /** Days `findAlternatives` searches, the requested day included (1–90). @default 14 */
  readonly searchDays?: number;
  /** Time zone whose calendar days `findAlternatives` calls "the same day". @default 'UTC' */
  readonly timeZone?: string;
}

/** Options of {@link AvailabilityService.findAlternatives}. */
export interface FindAlternativesOptions extends OperationOptions {
  /** @default the service's `timeZone` */
  readonly timeZone?: string;
  /** @default the service's `searchDays` */
  readonly searchDays?: number;
  /**
   * Times known to be taken (e.g. appointments not yet in the calendar); slots overlapping one
   * are not offered. @default [requested]
   */
  readonly exclude?: readonly TimeRange[];
}

/**
 * Free slots, read through a cache, and alternatives when a requested time is taken. The cache
 * holds one entry per tenant, event type and UTC day, tagged `eventType:<id>` and per day, so a
 * booking change invalidates only the days it touches (see {@link AvailabilityService.invalidate}).
 */
export interface AvailabilityService {
  /**
   * Free slots of an event type lying within `range`, sorted by start; never a slot in the past.
   * A failing cache is bypassed (and logged), not fatal.
   * @throws {@link ValidationError} for a bad range or id; {@link NotFoundError} (`EventType`) when
   * the tenant's calendar has no such event type; whatever else the calendar throws.
   */
  getSlots(
    tenantId: string,
    eventTypeId: string,
    range: TimeRange,
    options?: OperationOptions,
  ): Promise<TimeRange[]>;
  /**
   * The `n` free slots nearest to `requested`: those of the same day first, by distance from the
   * requested start (earlier first on a tie), then those of the following days, earliest first,
   * up to `searchDays`.
   * @throws {@link ValidationError} naming a bad argument.
   */
  findAlternatives(
    tenantId: string,
    eventTypeId: string,
    requested: TimeRange,
    n: number,
    options?: FindAlternativesOptions,
  ): Promise<TimeRange[]>;
  /**
   * Drops cached availability of an event type: the days `range` (and the longest slot before
   * it) touches, or every day without a range.
   */
  invalidate(
    tenantId: string,
    eventTypeId: string,
    range?: TimeRange,
    options?: OperationOptions,
  ): Promise<void>;
}

const MAX_RANGE_MS = 92 * 86_400_000;
const SlotRange = TimeRange.refine((r) => Date.parse(r.end) - Date.parse(r.start) <= MAX_RANGE_MS, {
  message: 'may span at most 92 days',
  path: ['end'],
});
const Ids = z.object({ tenantId: Id, eventTypeId: Id });
const AlternativesArgs = z.object({
  requested: TimeRange,
  n: z.number().int().min(1).max(100),
  timeZone: TimeZone,
  searchDays: z.number().int().min(1).max(90),
  exclude: z.array(TimeRange).max(1000),
});

/**
 * The calendar's `not_found` refusal of a slot query as what it means to the caller: the tenant
 * has no such event type (it may be another tenant's). Other errors are returned as they are.
 */
function notFoundAsEventType(error: unknown, tenantId: string, eventTypeId: string): unknown {
  if (!isCalendarRequestRejectedError(error) || error.context.reason !== 'not_found') return error;
  return new NotFoundError({ entity: 'EventType', id: eventTypeId, tenantId }, { cause: error });
}

/**
 * Creates the {@link AvailabilityService}.
 *
 * @throws {@link InvalidOptionError} for a missing calendar or cache, or a bad option.
 * @example
 * ```ts
 * declare const calendar: CalendarProvider;
 * declare const start: string;
 * declare const end: string;
 * declare const requested: TimeRange;
 * // ---cut---
 * const availability = createAvailabilityService({ calendar, cache: createMemoryAvailabilityCache(), ttlMs: 60_000 });
 * const slots = await availability.getSlots('acme', 'consultation', { start, end });
 * const offers = await availability.findAlternatives('acme', 'consultation', requested, 3);
 * ```
 */
export function createAvailabilityService(options: AvailabilityServiceOptions): AvailabilityService {
  const calendar = requireOption(
    'createAvailabilityService',
    options,
    'calendar',
    'a CalendarProvider, e.g. createMemoryCalendarProvider({ eventTypes })',
    (value) => typeof (value as Partial<CalendarProvider>).getAvailableSlots === 'function',
  );
  const cache = requireOption(
    'createAvailabilityService',
    options,
    'cache',
    'an AvailabilityCache, e.g. createMemoryAvailabilityCache()',
    (value) => typeof (value as Partial<AvailabilityCache>).get === 'function',
  );
  const details = { factory: 'createAvailabilityService' };
  const ttlMs = checkNumberOption(
    'ttlMs',
    options.ttlMs,
    { min: 1, max: 86_400_000, integer: true },
    details,
  );
  const maxSlotDurationMs = numberOption(
    'maxSlotDurationMs',
    options.maxSlotDurationMs,
    86_400_000,
    { min: 60_000, max: 7 * 86_400_000, integer: true },
    details,
  );
  const searchDays = numberOption(
    'searchDays',
    options.searchDays,
    14,
    { min: 1, max: 90, integer: true },
    details,
  );
  const timeZone = options.timeZone ?? 'UTC';
  if (!TimeZone.safeParse(timeZone).success)
    throw new InvalidOptionError('timeZone', timeZone, 'an IANA time zone', details);
  const clock = options.clock ?? systemClock;
  const days = createSlotDayCache({
    calendar,
    cache,
    ttlMs,
    maxSlotDurationMs,
    logger: options.logger ?? silentLogger,
  });

  const getSlots: AvailabilityService['getSlots'] = async (tenantId, eventTypeId, range, opts = {}) => {
    throwIfAborted(opts.signal);
    parseWith(Ids, { tenantId, eventTypeId }, 'availability query');
    const { start, end } = parseWith(SlotRange, range, 'availability range');
    const from = Date.parse(start);
    const to = Date.parse(end);
    const now = clock.now();
    const slots = await days.read(tenantId, eventTypeId, from, to, opts).catch((error: unknown) => {
      throw notFoundAsEventType(error, tenantId, eventTypeId);
    });
    return slots.filter((slot) => {
      const slotStart = Date.parse(slot.start);
      return slotStart >= from && slotStart >= now && Date.parse(slot.end) <= to;
    });
  };

  return {
    getSlots,

    async findAlternatives(tenantId, eventTypeId, requested, n, opts = {}) {
      const args = parseWith(
        AlternativesArgs,
        {
          requested,
          n,
          timeZone: opts.timeZone ?? timeZone,
          searchDays: opts.searchDays ?? searchDays,
          exclude: opts.exclude ?? [requested],
        },
        'alternatives query',
      );
      const wanted = Date.parse(args.requested.start);
      const day = localDateOf(wanted, args.timeZone);
      const dayStart = startOfLocalDay(day, args.timeZone);
      const dayEnd = startOfLocalDay(addDays(day, 1), args.timeZone);
      const free = (slot: TimeRange): boolean => !args.exclude.some((taken) => overlaps(taken, slot));
      const iso = (ms: number): string => new Date(ms).toISOString();

      const sameDay = (
        await getSlots(tenantId, eventTypeId, { start: iso(dayStart), end: iso(dayEnd) }, opts)
      )
        .filter(free)
        .map((slot) => ({ slot, distance: Math.abs(Date.parse(slot.start) - wanted) }))
        .sort((a, b) => a.distance - b.distance || Date.parse(a.slot.start) - Date.parse(b.slot.start))
        .map(({ slot }) => slot);
      if (sameDay.length >= args.n || args.searchDays === 1) return sameDay.slice(0, args.n);
      const windowEnd = startOfLocalDay(addDays(day, args.searchDays), args.timeZone);
      const later = await getSlots(tenantId, eventTypeId, { start: iso(dayEnd), end: iso(windowEnd) }, opts);
      return [...sameDay, ...later.filter(free)].slice(0, args.n);
    },

    async invalidate(tenantId, eventTypeId, range, opts = {}) {
      throwIfAborted(opts.signal);
      parseWith(Ids, { tenantId, eventTypeId }, 'availability invalidation');
      if (range === undefined) {
        days.invalidated(tenantId, eventTypeId);
        await cache.invalidateTags(tenantId, [eventTypeTag(eventTypeId)], opts);
        return;
      }
      const { start, end } = parseWith(TimeRange, range, 'availability invalidation range');
      const touched = days.daysTouching(Date.parse(start), Date.parse(end));
      days.invalidated(tenantId, eventTypeId);
      await cache.invalidateTags(
        tenantId,
        touched.map((day) => eventTypeDayTag(eventTypeId, day)),
        opts,
      );
    },
  };
}
