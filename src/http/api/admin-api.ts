import { resolveAdminApiOptions, type AdminApiOptions, type AdminRouteContext } from './admin-api-options.js';
import { deleteCustomer, listDeadLetters, postReconcile, replayDeadLetters } from './admin-routes.js';
import type { Route } from './router.js';
import { serveRoutes, type ApiHandler } from './serve-routes.js';

const routes: readonly Route<AdminRouteContext>[] = [
  {
    method: 'GET',
    path: '/dead-letters',
    handle: (request, _params, context) => listDeadLetters(request, context),
  },
  {
    method: 'POST',
    path: '/dead-letters/replay',
    handle: (request, _params, context) => replayDeadLetters(request, context, undefined),
  },
  {
    method: 'POST',
    path: '/dead-letters/:id/replay',
    handle: (request, params, context) => replayDeadLetters(request, context, params.id ?? ''),
  },
  {
    method: 'POST',
    path: '/reconcile',
    handle: (request, _params, context) => postReconcile(request, context),
  },
  {
    method: 'DELETE',
    path: '/customers/:id',
    handle: (_request, params, context) => deleteCustomer(context, params.id ?? ''),
  },
];

/**
 * The operator's REST API of a booking backend, as one fetch-style handler. Like
 * {@link createBookingApi}, every request needs `Authorization: Bearer <API key>` and sees only
 * the key's tenant. Routes, below `basePath`:
 * - `GET /dead-letters?listener=&limit=`: the tenant's dead-lettered outbox messages
 *   (`{ items }`, oldest first, each with its event).
 * - `POST /dead-letters/replay` (`{ ids }`, up to 100) and `POST /dead-letters/:id/replay`: back to
 *   pending, for the relay to deliver again (`{ replayed }`); an id that is not one of the
 *   tenant's dead letters is a 404 and nothing is replayed.
 * - `POST /reconcile` (`{ from, to, dryRun = true }`): runs `reconcile` for the tenant and answers
 *   its report (404 when no `reconcile` was given).
 * - `DELETE /customers/:id`: erases the customer's personal data with `eraseCustomer` (data
 *   protection) and answers the counts of what was erased; 404 for an unknown customer, another
 *   tenant's, or when no `eraseCustomer` was given. Erasing again answers zeros.
 *
 * @throws {@link bookingkit!InvalidOptionError} at creation, naming `createAdminApi`, for a
 *   missing part or an out-of-range option.
 * @example
 * ```ts
 * declare const kit: BookingKit;
 * declare function runReconciliation(request: ReconcileRequest): Promise<{ actions: number }>;
 * // ---cut---
 * const admin = createAdminApi({ ...kit, reconcile: (request) => runReconciliation(request) });
 * const response = await admin.handle(
 *   new Request('http://localhost/admin/dead-letters', { headers: { authorization: 'Bearer sk_live_acme' } }),
 * );
 * ```
 */
export function createAdminApi(options: AdminApiOptions): ApiHandler {
  const deps = resolveAdminApiOptions(options);
  return serveRoutes(deps, deps.basePath, routes);
}
