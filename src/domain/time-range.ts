import { z } from 'zod';
import { Instant } from './common.js';

/**
 * A half-open interval of time `[start, end)` in UTC; `end` must be after `start`. Two ranges
 * that only touch (one ends when the other starts) do not overlap.
 */
export const TimeRange = z
  .object({ start: Instant, end: Instant })
  .refine((range) => Date.parse(range.end) > Date.parse(range.start), {
    message: 'end must be after start',
    path: ['end'],
  });
/** @see {@link TimeRange} */
export type TimeRange = z.infer<typeof TimeRange>;

/**
 * Tells whether two half-open ranges overlap.
 *
 * @example
 * ```ts
 * overlaps({ start: '2026-01-05T09:00:00Z', end: '2026-01-05T09:30:00Z' },
 *          { start: '2026-01-05T09:30:00Z', end: '2026-01-05T10:00:00Z' }); // false: they only touch
 * ```
 *
 * @internal
 */
export function overlaps(a: TimeRange, b: TimeRange): boolean {
  return Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end);
}
