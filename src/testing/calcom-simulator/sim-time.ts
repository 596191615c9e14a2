import { formatLocalDate, localDateOf, zoneOffsetMs } from '../../util/zoned-time.js';

/**
 * An instant as Cal.com's slots write it: wall-clock time in `timeZone` with its offset,
 * milliseconds included (`2050-09-05T09:00:00.000+02:00`).
 *
 * @internal
 */
export function formatInZone(instantMs: number, timeZone: string): string {
  const offsetMs = zoneOffsetMs(instantMs, timeZone);
  const wall = new Date(instantMs + offsetMs).toISOString().slice(0, 23);
  const sign = offsetMs < 0 ? '-' : '+';
  const minutes = Math.abs(offsetMs) / 60_000;
  const pad = (n: number): string => String(Math.floor(n)).padStart(2, '0');
  return `${wall}${sign}${pad(minutes / 60)}:${pad(minutes % 60)}`;
}

/** `YYYY-MM-DD` of an instant in `timeZone`: the key Cal.com groups slots under. @internal */
export const dateKeyInZone = (instantMs: number, timeZone: string): string =>
  formatLocalDate(localDateOf(instantMs, timeZone));

/** Parses an ISO 8601 date-time (or date) string; `NaN` when it is not one. @internal */
export function parseInstant(value: unknown): number {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return Number.NaN;
  return Date.parse(value);
}
