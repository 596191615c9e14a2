import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { parseWith } from '../../errors/validation-error.js';
import { Id } from '../../domain/common.js';
import type { Clock } from '../../ports/clock.js';
import type { OperationOptions } from '../../util/abort.js';

/**
 * Where a Cal.com webhook route leads: the tenant whose Cal.com account posts to
 * `/webhooks/calcom/:routeKey`, and the secret its webhook subscription was registered with.
 */
export const CalcomWebhookRoute = z.object({
  tenantId: Id,
  /**
   * The subscription's secret; `null` when it was registered without one. Such a route refuses
   * every delivery: Cal.com then sends `no-secret-provided`, which proves nothing.
   */
  webhookSecret: z.string().min(1).nullable(),
});
/** @see {@link CalcomWebhookRoute} */
export type CalcomWebhookRoute = z.infer<typeof CalcomWebhookRoute>;

/**
 * Looks up the route of a route key (the last segment of the webhook URL): answers `null` for an
 * unknown key, which is refused, never served as some default tenant. Typically backed by the
 * tenant directory (`findByRouteKey`) and the tenant's Cal.com credentials.
 */
export type CalcomWebhookRouteResolver = (
  routeKey: string,
  options: OperationOptions,
) => Promise<CalcomWebhookRoute | null> | CalcomWebhookRoute | null;

/** Options of {@link cacheRoutes}. @internal */
export interface RouteCacheOptions {
  readonly ttlMs: number;
  readonly max: number;
  readonly clock: Clock;
}

/**
 * Wraps a resolver in an LRU cache whose entries expire after `ttlMs` on `clock`. Unknown keys are
 * not cached, so a tenant added a moment ago is served at once; concurrent look-ups of one key
 * share one call. A secret rotated in the directory is picked up within `ttlMs`.
 *
 * @internal
 */
export function cacheRoutes(
  resolve: CalcomWebhookRouteResolver,
  options: RouteCacheOptions,
): (routeKey: string, signal: AbortSignal | undefined) => Promise<CalcomWebhookRoute | null> {
  const { ttlMs, clock } = options;
  const cache = new LRUCache<string, { readonly route: CalcomWebhookRoute; readonly expiresAt: number }>({
    max: options.max,
  });
  const inFlight = new Map<string, Promise<CalcomWebhookRoute | null>>();
  return async (routeKey, signal) => {
    const hit = cache.get(routeKey);
    if (hit && hit.expiresAt > clock.now()) return hit.route;
    const running = inFlight.get(routeKey);
    if (running) return running;
    const lookup = (async () => {
      const found = await resolve(routeKey, signal ? { signal } : {});
      if (found === null) return null;
      const route = parseWith(CalcomWebhookRoute, found, 'Cal.com webhook route');
      if (ttlMs > 0) cache.set(routeKey, { route, expiresAt: clock.now() + ttlMs });
      return route;
    })();
    inFlight.set(routeKey, lookup);
    try {
      return await lookup;
    } finally {
      inFlight.delete(routeKey);
    }
  };
}

/**
 * The default route key of a request: the last non-empty segment of its URL path, decoded
 * (`/webhooks/calcom/rk_3f9a…` gives `rk_3f9a…`), or `null` when the path has none.
 *
 * @internal
 */
export function routeKeyFromPath(request: Request): string | null {
  const segments = new URL(request.url).pathname.split('/').filter((segment) => segment !== '');
  const last = segments.at(-1);
  if (last === undefined) return null;
  try {
    return decodeURIComponent(last);
  } catch {
    return null;
  }
}
