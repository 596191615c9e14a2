/**
 * Wall-clock arithmetic in IANA time zones through `Intl` (no dependency): what local date an
 * instant falls on, and which instant a local date and time mean. Daylight-saving shifts are
 * handled like Temporal's 'compatible' disambiguation: a local time skipped by a spring-forward is
 * moved forward by the gap's length, a local time repeated by a fall-back means its first occurrence.
 */

/** A calendar date without a time zone. */
export interface LocalDate {
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  /** 1–31. */
  readonly day: number;
}

const DAY_MS = 86_400_000;

/**
 * How many zones' formatters are kept. Building an `Intl.DateTimeFormat` costs far more than using
 * one, so each zone's is built once; zone names come from input (and `Intl` takes any letter
 * case), so the cache is bounded: past the limit, the zone cached first is dropped. The IANA
 * database has about 600 zones, of which a deployment uses a few.
 *
 * @internal
 */
export const ZONE_CACHE_LIMIT = 500;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The formatter of `timeZone`. @throws RangeError when the runtime does not know the zone. */
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size >= ZONE_CACHE_LIMIT) formatters.delete(formatters.keys().next().value!);
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Whether the runtime's zone database knows `value` as a time zone (`Europe/Berlin`, `UTC`). The
 * answer for a known zone is cached with its formatter; an unknown name is asked about each time,
 * so junk input fills no cache.
 *
 * @example
 * ```ts
 * isTimeZone('Europe/Berlin'); // true
 * isTimeZone('Mars/Olympus_Mons'); // false
 * ```
 * @internal
 */
export function isTimeZone(value: string): boolean {
  try {
    formatterOf(value);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `timeZone` at `instantMs` (ms), formatted by `Intl`: the exact but costly way. */
function formattedOffsetMs(instantMs: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  return Date.UTC(year, month - 1, day, hour, minute, second) - Math.floor(instantMs / 1000) * 1000;
}

const HOUR_MS = 3_600_000;
/** Hours of offsets kept per zone; past it, the zone's cache starts afresh. */
const HOURS_PER_ZONE = 4_096;
/** Per zone: the offset of each UTC hour (its index since the epoch) that has one throughout. */
const hourlyOffsets = new Map<string, Map<number, number>>();

/**
 * The offset of `timeZone` at `instantMs`, formatted once per zone and UTC hour: an hour whose
 * first and last millisecond have the same offset has it throughout (no zone changes its offset
 * twice within an hour), so it is cached; an hour with a transition in it is formatted each time.
 */
function offsetAt(instantMs: number, timeZone: string): number {
  const hour = Math.floor(instantMs / HOUR_MS);
  let zone = hourlyOffsets.get(timeZone);
  const cached = zone?.get(hour);
  if (cached !== undefined) return cached;
  const start = hour * HOUR_MS;
  const first = formattedOffsetMs(start, timeZone);
  if (formattedOffsetMs(start + HOUR_MS - 1, timeZone) !== first)
    return formattedOffsetMs(instantMs, timeZone);
  if (!zone) {
    // Only zones the runtime knows get here (formatting threw otherwise), bounded like formatters.
    if (hourlyOffsets.size >= ZONE_CACHE_LIMIT) hourlyOffsets.delete(hourlyOffsets.keys().next().value!);
    zone = new Map();
    hourlyOffsets.set(timeZone, zone);
  }
  if (zone.size >= HOURS_PER_ZONE) zone.clear();
  zone.set(hour, first);
  return first;
}

/** The wall-clock fields of `instantMs` in `timeZone`, as if they were UTC (epoch ms). */
function wallClockMs(instantMs: number, timeZone: string): number {
  return instantMs + offsetAt(instantMs, timeZone);
}

/**
 * Offset of `timeZone` from UTC at `instantMs`, in ms (positive east of Greenwich).
 *
 * @internal
 */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  return wallClockMs(instantMs, timeZone) - instantMs;
}

/**
 * The local date of `instantMs` in `timeZone`.
 *
 * @internal
 */
export function localDateOf(instantMs: number, timeZone: string): LocalDate {
  const wall = new Date(wallClockMs(instantMs, timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/**
 * The local date `days` after `date` (negative: before).
 *
 * @internal
 */
export function addDays(date: LocalDate, days: number): LocalDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/**
 * Day of the week of a local date: 0 = Sunday … 6 = Saturday.
 *
 * @internal
 */
export function weekdayOf(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/**
 * `YYYY-MM-DD` of a local date.
 *
 * @internal
 */
export function formatLocalDate(date: LocalDate): string {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/**
 * The instant (epoch ms) at which the wall clock in `timeZone` shows `minuteOfDay` minutes after
 * midnight of `date`. `minuteOfDay` may be 1440 (midnight at the end of the day).
 *
 * @internal
 */
export function zonedInstant(date: LocalDate, minuteOfDay: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * 60_000;
  // The offsets a day either side bracket any daylight-saving change near `wall`.
  const before = wall - zoneOffsetMs(wall - DAY_MS, timeZone);
  const after = wall - zoneOffsetMs(wall + DAY_MS, timeZone);
  const showsWall = (instant: number): boolean => wallClockMs(instant, timeZone) === wall;
  if (showsWall(before) && showsWall(after)) return Math.min(before, after);
  if (showsWall(after)) return after;
  // `before` shows `wall`, or `wall` falls into a gap: then `before` is `wall` moved forward by
  // the gap's length (like Temporal's 'compatible' disambiguation).
  return before;
}

/**
 * Midnight starting `date` in `timeZone`, as epoch ms.
 *
 * @internal
 */
export function startOfLocalDay(date: LocalDate, timeZone: string): number {
  return zonedInstant(date, 0, timeZone);
}
