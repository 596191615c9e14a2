import { z } from 'zod';
import { formatLocalDate, localDateOf, zonedInstant, type LocalDate } from '../../util/zoned-time.js';

/** A calendar day as the agent passes it: `YYYY-MM-DD`, a real date. */
export const LocalDateArg = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((value) => parseLocalDate(value) !== null, 'a date that exists')
  .describe('The day, as YYYY-MM-DD, in the business time zone.');

/** A wall-clock time as the agent passes it: `HH:mm`, 24-hour. */
export const LocalTimeArg = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:mm, 24-hour')
  .describe('The time of day, as HH:mm on a 24-hour clock, in the business time zone.');

/** The date of `YYYY-MM-DD`, or `null` when it does not exist (2026-02-30). @internal */
export function parseLocalDate(value: string): LocalDate | null {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const date = { year, month, day };
  const check = new Date(Date.UTC(year, month - 1, day));
  return formatLocalDate({
    year: check.getUTCFullYear(),
    month: check.getUTCMonth() + 1,
    day: check.getUTCDate(),
  }) === value
    ? date
    : null;
}

/** The instant a local date and `HH:mm` mean in `timeZone`, as ISO. @internal */
export function localInstant(date: string, time: string, timeZone: string): string {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return new Date(zonedInstant(parseLocalDate(date)!, hours * 60 + minutes, timeZone)).toISOString();
}

/** Midnight starting a local date in `timeZone`, epoch ms; `days` later with an offset. @internal */
export function localDayStart(date: string, timeZone: string, days = 0): number {
  const parsed = parseLocalDate(date)!;
  const moved = new Date(Date.UTC(parsed.year, parsed.month - 1, parsed.day + days));
  return zonedInstant(
    { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() },
    0,
    timeZone,
  );
}

/** `YYYY-MM-DD` of the day an instant falls on in `timeZone`. @internal */
export function localDateKey(instant: string | number, timeZone: string): string {
  return formatLocalDate(localDateOf(typeof instant === 'number' ? instant : Date.parse(instant), timeZone));
}
