import { getAvailability } from './availability-route.js';
import {
  getAppointment,
  listAppointments,
  postAppointment,
  postCancel,
  postReschedule,
} from './appointment-routes.js';
import {
  resolveBookingApiOptions,
  type ApiRouteContext,
  type BookingApiOptions,
  type ResolvedBookingApi,
} from './booking-api-options.js';
import type { Route } from './router.js';
import { serveRoutes, type ApiHandler } from './serve-routes.js';

type Context = ApiRouteContext;

const id = (params: Readonly<Record<string, string>>): string => params.id ?? '';

const routes: readonly Route<Context>[] = [
  {
    method: 'GET',
    path: '/availability',
    handle: (request, _params, context) => getAvailability(request, context),
  },
  {
    method: 'POST',
    path: '/appointments',
    handle: (request, _params, context) => postAppointment(request, context),
  },
  {
    method: 'GET',
    path: '/appointments',
    handle: (request, _params, context) => listAppointments(request, context),
  },
  {
    method: 'GET',
    path: '/appointments/:id',
    handle: (_request, params, context) => getAppointment(id(params), context),
  },
  {
    method: 'POST',
    path: '/appointments/:id/reschedule',
    handle: (request, params, context) => postReschedule(request, id(params), context),
  },
  {
    method: 'POST',
    path: '/appointments/:id/cancel',
    handle: (request, params, context) => postCancel(request, id(params), context),
  },
];

/**
 * The REST API of a booking backend as one fetch-style handler, for any framework (see
 * `toNodeHandler`, `toExpress`, `toFastify`) or runtime. Every request needs
 * `Authorization: Bearer <API key>`; the key's tenant is the only one the request can see: another
 * tenant's appointment is a 404, as a missing one is, so ids cannot be probed.
 *
 * Routes, below `basePath`:
 * - `GET /availability?eventTypeId=&start=&end=&timeZone=`: free slots (`start`/`end` instants, or
 *   dates in `timeZone`, by default the tenant's).
 * - `POST /appointments`: books (201 with `Location`; 202 when the calendar change was queued).
 * - `GET /appointments/:id`; `GET /appointments?from=&to=&status=&eventTypeId=&cursor=&limit=`
 *   (`{ items, nextCursor }`).
 * - `POST /appointments/:id/reschedule` (`{ start, end, reason? }`), `POST /appointments/:id/cancel`
 *   (`{ reason? }` or no body).
 *
 * POSTs need an `Idempotency-Key` (the IETF draft): a retry with the same key and body answers the
 * stored status, headers and body with `Idempotent-Replayed: true`; the same key with another body
 * is 422; a key still in flight is waited for briefly (`idempotencyWaitMs`), then 409 with
 * `Retry-After`. The key is also the command's `idempotencyKey`. Only successful answers are
 * stored, so a request that failed may be sent again with its key. Each POST is admitted by the
 * service's admission control (`admission`, which `createBookingApi(kit)` takes from
 * `kit.admission`) before its key is claimed: under overload it is refused at once with 503 and
 * `Retry-After`, before its body is read, and nothing is written for it. Commands carry origin
 * `api` and the key as their actor. Failures are RFC 9457 problem details: `issues` name each bad field, a
 * slot conflict carries `alternatives`, an unavailable calendar and overload carry `Retry-After`.
 * Every answer carries {@link apiSecurityHeaders}.
 *
 * @throws {@link bookingkit!InvalidOptionError} at creation, naming `createBookingApi`, for a
 *   missing part or an out-of-range option.
 * @example
 * ```ts
 * declare const kit: BookingKit;
 * // ---cut---
 * const api = createBookingApi(kit); // served under /api
 * // Any fetch-style server: export default { fetch: (request: Request) => api.handle(request) };
 * const response = await api.handle(
 *   new Request('http://localhost/api/appointments?status=confirmed', {
 *     headers: { authorization: 'Bearer sk_live_acme' },
 *   }),
 * );
 * ```
 */
export function createBookingApi(options: BookingApiOptions): ApiHandler {
  const deps: ResolvedBookingApi = resolveBookingApiOptions(options);
  return serveRoutes(deps, deps.basePath, routes);
}
