import { z } from 'zod';
import { isTimeZone } from '../util/zoned-time.js';

/** A non-empty identifier. */
export const Id = z.string().min(1).max(200);
/** The type of the {@link Id} schema: a string of 1 to 200 characters. */
export type Id = z.infer<typeof Id>;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const WithZone = z.iso.datetime({ offset: true });
const WithoutZone = z.iso.datetime({ local: true });

/**
 * An instant, as an ISO 8601 date-time with a time zone: `Z` or an offset
 * (`2030-01-15T10:00:00+01:00`). Parsing normalises it to UTC in `Date#toISOString` form
 * (`2030-01-15T09:00:00.000Z`), so commands, stored records and events all hold one spelling of
 * each instant, whatever people and voice agents sent. A date-time without a zone is refused
 * rather than guessed: the same wall-clock time is a different instant in every zone. Parsing a
 * value that is already normalised returns it unchanged, so stored records read back as written.
 *
 * @example
 * ```ts
 * Instant.parse('2030-01-15T10:00:00+01:00'); // '2030-01-15T09:00:00.000Z'
 * Instant.safeParse('2030-01-15T10:00:00').success; // false: "Missing time zone: add a time zone offset or Z, ..."
 * ```
 */
export const Instant = z
  .string({ error: 'Expected an ISO 8601 date-time string, e.g. 2030-01-15T09:00:00Z' })
  .superRefine((value, ctx) => {
    if (WithZone.safeParse(value).success) return;
    // Not continuable: checks over the whole object (`end` after `start`) would compare garbage.
    ctx.addIssue({ code: 'custom', input: value, message: instantProblem(value), continue: false });
  })
  .transform((value) => new Date(value).toISOString());
/** @see {@link Instant} */
export type Instant = z.infer<typeof Instant>;

function instantProblem(value: string): string {
  if (WithoutZone.safeParse(value).success) {
    return `Missing time zone: add a time zone offset or Z, e.g. ${value}Z or ${value}+01:00`;
  }
  if (DATE_ONLY.test(value)) {
    return 'A date without a time: send a date-time with a time zone, e.g. 2030-01-15T09:00:00Z';
  }
  return 'Not an ISO 8601 date-time: expected e.g. 2030-01-15T09:00:00Z or 2030-01-15T10:00:00+01:00';
}

/**
 * An IANA time zone name, e.g. `Europe/Berlin`; checked against the runtime's zone database, once
 * per zone (the answer is cached).
 */
export const TimeZone = z.string().refine(isTimeZone, { message: 'Invalid IANA time zone' });
/** The type of the {@link TimeZone} schema: an IANA time zone name. */
export type TimeZone = z.infer<typeof TimeZone>;

/** One metadata value: flat and JSON-safe. */
const MetadataValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

// Merged or copied into an object, these keys could alter its prototype. Refused rather than
// dropped, so that a caller learns that a value did not arrive.
const RESERVED_METADATA_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/**
 * Free-form metadata kept with a record: flat, JSON-safe values only. The keys `__proto__`,
 * `constructor` and `prototype` are refused with a message naming the key (zod's record would
 * silently drop `__proto__`, which `JSON.parse` produces as an ordinary own key).
 *
 * @example
 * ```ts
 * Metadata.parse({ source: 'voice', attempt: 2 }); // { source: 'voice', attempt: 2 }
 * Metadata.safeParse(JSON.parse('{"__proto__": 1}')).success; // false: "__proto__" is a reserved key
 * ```
 */
export const Metadata = z.preprocess(
  (value: Readonly<Record<string, z.input<typeof MetadataValue>>>, ctx) => {
    if (typeof value !== 'object' || value === null) return value;
    for (const key of Object.keys(value)) {
      if (!RESERVED_METADATA_KEYS.includes(key)) continue;
      ctx.addIssue({
        code: 'custom',
        path: [key],
        input: value,
        message: `"${key}" is a reserved key (it could alter object prototypes); rename it`,
      });
    }
    return value;
  },
  z.record(z.string().max(100), MetadataValue),
);
/** @see {@link Metadata} */
export type Metadata = z.infer<typeof Metadata>;
