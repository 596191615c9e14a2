import { z } from 'zod';
import type { TimeRange } from '../../domain/time-range.js';
import type { AvailabilityCache } from '../../ports/availability-cache.js';
import type { CalendarProvider } from '../../ports/calendar-provider.js';
import type { Logger } from '../../ports/logger.js';
import type { OperationOptions } from '../../util/abort.js';
import { TelemetryAttributes as A } from '../../observability/attributes.js';
import { observeCalendarCall } from '../../observability/calendar-call.js';
import { bookingkitInstruments } from '../../observability/instruments.js';
import { eventTypeDayTag, eventTypeTag, slotsKey, utcDayName, utcDaysOf } from './availability-keys.js';

const DAY_MS = 86_400_000;
const CachedSlots = z.array(z.object({ start: z.string(), end: z.string() }));
const HIT = Object.freeze({ [A.cache]: 'availability', [A.cacheResult]: 'hit' });
const MISS = Object.freeze({ [A.cache]: 'availability', [A.cacheResult]: 'miss' });

/** Settings of {@link createSlotDayCache}. @internal */
export interface SlotDayCacheSettings {
  readonly calendar: CalendarProvider;
  readonly cache: AvailabilityCache;
  readonly ttlMs: number;
  readonly maxSlotDurationMs: number;
  readonly logger: Logger;
}

/** Free slots per UTC day, read through the cache. @internal */
export interface SlotDayCache {
  /** Every free slot starting on the UTC days `[from, to)` touches, sorted by start. */
  read(
    tenantId: string,
    eventTypeId: string,
    from: number,
    to: number,
    options: OperationOptions,
  ): Promise<TimeRange[]>;
  /** Notes an invalidation, so a fetch that started before it does not cache what it read. */
  invalidated(tenantId: string, eventTypeId: string): void;
  /** Names of the days whose cached slots a change of `[start, end)` can affect. */
  daysTouching(start: number, end: number): string[];
}

/**
 * The day-bucketed read-through cache behind the availability service. Days missing from the
 * cache are fetched from the calendar in runs of consecutive days (one call per run), each run
 * extended by the longest slot so that slots crossing midnight are kept, and stored per day.
 *
 * @internal
 */
export function createSlotDayCache(settings: SlotDayCacheSettings): SlotDayCache {
  const { calendar, cache, ttlMs, maxSlotDurationMs, logger } = settings;
  /** Invalidations seen per tenant and event type, to detect a fetch overtaken by one. */
  const generations = new Map<string, number>();
  const generationKey = (tenantId: string, eventTypeId: string): string =>
    JSON.stringify([tenantId, eventTypeId]);

  /** {@link readCachedDay}, counted as a hit or a miss (`bookingkit.cache.lookups`). */
  const readCached = async (
    tenantId: string,
    key: string,
    options: OperationOptions,
  ): Promise<TimeRange[] | undefined> => {
    const found = await readCachedDay(tenantId, key, options);
    bookingkitInstruments().cacheLookups.add(1, found ? HIT : MISS);
    return found;
  };

  const readCachedDay = async (
    tenantId: string,
    key: string,
    options: OperationOptions,
  ): Promise<TimeRange[] | undefined> => {
    let value: unknown;
    try {
      value = await cache.get(tenantId, key, options);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      logger.warn({ err: error, tenantId, key }, 'availability cache read failed; asking the calendar');
      return undefined;
    }
    if (value === undefined) return undefined;
    const parsed = CachedSlots.safeParse(value);
    if (parsed.success) return parsed.data;
    logger.warn({ tenantId, key }, 'ignoring a malformed availability cache entry');
    return undefined;
  };

  const fetchRun = async (
    tenantId: string,
    eventTypeId: string,
    run: readonly number[],
    options: OperationOptions,
  ): Promise<Map<number, TimeRange[]>> => {
    const first = run[0]!;
    const end = run[run.length - 1]! + DAY_MS;
    const generation = generations.get(generationKey(tenantId, eventTypeId)) ?? 0;
    const slots = await observeCalendarCall('getAvailableSlots', tenantId, () =>
      calendar.getAvailableSlots(
        tenantId,
        {
          eventTypeId,
          from: new Date(first).toISOString(),
          to: new Date(end + maxSlotDurationMs).toISOString(),
        },
        options,
      ),
    );
    const byDay = new Map<number, TimeRange[]>(run.map((day) => [day, []]));
    for (const slot of slots) {
      const start = Date.parse(slot.start);
      const day = Math.floor(start / DAY_MS) * DAY_MS;
      byDay.get(day)?.push({ start: slot.start, end: slot.end });
    }
    if ((generations.get(generationKey(tenantId, eventTypeId)) ?? 0) !== generation) return byDay;
    await Promise.all(
      [...byDay].map(async ([day, daySlots]) => {
        const name = utcDayName(day);
        try {
          await cache.set(tenantId, slotsKey(eventTypeId, name), daySlots, {
            ttlMs,
            tags: [eventTypeTag(eventTypeId), eventTypeDayTag(eventTypeId, name)],
            ...(options.signal === undefined ? {} : { signal: options.signal }),
          });
        } catch (error) {
          if (options.signal?.aborted) throw error;
          logger.warn({ err: error, tenantId, eventTypeId, day: name }, 'availability cache write failed');
        }
      }),
    );
    return byDay;
  };

  return {
    async read(tenantId, eventTypeId, from, to, options) {
      const days = utcDaysOf(from, to);
      const found = new Map<number, TimeRange[]>();
      await Promise.all(
        days.map(async (day) => {
          const cached = await readCached(tenantId, slotsKey(eventTypeId, utcDayName(day)), options);
          if (cached) found.set(day, cached);
        }),
      );
      const runs: number[][] = [];
      for (const day of days) {
        if (found.has(day)) continue;
        const last = runs[runs.length - 1];
        if (last && last[last.length - 1] === day - DAY_MS) last.push(day);
        else runs.push([day]);
      }
      const fetched = await Promise.all(runs.map((run) => fetchRun(tenantId, eventTypeId, run, options)));
      for (const byDay of fetched) for (const [day, slots] of byDay) found.set(day, slots);
      return days
        .flatMap((day) => found.get(day) ?? [])
        .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    },

    invalidated(tenantId, eventTypeId) {
      const key = generationKey(tenantId, eventTypeId);
      generations.set(key, (generations.get(key) ?? 0) + 1);
    },

    daysTouching(start, end) {
      return utcDaysOf(start - maxSlotDurationMs, end).map(utcDayName);
    },
  };
}
