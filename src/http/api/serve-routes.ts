import type { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { authenticate, type ApiCaller } from './authenticate.js';
import { errorResponse, type ProblemContext } from './problems.js';
import { createRouter, type Route } from './router.js';
import { withSecurityHeaders } from './security-headers.js';

/** A set of fetch-style routes under one base path. */
export interface ApiHandler {
  /** The path the routes are served under, e.g. `/api`. */
  readonly basePath: string;
  /**
   * Answers one request, whatever its path: a route's answer, or a 404 / 405 problem. Never
   * throws; failures are RFC 9457 problem responses.
   */
  handle(request: Request): Promise<Response>;
}

/** What an authenticated route is given. @internal */
export interface CallerContext<D> {
  readonly caller: ApiCaller;
  readonly deps: D;
  readonly signal: AbortSignal;
  /** The path below the base, e.g. `/appointments/abc/cancel` (the idempotency scope). */
  readonly path: string;
}

/**
 * Serves `routes` below `basePath`: matches the route (404 / 405 otherwise), resolves the caller's
 * tenant from its API key (401 / 403), runs the route, and answers failures as problem details,
 * every answer with the security headers.
 *
 * @internal
 */
export function serveRoutes<D extends ProblemContext & { readonly tenants: TenantDirectory }>(
  deps: D,
  basePath: string,
  routes: readonly Route<CallerContext<D>>[],
): ApiHandler {
  const router = createRouter<CallerContext<D>>(basePath, routes);
  return {
    basePath,
    async handle(request) {
      const match = router.match(request);
      if ('response' in match) return withSecurityHeaders(match.response);
      try {
        const caller = await authenticate(request, deps.tenants, request.signal);
        const context = { caller, deps, signal: request.signal, path: match.path };
        return withSecurityHeaders(await match.route.handle(request, match.params, context));
      } catch (error) {
        return withSecurityHeaders(errorResponse(error, deps, `${match.route.method} ${match.route.path}`));
      }
    },
  };
}
