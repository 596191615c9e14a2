import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { ValidationError } from '../../errors/validation-error.js';
import { sleep, systemClock } from '../../ports/clock.js';
import { abortReason } from '../../util/abort.js';
import { checkClockOption, checkFunctionOption, checkNumberOption } from '../../util/options.js';
import { simAccountsOf, type CalcomSimAccount } from './sim-accounts.js';
import { createSimBookings } from './sim-bookings.js';
import { CalcomSimError, internalError, routeNotFound, unauthorized } from './sim-error.js';
import type { CalcomExchange, CalcomRecordedResponse } from './sim-exchange.js';
import { createSimFaults } from './sim-faults.js';
import { createSimRateLimiter, exhaustedHeaders } from './sim-rate-limit.js';
import { recordRequest } from './sim-request.js';
import { createSimReservations } from './sim-reservations.js';
import { findRoute, simRoutes, type VersionGroup } from './sim-routes.js';
import { createSimState } from './sim-state.js';
import { createSimWebhookDeliverer } from './sim-webhook-delivery.js';
import { pingPayload, webhookPayloadOf } from './sim-webhook-payload.js';
import { createSimWebhookSubscriptions } from './sim-webhook-subscriptions.js';
import { seededRandom } from './seeded-random.js';
import { CalcomSimConnectionDropped } from './sim-connection-dropped.js';
import { serveOverHttp, type SimHttpServer } from './sim-http-server.js';
import { mswHandlersFor } from './sim-msw.js';
import type { CalcomSimulator } from './calcom-simulator-api.js';
import type { CalcomSimulatorOptions } from './simulator-options.js';

/** The `cal-api-version` values the simulator knows, per endpoint group (reference §1). */
const KNOWN_VERSIONS: Record<Exclude<VersionGroup, 'none'>, readonly string[]> = {
  bookings: ['2024-08-13', '2026-02-25'],
  slots: ['2024-09-04'],
  eventTypes: ['2024-06-14'],
};

const json = (status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/**
 * Creates a {@link CalcomSimulator}.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a bad option (naming it); {@link ValidationError} for a
 *   bad event type in `eventTypes`.
 * @example
 * ```ts
 * const calcom = createCalcomSimulator({ clock: createFakeClock('2026-01-05T08:00:00Z') });
 * const { id } = calcom.addEventType({
 *   slug: 'consultation', lengthInMinutes: 30, timeZone: 'Europe/Berlin',
 *   weeklyHours: { monday: [{ start: '09:00', end: '17:00' }] },
 * });
 * const response = await calcom.fetch(`https://api.cal.com/v2/slots?eventTypeId=${id}&start=2026-01-05&end=2026-01-05`, {
 *   headers: { 'cal-api-version': '2024-09-04' },
 * });
 * ```
 */
export function createCalcomSimulator(options: CalcomSimulatorOptions = {}): CalcomSimulator {
  const details = { factory: 'createCalcomSimulator' };
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError('options', options, 'an options object', details);
  checkClockOption(options.clock, details);
  checkFunctionOption('uid', options.uid, false, details);
  checkFunctionOption('random', options.random, false, details);
  checkFunctionOption('webhookFetch', options.webhookFetch, false, details);
  checkFunctionOption('validate', options.validate, false, details);
  const limit = options.rateLimitPerMinute ?? 120;
  if (limit !== false) checkNumberOption('rateLimitPerMinute', limit, { min: 1, integer: true }, details);

  const clock = options.clock ?? systemClock;
  let uidSeq = 0;
  const uid = options.uid ?? (() => `sim-uid-${(uidSeq += 1)}`);
  const accounts = simAccountsOf(options.accounts);
  const subscriptions = createSimWebhookSubscriptions();
  const deliverer = createSimWebhookDeliverer({
    fetch: () => options.webhookFetch ?? globalThis.fetch,
    now: () => clock.now(),
  });
  const state = createSimState({
    clock,
    accounts,
    uid,
    notify: (event) =>
      deliverer.deliver(
        subscriptions.subscribers(event.booking.host.id, event.trigger),
        event.trigger,
        webhookPayloadOf(event),
      ),
  });
  const bookings = createSimBookings(state);
  const reservations = createSimReservations(state);
  const routes = simRoutes({ state, bookings, reservations, webhooks: subscriptions });
  const limiter = limit === false ? null : createSimRateLimiter(limit, () => clock.now());
  const faults = createSimFaults(options.random ?? seededRandom(0x5eed));

  const callerOf = (
    authorization: string | undefined,
  ): { caller: CalcomSimAccount | null; requester: string } => {
    if (authorization === undefined) return { caller: null, requester: 'anonymous' };
    const key = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (key === undefined) throw unauthorized('ApiAuthStrategy - Invalid Bearer token');
    const caller = state.accountByKey(key);
    if (!caller) throw unauthorized('ApiAuthStrategy - api key - Your api key is not valid');
    return { caller, requester: key };
  };

  async function respond(request: Request): Promise<Response> {
    const { recorded, bodyError } = await recordRequest(request);
    const exchange = (response: CalcomRecordedResponse | null): void => {
      options.validate?.({ request: recorded, response } satisfies CalcomExchange);
    };
    const answer = async (
      status: number,
      body: unknown,
      headers: Record<string, string> = {},
    ): Promise<Response> => {
      exchange({ status, headers: { 'content-type': 'application/json', ...headers }, body });
      return json(status, body, headers);
    };
    const { method, path } = recorded;
    const errorBody = (error: CalcomSimError) => error.body(path, new Date(clock.now()).toISOString());

    if (faults.latencyMs > 0) await sleep(clock, faults.latencyMs, { signal: request.signal });
    const before = faults.take(method, path, 'before');
    if (before?.kind === 'timeout') {
      exchange(null);
      return new Promise<Response>((_, reject) => {
        if (request.signal.aborted) reject(abortReason(request.signal));
        request.signal.addEventListener('abort', () => reject(abortReason(request.signal)), { once: true });
      });
    }
    const injected = before?.kind === 'fail' ? before.status : faults.drawError();
    if (injected !== null) {
      const error = internalError();
      return answer(injected, { ...errorBody(error) });
    }
    if (before?.kind === 'rate-limited') {
      const error = new CalcomSimError(
        429,
        'ThrottlerException',
        'CustomThrottlerGuard - Too many requests. Please try again later.',
      );
      return answer(
        429,
        errorBody(error),
        exhaustedHeaders(limit === false ? 120 : limit, before.resetSeconds),
      );
    }

    const key = /^Bearer\s+(\S+)$/i.exec(recorded.headers.authorization ?? '')?.[1] ?? 'anonymous';
    const decision = limiter?.hit(key);
    const rateHeaders = { ...decision?.headers };
    if (decision && !decision.allowed) {
      const error = new CalcomSimError(
        429,
        'ThrottlerException',
        'CustomThrottlerGuard - Too many requests. Please try again later.',
      );
      return answer(429, errorBody(error), rateHeaders);
    }

    let status: number;
    let body: unknown;
    try {
      const { route, params } = findRoute(routes, method, path);
      const { caller, requester } = callerOf(recorded.headers.authorization);
      if (route.auth === 'required' && !caller)
        throw unauthorized('ApiAuthStrategy - No authentication method provided');
      if (bodyError) throw bodyError;
      const version = recorded.headers['cal-api-version'];
      const known = route.group === 'none' || KNOWN_VERSIONS[route.group].includes(version ?? '');
      const context = { params, query: recorded.query, body: recorded.body, caller, requester };
      if (known) ({ status, body } = await route.handle(context));
      else if (route.legacy) ({ status, body } = route.legacy(context));
      else throw routeNotFound(method, path);
    } catch (error) {
      // Anything else is a fault of the simulator itself: let it surface.
      if (!(error instanceof CalcomSimError)) throw error;
      status = error.status;
      body = errorBody(error);
    }

    const after = faults.take(method, path, 'after');
    if (after?.kind === 'lose-response') {
      if (after.as === 'drop') {
        exchange(null);
        throw new CalcomSimConnectionDropped();
      }
      return answer(after.as, errorBody(internalError()), rateHeaders);
    }
    return answer(status, body, rateHeaders);
  }

  let server: SimHttpServer | null = null;
  const simulator: CalcomSimulator = {
    handle: respond,
    fetch: (input: RequestInfo | URL, init?: RequestInit) => respond(new Request(input, init)),
    accounts,
    addEventType: (input) => state.addEventType(input),
    getBooking: (bookingUid) => state.bookings.get(bookingUid),
    bookings: () => [...state.bookings.values()].sort((a, b) => a.id - b.id),
    requestReschedule: (bookingUid, reason) => bookings.requestReschedule(bookingUid, reason ?? null),
    webhooks: {
      get deliveries() {
        return deliverer.deliveries;
      },
      duplicateNext: (count, times) => deliverer.duplicateNext(count, times),
      dropNext: (count) => deliverer.dropNext(count),
      hold: () => deliverer.hold(),
      release: (order) => deliverer.release(order),
      settled: () => deliverer.settled(),
      subscriptions: () => subscriptions.all(),
      ping(subscriptionId: number) {
        const subscription = subscriptions.all().find((candidate) => candidate.id === subscriptionId);
        if (!subscription)
          throw new InvalidOptionError('subscriptionId', subscriptionId, 'the id of a subscription', details);
        deliverer.deliver([subscription], 'PING', pingPayload(new Date(clock.now()).toISOString()));
      },
    },
    faults,
    async listen(listenOptions) {
      if (server) throw new Error(`the Cal.com simulator already listens on ${server.url}`);
      server = await serveOverHttp(respond, listenOptions);
      return server.url;
    },
    async close() {
      const running = server;
      server = null;
      await running?.close();
    },
    mswHandlers: (http, baseUrl = 'https://api.cal.com') => mswHandlersFor(respond, http, baseUrl),
  };

  for (const [index, eventType] of (options.eventTypes ?? []).entries()) {
    try {
      state.addEventType(eventType);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(
        'CalcomSimulatorOptions',
        error.context.issues.map((issue) => ({ ...issue, path: `eventTypes.${index}.${issue.path}` })),
        { cause: error },
      );
    }
  }
  return simulator;
}
