import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { parseWith } from '../../errors/validation-error.js';
import type { Clock } from '../../ports/clock.js';
import type { OperationOptions } from '../../util/abort.js';

/**
 * A Retell workspace as a {@link RetellApiKeyResolver} finds it: its webhook key, and the tenants
 * whose numbers it carries.
 */
export interface RetellWorkspace {
  /** The workspace's API key with the webhook badge. */
  readonly apiKey: string;
  /**
   * The tenants whose calls this workspace carries. A call to or from another tenant's number is
   * treated as one no tenant owns: whoever holds this workspace's key cannot record calls for, or
   * read the callers of, a tenant of another workspace. Give it whenever the workspaces belong to
   * different parties (each client with a Retell workspace of its own).
   * @default every tenant
   */
  readonly tenantIds?: readonly string[];
}

/**
 * Finds the Retell workspace a request comes from, by the route key in its URL
 * (`/webhooks/retell/:routeKey`): its webhook key (a string), or a {@link RetellWorkspace} that
 * also names its tenants; `null` for an unknown route key (answered 404, never verified with some
 * other workspace's key).
 */
export type RetellApiKeyResolver = (
  routeKey: string,
  options: OperationOptions,
) => Promise<string | RetellWorkspace | null> | string | RetellWorkspace | null;

/**
 * Which key verifies Retell's signatures: one workspace's API key with the webhook badge (one
 * workspace serves every tenant; the URL needs no route key), or a {@link RetellApiKeyResolver}
 * for several workspaces, each with its own key and its own route key in the URL.
 */
export type RetellApiKey = string | RetellApiKeyResolver;

/** A workspace whose key was found: the key, and its tenants (`null`: every tenant). @internal */
export interface ResolvedWorkspace {
  readonly apiKey: string;
  readonly tenantIds: ReadonlySet<string> | null;
}

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
): (
  request: Request,
) => Promise<{ readonly workspace: ResolvedWorkspace } | { readonly unknownRoute: string | null }> {
  const { apiKey } = options;
  if (typeof apiKey === 'string') {
    const fixed = { workspace: { apiKey, tenantIds: null } };
    return () => Promise.resolve(fixed);
  }
  const { ttlMs, clock } = options;
  const cache = new LRUCache<string, { readonly workspace: ResolvedWorkspace; readonly expiresAt: number }>({
    max: options.max,
  });
  const inFlight = new Map<string, Promise<ResolvedWorkspace | null>>();

  const resolve = async (routeKey: string, signal: AbortSignal): Promise<ResolvedWorkspace | null> => {
    const hit = cache.get(routeKey);
    if (hit && hit.expiresAt > clock.now()) return hit.workspace;
    const running = inFlight.get(routeKey);
    if (running) return running;
    const lookup = (async () => {
      const workspace = workspaceOf(await apiKey(routeKey, { signal }));
      if (workspace && ttlMs > 0) cache.set(routeKey, { workspace, expiresAt: clock.now() + ttlMs });
      return workspace;
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
    return found === null ? { unknownRoute: shown } : { workspace: found };
  };
}

const Found = z.union([
  z.null(),
  z.string().min(1),
  z.object({ apiKey: z.string().min(1), tenantIds: z.array(z.string().min(1)).optional() }),
]);

/**
 * A resolver's answer as a workspace (`null` for an unknown route key).
 * @throws {@link bookingkit!ValidationError} for an answer that is neither a key nor a workspace.
 */
function workspaceOf(answer: unknown): ResolvedWorkspace | null {
  const found = parseWith(Found, answer, "Retell workspace (the apiKey resolver's answer)");
  if (found === null) return null;
  if (typeof found === 'string') return { apiKey: found, tenantIds: null };
  return { apiKey: found.apiKey, tenantIds: found.tenantIds ? new Set(found.tenantIds) : null };
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
