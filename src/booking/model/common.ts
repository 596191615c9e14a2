import { z } from 'zod';

/** A non-empty identifier. */
export const Id = z.string().min(1).max(200);

/** An instant as an ISO 8601 string in UTC (`2026-01-05T09:00:00.000Z`). */
export const Instant = z.iso.datetime();

/** An IANA time zone name, e.g. `Europe/Berlin`; checked against the runtime's zone database. */
export const TimeZone = z.string().refine(isValidTimeZone, { message: 'Invalid IANA time zone' });

/** Free-form metadata kept with a record: flat, JSON-safe values only. */
export const Metadata = z.record(
  z.string().max(100),
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);
/** @see {@link Metadata} */
export type Metadata = z.infer<typeof Metadata>;

function isValidTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
