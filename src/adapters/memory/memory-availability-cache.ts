import { LRUCache } from 'lru-cache';
import type { AvailabilityCache, CacheEntryOptions } from '../../ports/availability-cache.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { numberOption } from '../../util/options.js';
import { requireTenantId } from '../../util/tenant-id.js';
import { checkCacheEntry } from './cache-entry.js';

/** Options of {@link createMemoryAvailabilityCache}. */
export interface MemoryAvailabilityCacheOptions {
  /**
   * Source of time for TTLs.
   * @default systemClock
   */
  readonly clock?: Clock;
  /**
   * Most entries kept (over all tenants); the least recently used go first.
   * @default 10000
   */
  readonly maxEntries?: number;
}

interface Entry {
  readonly json: string;
  readonly tagKeys: readonly string[];
}

/** One string per (tenant, name) pair that no other pair maps to, whatever characters they hold. */
const scoped = (tenantId: string, name: string): string => JSON.stringify([tenantId, name]);

/**
 * The embedded {@link AvailabilityCache}: an LRU cache (lru-cache) in process memory, with TTLs
 * measured on the given clock and a tag index per tenant. Values are stored as JSON text, so
 * what comes back is a copy, exactly as from Redis.
 *
 * @throws {@link InvalidOptionError} for a bad option.
 * @example
 * ```ts
 * declare const tenantId: string;
 * declare const eventTypeId: string;
 * declare const day: string;
 * declare const slots: TimeRange[];
 * // ---cut---
 * const cache = createMemoryAvailabilityCache({ maxEntries: 5_000 });
 * await cache.set(tenantId, `slots:${eventTypeId}:${day}`, slots, { ttlMs: 60_000, tags: [`eventType:${eventTypeId}`] });
 * ```
 */
export function createMemoryAvailabilityCache(
  options: MemoryAvailabilityCacheOptions = {},
): AvailabilityCache {
  const factory = 'createMemoryAvailabilityCache';
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== 'function')
    throw new InvalidOptionError('clock', clock, 'a Clock, e.g. systemClock', { factory });
  const max = numberOption('maxEntries', options.maxEntries, 10_000, { min: 1, integer: true }, { factory });
  /** Scoped tag → scoped keys of the entries carrying it. */
  const tagged = new Map<string, Set<string>>();

  const untag = (key: string, entry: Entry): void => {
    for (const tagKey of entry.tagKeys) {
      const keys = tagged.get(tagKey);
      keys?.delete(key);
      if (keys?.size === 0) tagged.delete(tagKey);
    }
  };

  // ttlResolution 0: read the clock on every check instead of caching it behind a real timer.
  const entries = new LRUCache<string, Entry>({
    max,
    ttlResolution: 0,
    perf: { now: () => clock.now() },
    dispose: (entry, key) => untag(key, entry),
  });

  return {
    async get(tenantId: string, key: string, opts: OperationOptions = {}): Promise<unknown> {
      throwIfAborted(opts.signal);
      const entry = entries.get(scoped(requireTenantId(tenantId), key));
      return entry === undefined ? undefined : JSON.parse(entry.json);
    },

    async set(tenantId: string, key: string, value: unknown, opts: CacheEntryOptions): Promise<void> {
      throwIfAborted(opts.signal);
      const tenant = requireTenantId(tenantId);
      const checked = checkCacheEntry(value, opts);
      const entryKey = scoped(tenant, key);
      const tagKeys = checked.tags.map((tag) => scoped(tenant, tag));
      entries.set(entryKey, { json: checked.json, tagKeys }, { ttl: checked.ttlMs });
      for (const tagKey of tagKeys) {
        let keys = tagged.get(tagKey);
        if (!keys) tagged.set(tagKey, (keys = new Set()));
        keys.add(entryKey);
      }
    },

    async invalidateTags(
      tenantId: string,
      tags: readonly string[],
      opts: OperationOptions = {},
    ): Promise<void> {
      throwIfAborted(opts.signal);
      const tenant = requireTenantId(tenantId);
      for (const tag of tags) {
        const keys = tagged.get(scoped(tenant, tag));
        if (!keys) continue;
        for (const entryKey of [...keys]) entries.delete(entryKey);
      }
    },
  };
}
