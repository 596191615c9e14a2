import type { OperationOptions } from '../util/abort.js';
import type { Disposable } from '../util/disposable.js';

/** One invalidation, as it travels between instances. */
export interface InvalidationMessage {
  readonly tenantId: string;
  /** Cache tags to drop, e.g. `eventType:42`. */
  readonly tags: readonly string[];
}

/** Receives invalidations published by other instances. */
export type InvalidationHandler = (message: InvalidationMessage) => void | Promise<void>;

/**
 * Carries cache invalidations to every other instance of the application, so that a cache kept
 * in each process's memory drops an entry everywhere when one instance invalidates it. A shared
 * cache (Redis) does not need it. Delivery is best effort: an instance that misses a message
 * (disconnected at the time) keeps the entry until its TTL ends, which bounds the staleness.
 *
 * @example
 * ```ts
 * declare const broadcast: InvalidationBroadcast;
 * declare const localCache: AvailabilityCache;
 * // ---cut---
 * const subscription = await broadcast.subscribe(({ tenantId, tags }) => localCache.invalidateTags(tenantId, tags));
 * await broadcast.publish('acme', ['eventType:42']);
 * subscription.dispose();
 * ```
 */
export interface InvalidationBroadcast {
  /** Sends an invalidation to the subscribers of every other instance (not to this one's). */
  publish(tenantId: string, tags: readonly string[], options?: OperationOptions): Promise<void>;
  /**
   * Calls `handler` for each invalidation published by another instance. Resolves once messages
   * are being received; dispose the result to stop.
   */
  subscribe(handler: InvalidationHandler, options?: OperationOptions): Promise<Disposable>;
}
