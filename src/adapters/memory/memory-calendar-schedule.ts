import { z } from 'zod';
import { Id, TimeZone } from '../../domain/common.js';
import type { TimeRange } from '../../domain/time-range.js';
import { addDays, localDateOf, weekdayOf, zonedInstant, type LocalDate } from '../../util/zoned-time.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A time of day, `HH:MM` (24-hour clock), `24:00` for the end of the day. */
const TimeOfDay = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, {
  message: 'Expected a time of day like 09:00 (24:00 ends the day)',
});

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** One stretch of opening hours on a weekday, `[start, end)` in the event type's time zone. */
const OpeningInterval = z
  .object({ start: TimeOfDay, end: TimeOfDay })
  .refine((interval) => minutesOf(interval.end) > minutesOf(interval.start), {
    message: 'end must be after start',
    path: ['end'],
  });

const DayHours = z.array(OpeningInterval).optional();

/** Opening hours per weekday; a day left out is closed. */
const WeeklyHours = z.strictObject({
  sunday: DayHours,
  monday: DayHours,
  tuesday: DayHours,
  wednesday: DayHours,
  thursday: DayHours,
  friday: DayHours,
  saturday: DayHours,
});

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/**
 * An event type of the memory calendar: what can be booked, for how long, and when. Opening
 * hours are wall-clock times in the event type's `timeZone`, so they follow daylight saving.
 */
export const MemoryCalendarEventType = z.object({
  tenantId: Id,
  id: Id,
  /** The URL-friendly name. @default the id */
  slug: z.string().min(1).max(200).optional(),
  /** The name people see. @default the id */
  title: z.string().min(1).max(500).optional(),
  /** Length of a booking, in minutes. */
  durationMinutes: z.number().int().min(1).max(1440),
  timeZone: TimeZone,
  weeklyHours: WeeklyHours,
  /** Distance between slot starts, in minutes. @default durationMinutes */
  slotIntervalMinutes: z.number().int().min(1).max(1440).optional(),
  /** Slots starting sooner than this after now are not offered nor bookable. @default 0 */
  minimumNoticeMinutes: z.number().int().min(0).max(525_600).default(0),
  /**
   * The bookable resource (host): event types with the same host block each other's time.
   * @default the event type's id
   */
  hostId: Id.optional(),
});
/** An event type as given (see {@link MemoryCalendarEventType}). */
export type MemoryCalendarEventTypeInput = z.input<typeof MemoryCalendarEventType>;
/** An event type after validation and defaults. */
export type MemoryCalendarEventType = z.output<typeof MemoryCalendarEventType>;

/**
 * The host whose time an event type books.
 *
 * @internal
 */
export const hostOf = (eventType: MemoryCalendarEventType): string => eventType.hostId ?? eventType.id;

/** Opening intervals of `date` as epoch-ms ranges. */
function openingsOn(eventType: MemoryCalendarEventType, date: LocalDate): { start: number; end: number }[] {
  const hours = eventType.weeklyHours[WEEKDAYS[weekdayOf(date)]!] ?? [];
  return hours.map((interval) => ({
    start: zonedInstant(date, minutesOf(interval.start), eventType.timeZone),
    end: zonedInstant(date, minutesOf(interval.end), eventType.timeZone),
  }));
}

/** Local dates whose opening hours can touch `[from, to)`. */
function datesAround(eventType: MemoryCalendarEventType, from: number, to: number): LocalDate[] {
  const dates: LocalDate[] = [];
  let date = addDays(localDateOf(from, eventType.timeZone), -1);
  const last = localDateOf(to, eventType.timeZone);
  const lastKey = Date.UTC(last.year, last.month - 1, last.day);
  while (Date.UTC(date.year, date.month - 1, date.day) <= lastKey) {
    dates.push(date);
    date = addDays(date, 1);
  }
  return dates;
}

/**
 * Every slot the opening hours offer within `[from, to)` (epoch ms), ignoring bookings: starts
 * aligned to the slot interval from the start of each opening interval, each slot fitting inside
 * its interval. Sorted by start, without duplicates.
 *
 * @internal
 */
export function scheduledSlots(eventType: MemoryCalendarEventType, from: number, to: number): TimeRange[] {
  const durationMs = eventType.durationMinutes * MINUTE_MS;
  const stepMs = (eventType.slotIntervalMinutes ?? eventType.durationMinutes) * MINUTE_MS;
  const starts = new Set<number>();
  for (const date of datesAround(eventType, from, to)) {
    for (const opening of openingsOn(eventType, date)) {
      for (let start = opening.start; start + durationMs <= opening.end; start += stepMs) {
        if (start >= from && start + durationMs <= to) starts.add(start);
      }
    }
  }
  return [...starts]
    .sort((a, b) => a - b)
    .map((start) => ({
      start: new Date(start).toISOString(),
      end: new Date(start + durationMs).toISOString(),
    }));
}

/**
 * Whether `[start, end)` (epoch ms) lies inside one opening interval of the event type.
 *
 * @internal
 */
export function isWithinOpeningHours(
  eventType: MemoryCalendarEventType,
  start: number,
  end: number,
): boolean {
  if (end - start > DAY_MS) return false;
  return datesAround(eventType, start, end).some((date) =>
    openingsOn(eventType, date).some((opening) => opening.start <= start && end <= opening.end),
  );
}

/**
 * The slots (sorted by start, all of one length) that overlap none of the `taken` ranges: each
 * taken range strikes out the slots it touches, found by binary search, so the cost grows with
 * the slots and the taken ranges, not with their product.
 *
 * @internal
 */
export function freeSlots(slots: readonly TimeRange[], taken: readonly TimeRange[]): TimeRange[] {
  const starts = slots.map((slot) => Date.parse(slot.start));
  const first = slots[0];
  if (first === undefined) return [];
  const length = Date.parse(first.end) - Date.parse(first.start);
  const struck = new Set<number>();
  for (const range of taken) {
    const start = Date.parse(range.start);
    const end = Date.parse(range.end);
    // A slot overlaps [start, end) when it starts after start - length and before end.
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (starts[mid]! <= start - length) low = mid + 1;
      else high = mid;
    }
    for (let at = low; at < starts.length && starts[at]! < end; at += 1) struck.add(at);
  }
  return slots.filter((_, at) => !struck.has(at));
}
