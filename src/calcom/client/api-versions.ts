import { InvalidOptionError } from '../../errors/invalid-option-error.js';

/**
 * The `cal-api-version` values this client speaks, per endpoint group, the default first.
 * Cal.com routes a missing or unknown value to its oldest version (`2024-04-15`) without saying
 * so (404 on slots, other shapes or 500s on bookings), so only values whose shapes the client
 * validates are accepted. Bookings `2024-08-13` is for self-hosted builds that do not know
 * `2026-02-25` (the request and response shapes are the same). Webhook endpoints take no header.
 *
 * @example
 * ```ts
 * calcomApiVersions.bookings; // ['2026-02-25', '2024-08-13']
 * ```
 */
export const calcomApiVersions = Object.freeze({
  bookings: Object.freeze(['2026-02-25', '2024-08-13'] as const),
  slots: Object.freeze(['2024-09-04'] as const),
  eventTypes: Object.freeze(['2024-06-14'] as const),
});

/** An endpoint group that carries a `cal-api-version` header. */
export type CalcomVersionedGroup = keyof typeof calcomApiVersions;

/** The endpoint groups of the client: each versioned group, and `webhooks` (no header). */
export type CalcomEndpointGroup = CalcomVersionedGroup | 'webhooks';

/** Which `cal-api-version` each endpoint group sends. */
export interface CalcomApiVersions {
  /** `/v2/bookings...`. @default '2026-02-25' */
  readonly bookings?: (typeof calcomApiVersions.bookings)[number];
  /** `/v2/slots...` (slots and reservations). @default '2024-09-04' */
  readonly slots?: (typeof calcomApiVersions.slots)[number];
  /** `/v2/event-types...`. @default '2024-06-14' */
  readonly eventTypes?: (typeof calcomApiVersions.eventTypes)[number];
}

/**
 * Checks the `versions` option and fills in the defaults: an unknown group or value throws an
 * {@link InvalidOptionError} naming `versions.<group>` and the accepted values.
 *
 * @internal
 */
export function resolveApiVersions(given: unknown, factory: string): Required<CalcomApiVersions> {
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    throw new InvalidOptionError(
      'versions',
      given,
      'an object of cal-api-version values by endpoint group (bookings, slots, eventTypes)',
      { factory },
    );
  }
  const values = (given ?? {}) as Record<string, unknown>;
  for (const group of Object.keys(values)) {
    if (!Object.hasOwn(calcomApiVersions, group)) {
      throw new InvalidOptionError(
        `versions.${group}`,
        values[group],
        `one of the versioned endpoint groups ${Object.keys(calcomApiVersions).join(', ')} (webhooks take no version)`,
        { factory },
      );
    }
  }
  const pick = <G extends CalcomVersionedGroup>(group: G): (typeof calcomApiVersions)[G][number] => {
    const known: readonly string[] = calcomApiVersions[group];
    const value = values[group];
    if (value === undefined) return known[0] as (typeof calcomApiVersions)[G][number];
    if (typeof value !== 'string' || !known.includes(value)) {
      throw new InvalidOptionError(`versions.${group}`, value, `one of ${known.join(', ')}`, { factory });
    }
    return value as (typeof calcomApiVersions)[G][number];
  };
  return { bookings: pick('bookings'), slots: pick('slots'), eventTypes: pick('eventTypes') };
}

/**
 * The `cal-api-version` value a group sends, or `null` for a group without one (webhooks).
 *
 * @internal
 */
export function versionOf(group: CalcomEndpointGroup, versions: Required<CalcomApiVersions>): string | null {
  return group === 'webhooks' ? null : versions[group];
}
