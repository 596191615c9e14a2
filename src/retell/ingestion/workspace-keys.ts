import { LRUCache } from 'lru-cache';
import type { Clock } from '../../ports/clock.js';
import type { OperationOptions } from '../../util/abort.js';

/**
 * Finds the webhook key of the Retell workspace a request comes from, by the route key in its
 * URL (`/webhooks/retell/:routeKey`): the API key with the webhook badge, or `null` for an
 * unknown route key (answered 404, never verified with some other workspace's key).
 */
export type RetellApiKeyResolver = (
  routeKey: string,
  options: OperationOptions,
) => Promise<string | null> | string | null;

/**
 * Which key verifies Retell's signatures: one workspace's API key with the webhook badge (one
 * workspace serves every tenant; the URL needs no route key), or a {@link RetellApiKeyResolver}
 * for several workspaces, each with its own key and its own route key in the URL.
 */
export type RetellApiKey = string | RetellApiKeyResolver;

/** What {@link createKeySource} needs. @internal */
export interface KeySourceOptions {
  readonly apiKey: RetellApiKey;
  readonly routeKey: (request: Request) => string | null | undefined;
  /** How long a resolved key is cached, ms; `0` resolves every request. */
  readonly ttlMs: number;
  readonly max: number;
  readonly clock: Clock;
}

/**
 * Where a request's key comes from: the fixed key, or the resolver (cached, concurrent look-ups
 * of one route key sharing one call; unknown keys are not cached). Answers `unknownRoute` (the
 * route key cut to four characters, for logs) when the request has no route key or an unknown one.
 *
 * @internal
 */
export function createKeySource(
  options: KeySourceOptions,
): (request: Request) => Promise<{ readonly apiKey: string } | { readonly unknownRoute: string | null }> {
  const { apiKey } = options;
  if (typeof apiKey === 'string') {
    const fixed = { apiKey };
    return () => Promise.resolve(fixed);
  }
  const { ttlMs, clock } = options;
  const cache = new LRUCache<string, { readonly apiKey: string; readonly expiresAt: number }>({
    max: options.max,
  });
  const inFlight = new Map<string, Promise<string | null>>();

  const resolve = async (routeKey: string, signal: AbortSignal): Promise<string | null> => {
    const hit = cache.get(routeKey);
    if (hit && hit.expiresAt > clock.now()) return hit.apiKey;
    const running = inFlight.get(routeKey);
    if (running) return running;
    const lookup = (async () => {
      const found = await apiKey(routeKey, { signal });
      if (typeof found !== 'string' || found === '') return null;
      if (ttlMs > 0) cache.set(routeKey, { apiKey: found, expiresAt: clock.now() + ttlMs });
      return found;
    })();
    inFlight.set(routeKey, lookup);
    try {
      return await lookup;
    } finally {
      inFlight.delete(routeKey);
    }
  };

  return async (request) => {
    const routeKey = options.routeKey(request) ?? '';
    const shown = routeKey === '' ? null : `${routeKey.slice(0, 4)}…`;
    if (routeKey === '') return { unknownRoute: shown };
    const found = await resolve(routeKey, request.signal);
    return found === null ? { unknownRoute: shown } : { apiKey: found };
  };
}

/**
 * The default route key of a request: the last non-empty segment of its URL path, decoded
 * (`/webhooks/retell/ws_eu_1` gives `ws_eu_1`), or `null` when the path has none.
 *
 * @internal
 */
export function lastPathSegment(request: Request): string | null {
  const segments = new URL(request.url).pathname.split('/').filter((segment) => segment !== '');
  const last = segments.at(-1);
  if (last === undefined) return null;
  try {
    return decodeURIComponent(last);
  } catch {
    return null;
  }
}
