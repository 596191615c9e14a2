import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { plainProblem } from './problems.js';

/** One route of a {@link createRouter} table. @internal */
export interface Route<C> {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Path below the base, e.g. `/appointments/:id/cancel`; `:name` matches one segment. */
  readonly path: string;
  readonly handle: (
    request: Request,
    params: Readonly<Record<string, string>>,
    context: C,
  ) => Promise<Response>;
}

/** A matched route, or the answer to a request no route serves. @internal */
export type RouteMatch<C> =
  | { readonly route: Route<C>; readonly params: Readonly<Record<string, string>>; readonly path: string }
  | { readonly response: Response };

/** A route table under a base path. @internal */
export interface Router<C> {
  /** The route of `request`, or a 404 (no such path) or 405 (with `Allow`) problem response. */
  match(request: Request): RouteMatch<C>;
}

/**
 * Checks a base path (`/api`, `/`, ``) and returns it without its trailing slash.
 *
 * @internal
 */
export function normaliseBasePath(basePath: string, factory: string): string {
  if (typeof basePath !== 'string' || !(basePath === '' || /^\/[\w\-./~]*$/.test(basePath))) {
    throw new InvalidOptionError('basePath', basePath, 'a path starting with /, e.g. /api', { factory });
  }
  return basePath.replace(/\/+$/, '');
}

/**
 * A small router: exact segments and `:name` parameters, matched below `basePath`. Parameters are
 * percent-decoded; a segment that does not decode matches nothing.
 *
 * @internal
 */
export function createRouter<C>(basePath: string, routes: readonly Route<C>[]): Router<C> {
  const compiled = routes.map((route) => ({ route, segments: route.path.split('/').filter(Boolean) }));
  return {
    match(request) {
      const { pathname } = new URL(request.url);
      // Made only when needed: a Response is dear enough to matter on a busy route.
      const notFound = () => ({ response: plainProblem(404, `No route serves ${pathname}`) });
      if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return notFound();
      const path = pathname.slice(basePath.length) || '/';
      const segments = path.split('/').filter(Boolean);
      const allowed = new Set<string>();
      for (const { route, segments: pattern } of compiled) {
        const params = matchSegments(pattern, segments);
        if (!params) continue;
        if (route.method === request.method) return { route, params, path };
        allowed.add(route.method);
      }
      if (allowed.size === 0) return notFound();
      const allow = [...allowed].join(', ');
      return {
        response: plainProblem(405, `${request.method} is not served at ${pathname}; use ${allow}`, {
          allow,
        }),
      };
    },
  };
}

function matchSegments(
  pattern: readonly string[],
  segments: readonly string[],
): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] as string;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return null;
      }
    } else if (part !== segment) return null;
  }
  return params;
}
