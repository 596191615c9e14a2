import { CalcomSimConnectionDropped } from './sim-connection-dropped.js';

/**
 * The part of msw's `http` namespace the simulator needs (msw 2: `import { http } from 'msw'`).
 * bookingkit never imports msw: pass its `http` in, so msw stays a dependency of your tests only.
 */
export interface MswHttpNamespace<Handler> {
  all(
    predicate: string,
    resolver: (info: { readonly request: Request }) => Promise<Response | undefined>,
  ): Handler;
}

/**
 * msw request handlers that answer every request under `${baseUrl}/v2/` with `handle`; a
 * dropped connection becomes `Response.error()`, which msw turns into a network error.
 *
 * @internal
 */
export function mswHandlersFor<Handler>(
  handle: (request: Request) => Promise<Response>,
  http: MswHttpNamespace<Handler>,
  baseUrl: string,
): Handler[] {
  const root = baseUrl.replace(/\/+$/, '');
  return [
    http.all(`${root}/v2/*`, ({ request }) =>
      handle(request).catch((error: unknown) => {
        if (error instanceof CalcomSimConnectionDropped) return Response.error();
        throw error;
      }),
    ),
  ];
}
