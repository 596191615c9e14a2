import type { CalendarEventType, CalendarProvider } from '../../ports/calendar-provider.js';
import type { Clock } from '../../ports/clock.js';

/** What a caller can book: the tenant's event types, as the calendar lists them. */
export interface ServiceCatalog {
  /** The tenant's event types, from the cache while it is fresh. */
  list(tenantId: string): Promise<readonly CalendarEventType[]>;
  /**
   * The event type a caller means: matched on its id, slug or title, ignoring case, accents and
   * punctuation; failing that, the only one whose title contains the words asked for.
   */
  find(tenantId: string, asked: string): Promise<CalendarEventType | null>;
}

/** How many tenants' lists are cached; past it, the entry cached first is dropped. */
const CATALOG_LIMIT = 1_000;

const normalise = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * The tenants' event types, cached per tenant for `ttlMs` (a failed listing is not cached).
 * @internal
 */
export function createServiceCatalog(options: {
  readonly calendar: Pick<CalendarProvider, 'listEventTypes'>;
  readonly clock: Clock;
  readonly ttlMs: number;
}): ServiceCatalog {
  const { calendar, clock, ttlMs } = options;
  const cache = new Map<string, { readonly at: number; readonly types: Promise<CalendarEventType[]> }>();

  function list(tenantId: string): Promise<CalendarEventType[]> {
    const cached = cache.get(tenantId);
    if (cached && clock.now() - cached.at < ttlMs) return cached.types;
    const types = calendar.listEventTypes(tenantId);
    cache.delete(tenantId);
    if (cache.size >= CATALOG_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(tenantId, { at: clock.now(), types });
    types.catch(() => {
      if (cache.get(tenantId)?.types === types) cache.delete(tenantId);
    });
    return types;
  }

  return {
    list,
    async find(tenantId, asked) {
      const types = await list(tenantId);
      const wanted = normalise(asked);
      if (wanted === '') return null;
      const exact = types.find((type) =>
        [type.id, type.slug, type.title].some((name) => normalise(name) === wanted),
      );
      if (exact) return exact;
      const partial = types.filter((type) => normalise(type.title).includes(wanted));
      return partial.length === 1 ? partial[0]! : null;
    },
  };
}
