import type { CalcomSimAccount } from './sim-accounts.js';
import { bookingOutput, legacyBookingOutput } from './sim-booking-record.js';
import type { SimBookings } from './sim-bookings.js';
import { badRequest, internalError, notFound, routeNotFound } from './sim-error.js';
import { eventTypeOutput, legacyEventTypesOutput } from './sim-event-type.js';
import { createSimBookingListing } from './sim-list-bookings.js';
import type { SimReservations } from './sim-reservations.js';
import { availableSlots } from './sim-slots.js';
import type { SimState } from './sim-state.js';
import { webhookOutput, type SimWebhookSubscriptions } from './sim-webhook-subscriptions.js';

// The endpoints the simulator serves, each with its `cal-api-version` group. Cal.com routes a
// request whose version header is missing or unknown to version 2024-04-15 (reference §1): the
// slots endpoints do not exist there (404); the bookings and event-type reads answer in that
// version's other shape, and the booking writes fail (500), as integrators report.

/** Which `cal-api-version` an endpoint belongs to. @internal */
export type VersionGroup = 'bookings' | 'slots' | 'eventTypes' | 'none';

/** What a handler gets. @internal */
export interface RouteContext {
  readonly params: readonly string[];
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** The account of a valid API key; `null` without one. */
  readonly caller: CalcomSimAccount | null;
  /** Who is asking, for reservations: the API key, or `anonymous`. */
  readonly requester: string;
}

/** A handler's answer. @internal */
export interface RouteResult {
  readonly status: number;
  readonly body: unknown;
}

/** @internal */
export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly group: VersionGroup;
  readonly auth: 'required' | 'optional';
  /** Carries the request out with a known version (or none needed). */
  handle(context: RouteContext): Promise<RouteResult> | RouteResult;
  /** Answers in version 2024-04-15; absent: that version has no such route (404). */
  legacy?(context: RouteContext): RouteResult;
}

/** @internal */
export interface RouteServices {
  readonly state: SimState;
  readonly bookings: SimBookings;
  readonly reservations: SimReservations;
  readonly webhooks: SimWebhookSubscriptions;
}

const ok = (data: unknown, status = 200): RouteResult => ({ status, body: { status: 'success', data } });
const UID = '([^/]+)';
const path = (pattern: string): RegExp => new RegExp(`^${pattern}$`);
/** A booking write in version 2024-04-15: a different body, which Cal.com fails on. */
const legacyWrite = (): never => {
  throw internalError();
};

/** The simulator's routes, first match wins. @internal */
export function simRoutes({ state, bookings, reservations, webhooks }: RouteServices): Route[] {
  // Pages of one listing are cut from one filtered, sorted result while no booking changes.
  const listing = createSimBookingListing();
  const bookingRoute = (
    method: string,
    pattern: string,
    auth: Route['auth'],
    handle: Route['handle'],
    legacy: Route['legacy'] = legacyWrite,
  ): Route => ({ method, pattern: path(pattern), group: 'bookings', auth, handle, legacy });

  return [
    bookingRoute('POST', '/v2/bookings', 'optional', async ({ body }) =>
      ok(bookingOutput(await bookings.create(body)), 201),
    ),
    bookingRoute(
      'GET',
      '/v2/bookings',
      'required',
      ({ caller, query }) => {
        const { data, pagination } = listing.list(
          state.bookings.values(),
          caller!,
          query,
          state.clock.now(),
          state.bookingsVersion(),
        );
        return { status: 200, body: { status: 'success', data: data.map(bookingOutput), pagination } };
      },
      ({ caller }) =>
        ok({
          bookings: [...state.bookings.values()]
            .filter((booking) => booking.host.id === caller!.id)
            .map(legacyBookingOutput),
          recurringInfo: [],
          nextCursor: null,
        }),
    ),
    bookingRoute(
      'GET',
      `/v2/bookings/${UID}`,
      'optional',
      ({ params }) => ok(bookingOutput(bookings.get(params[0]!))),
      ({ params }) => ok(legacyBookingOutput(bookings.get(params[0]!))),
    ),
    bookingRoute('POST', `/v2/bookings/${UID}/cancel`, 'optional', async ({ params, body, caller }) =>
      ok(bookingOutput(await bookings.cancel(params[0]!, body, caller))),
    ),
    bookingRoute('POST', `/v2/bookings/${UID}/reschedule`, 'optional', async ({ params, body }) =>
      ok(bookingOutput(await bookings.reschedule(params[0]!, body)), 201),
    ),
    bookingRoute('POST', `/v2/bookings/${UID}/confirm`, 'required', ({ params, caller }) =>
      ok(bookingOutput(bookings.confirm(params[0]!, caller))),
    ),
    bookingRoute('POST', `/v2/bookings/${UID}/decline`, 'required', async ({ params, body, caller }) =>
      ok(bookingOutput(await bookings.decline(params[0]!, body, caller))),
    ),
    bookingRoute('POST', `/v2/bookings/${UID}/mark-absent`, 'required', ({ params, body, caller }) =>
      ok(bookingOutput(bookings.markAbsent(params[0]!, body, caller))),
    ),

    {
      method: 'GET',
      pattern: path('/v2/slots'),
      group: 'slots',
      auth: 'optional',
      handle: ({ query, requester }) => ok(availableSlots(state, query, reservations.held(), requester)),
    },
    {
      method: 'POST',
      pattern: path('/v2/slots/reservations'),
      group: 'slots',
      auth: 'optional',
      handle: ({ body, caller, requester }) => ok(reservations.reserve(body, caller, requester), 201),
    },
    {
      method: 'GET',
      pattern: path(`/v2/slots/reservations/${UID}`),
      group: 'slots',
      auth: 'optional',
      handle: ({ params }) => ok(reservations.get(params[0]!)),
    },
    {
      method: 'PATCH',
      pattern: path(`/v2/slots/reservations/${UID}`),
      group: 'slots',
      auth: 'optional',
      handle: ({ params, body, caller, requester }) =>
        ok(reservations.update(params[0]!, body, caller, requester)),
    },
    {
      method: 'DELETE',
      pattern: path(`/v2/slots/reservations/${UID}`),
      group: 'slots',
      auth: 'optional',
      handle: ({ params }) => {
        reservations.remove(params[0]!);
        return { status: 200, body: { status: 'success' } };
      },
    },

    {
      method: 'GET',
      pattern: path('/v2/event-types'),
      group: 'eventTypes',
      auth: 'optional',
      handle: ({ query, caller }) => ok(eventTypesFor(state, query, caller).map(eventTypeOutput)),
      legacy: ({ query, caller }) => ok(legacyEventTypesOutput(eventTypesFor(state, query, caller))),
    },
    {
      method: 'GET',
      pattern: path('/v2/event-types/(\\d+)'),
      group: 'eventTypes',
      auth: 'required',
      handle: ({ params, caller }) => {
        const eventType = state.eventTypes.get(Number(params[0]));
        if (!eventType || eventType.ownerId !== caller!.id)
          throw notFound(`Event type with id=${params[0]} not found`);
        return ok(eventTypeOutput(eventType));
      },
    },

    {
      method: 'POST',
      pattern: path('/v2/webhooks'),
      group: 'none',
      auth: 'required',
      handle: ({ body, caller }) => ok(webhookOutput(webhooks.create(caller!, body)), 201),
    },
    {
      method: 'GET',
      pattern: path('/v2/webhooks'),
      group: 'none',
      auth: 'required',
      handle: ({ query, caller }) => ok(webhooks.list(caller!, query).map(webhookOutput)),
    },
    {
      method: 'GET',
      pattern: path(`/v2/webhooks/${UID}`),
      group: 'none',
      auth: 'required',
      handle: ({ params, caller }) => ok(webhookOutput(webhooks.get(caller!, params[0]!))),
    },
    {
      method: 'PATCH',
      pattern: path(`/v2/webhooks/${UID}`),
      group: 'none',
      auth: 'required',
      handle: ({ params, body, caller }) => ok(webhookOutput(webhooks.update(caller!, params[0]!, body))),
    },
    {
      method: 'DELETE',
      pattern: path(`/v2/webhooks/${UID}`),
      group: 'none',
      auth: 'required',
      handle: ({ params, caller }) => ok(webhookOutput(webhooks.remove(caller!, params[0]!))),
    },
  ];
}

/** Event types visible to the request: the caller's, or those of `username` (hidden ones left out). */
function eventTypesFor(
  state: SimState,
  query: Readonly<Record<string, string>>,
  caller: CalcomSimAccount | null,
) {
  const username = query.username ?? caller?.username;
  if (username === undefined) throw badRequest('username is required when the request is not authenticated');
  const all = [...state.eventTypes.values()].filter((eventType) => eventType.owner === username);
  const visible = caller?.username === username ? all : all.filter((eventType) => !eventType.hidden);
  return query.eventSlug === undefined
    ? visible
    : visible.filter((eventType) => eventType.slug === query.eventSlug);
}

/** The route for a request, or Nest's 404 for an unknown one. @internal */
export function findRoute(
  routes: readonly Route[],
  method: string,
  pathname: string,
): { route: Route; params: string[] } {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(pathname);
    if (match) return { route, params: match.slice(1).map(decodeURIComponent) };
  }
  throw routeNotFound(method, pathname);
}
