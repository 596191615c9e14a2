import type { OperationOptions } from '../util/abort.js';

/** How a value is cached. */
export interface CacheEntryOptions extends OperationOptions {
  /** Time to live in ms. */
  readonly ttlMs: number;
  /** Tags to invalidate the entry by, e.g. `eventType:42`, `resource:host-7`. */
  readonly tags: readonly string[];
}

/**
 * Cache of computed availability (free slots), scoped by tenant, invalidated by tag. Every
 * booking change invalidates the tags it touches (one listener does it for every origin), so
 * customers never see a slot that was just taken. Values are JSON-serialisable.
 *
 * @example
 * ```ts
 * declare const cache: AvailabilityCache;
 * declare const tenantId: string;
 * declare const eventTypeId: string;
 * declare const day: string;
 * declare const slots: TimeRange[];
 * // ---cut---
 * await cache.set(tenantId, `slots:${eventTypeId}:${day}`, slots, { ttlMs: 60_000, tags: [`eventType:${eventTypeId}`] });
 * await cache.invalidateTags(tenantId, [`eventType:${eventTypeId}`]);
 * ```
 */
export interface AvailabilityCache {
  /** The cached value, or `undefined` when absent or expired. */
  get(tenantId: string, key: string, options?: OperationOptions): Promise<unknown>;
  set(tenantId: string, key: string, value: unknown, options: CacheEntryOptions): Promise<void>;
  /** Drops every entry of the tenant carrying any of `tags`. */
  invalidateTags(tenantId: string, tags: readonly string[], options?: OperationOptions): Promise<void>;
}
