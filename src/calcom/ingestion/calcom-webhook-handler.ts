import { observeWebhook } from '../../observability/webhook-request.js';
import type { BookingService } from '../../booking/service/booking-service.js';
import { isBookingKitError } from '../../errors/booking-kit-error.js';
import { createWebhookHandler } from '../../http/webhook-handler.js';
import { jsonResponse } from '../../http/json-response.js';
import { problemResponse } from '../../http/problem.js';
import type { IdempotencyStore } from '../../idempotency/idempotency-store.js';
import type { AppointmentRepository } from '../../ports/appointment-repository.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import { UnknownTenantError } from '../../tenancy/errors.js';
import {
  checkClockOption,
  checkFunctionOption,
  checkLoggerOption,
  hasMethods,
  numberOption,
  requireOption,
} from '../../util/options.js';
import { parseCalcomWebhook } from '../webhook.js';
import { eventTypeIdOfPayload, type CalcomEventTypeMapper } from './booking-commands.js';
import { createIngestion } from './ingest.js';
import {
  cacheRoutes,
  routeKeyFromPath,
  type CalcomWebhookRoute,
  type CalcomWebhookRouteResolver,
} from './routes.js';
import { calcomRouteVerifier } from '../verifier.js';

const FACTORY = 'createCalcomWebhookHandler';
const DAY_MS = 86_400_000;

/** Options of {@link createCalcomWebhookHandler}. */
export interface CalcomWebhookHandlerOptions {
  /** Where the webhooks' changes go, with origin `calcom` (never sent back to Cal.com). */
  readonly service: Pick<BookingService, 'book' | 'reschedule' | 'cancel' | 'confirm' | 'markNoShow'>;
  /**
   * The appointment repository, to find the appointment a Cal.com booking belongs to, and the
   * stores' idempotency store if they have one (Postgres stores).
   */
  readonly stores: {
    readonly appointments: Pick<AppointmentRepository, 'get' | 'findByCalendarUid'>;
    readonly idempotency?: IdempotencyStore | undefined;
  };
  /**
   * Remembers deliveries (Cal.com sends no delivery id) and early cancellations. When it is the
   * stores' own (`kit.idempotency` over Postgres stores), a new booking's import commits once: the
   * delivery's claim and answer, and the hold of its uid, are written in the import's transaction.
   */
  readonly idempotency: IdempotencyStore;
  /**
   * The tenant and webhook secret of a route key; `null` for an unknown key (answered 404). Over
   * the tenant directory: {@link calcomRoutesFromDirectory}.
   */
  readonly routes: CalcomWebhookRouteResolver;
  /**
   * Reads the route key from a request.
   * @default the last segment of the URL path (`/webhooks/calcom/:routeKey`)
   */
  readonly routeKey?: (request: Request) => string | null | undefined;
  /** How long a resolved route (and its secret) is cached, ms; `0` resolves every request. @default 60_000 */
  readonly routeCacheTtlMs?: number;
  /** Most routes cached. @default 1_000 */
  readonly routeCacheSize?: number;
  /** The local event type of an imported booking. @default the payload's `eventTypeId` as a string */
  readonly eventTypeId?: CalcomEventTypeMapper;
  /** How long a delivery is remembered, so a resend is not applied twice, ms. @default 604_800_000 (7 days) */
  readonly dedupeTtlMs?: number;
  /**
   * How long the cancellation of a booking not known yet is remembered, so that its creation
   * arriving later is not imported, ms.
   * @default 604_800_000 (7 days)
   */
  readonly tombstoneTtlMs?: number;
  /** How long a duplicate waits for its twin that is still being applied, ms. @default 10_000 */
  readonly waitMs?: number;
  /** Largest body accepted, bytes (Cal.com bodies are a few KiB). @default 262_144 (256 KiB) */
  readonly limitBytes?: number;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Refusals and failures (never bodies, headers or secrets). @default silentLogger */
  readonly logger?: Logger;
}

/**
 * Builds the Cal.com webhook endpoint, `(request) => Promise<Response>`, for every tenant at once:
 * mount it at `/webhooks/calcom/:routeKey`. For each request it resolves the route key to the
 * tenant and its webhook secret (unknown: 404, before the body is read), then, through
 * `createWebhookHandler`, reads the body under the limit (413), verifies
 * `x-cal-signature-256` with that tenant's secret (a bad, missing or `no-secret-provided`
 * signature: 401), parses (400) and applies the delivery once:
 *
 * | trigger | effect (origin `calcom`: nothing is sent back to Cal.com) |
 * | --- | --- |
 * | `BOOKING_CREATED` | unknown: imported, confirmed; a known pending one: confirmed (Cal.com fires it on confirmation); ours (tagged `bookingkitAppointmentId`): unchanged |
 * | `BOOKING_REQUESTED` | unknown: imported as pending; with `rescheduleUid`: as `BOOKING_RESCHEDULED` |
 * | `BOOKING_RESCHEDULED` | the appointment holding `rescheduleUid` (current uid) moves and takes the new uid; none active: the new booking is imported |
 * | `BOOKING_CANCELLED` | cancelled with Cal.com's reason, `requestReschedule` passed on; unknown: a tombstone |
 * | `BOOKING_REJECTED` | cancelled with the reason `rejected`; unknown: a tombstone |
 * | `BOOKING_NO_SHOW_UPDATED` | an attendee flagged: no-show; none flagged: a no-show is cleared |
 * | `MEETING_STARTED`, `MEETING_ENDED` | acknowledged with the appointment, nothing changes |
 * | `PING`, other and unknown triggers | acknowledged, nothing changes |
 *
 * Deliveries are deduplicated on {@link calcomWebhookKey} in `idempotency`: a resend replays the
 * first answer. With `idempotency` the stores' own (Postgres), an import of a new booking is ONE
 * transaction: the delivery's claim and answer, the uid's hold and the booking commit together or
 * not at all (see docs/decisions/0013-calcom-import-one-commit.md). A cancellation that arrives before its creation leaves a tombstone (see
 * `tombstoneTtlMs`), so the late creation is not imported; an import holds its uid while it
 * records the booking, so a cancellation that races it waits, then finds and cancels it: the
 * booking never stays active. A delivery
 * about an uid the appointment has moved on from (rescheduled since) changes nothing. Not
 * covered: two reschedules of a booking bookingkit did not make (A to B, then B to C) whose
 * webhooks arrive in reverse order leave C imported as an appointment of its own, since nothing
 * links C to A yet; periodic reconciliation settles that.
 * Answers 200 with a {@link CalcomIngestionResult}; failures are problem responses.
 *
 * @throws {@link bookingkit!InvalidOptionError} at creation, naming the option, for a missing
 *   `service`, `stores`, `idempotency` or `routes`, or an out-of-range number.
 * @example
 * ```ts
 * declare const kit: BookingKit;
 * declare function secretOf(tenantId: string): Promise<string | null>;
 * // ---cut---
 * const calcomWebhook = createCalcomWebhookHandler({
 *   ...kit,
 *   routes: async (routeKey) => {
 *     const tenant = await kit.tenants.findByRouteKey(routeKey);
 *     return tenant ? { tenantId: tenant.id, webhookSecret: await secretOf(tenant.id) } : null;
 *   },
 * });
 * // Hono: app.post('/webhooks/calcom/:routeKey', (c) => calcomWebhook(c.req.raw));
 * ```
 */
export function createCalcomWebhookHandler(
  options: CalcomWebhookHandlerOptions,
): (request: Request) => Promise<Response> {
  const service = requireOption(
    FACTORY,
    options,
    'service',
    'the BookingService, e.g. kit.service',
    hasMethods('book', 'reschedule', 'cancel', 'confirm', 'markNoShow'),
  );
  const stores = requireOption(
    FACTORY,
    options,
    'stores',
    'the stores with the appointment repository, e.g. kit.stores',
    (value) => hasMethods('get', 'findByCalendarUid')((value as { appointments?: unknown }).appointments),
  );
  const idempotency = requireOption(
    FACTORY,
    options,
    'idempotency',
    'an IdempotencyStore, e.g. kit.idempotency',
    hasMethods('begin', 'complete', 'release'),
  );
  const routes = requireOption(
    FACTORY,
    options,
    'routes',
    'a function from route key to { tenantId, webhookSecret } or null',
    (value) => typeof value === 'function',
  );
  const details = { factory: FACTORY };
  checkFunctionOption('routeKey', options.routeKey, false, details);
  checkFunctionOption('eventTypeId', options.eventTypeId, false, details);
  checkClockOption(options.clock, details);
  checkLoggerOption(options.logger, details);
  const whole = { integer: true };
  const routeCacheTtlMs = numberOption('routeCacheTtlMs', options.routeCacheTtlMs, 60_000, whole, details);
  const routeCacheSize = numberOption(
    'routeCacheSize',
    options.routeCacheSize,
    1_000,
    { ...whole, min: 1 },
    details,
  );
  const dedupeTtlMs = numberOption(
    'dedupeTtlMs',
    options.dedupeTtlMs,
    7 * DAY_MS,
    { ...whole, min: 1 },
    details,
  );
  const tombstoneTtlMs = numberOption(
    'tombstoneTtlMs',
    options.tombstoneTtlMs,
    7 * DAY_MS,
    { ...whole, min: 1 },
    details,
  );
  const waitMs = numberOption('waitMs', options.waitMs, 10_000, whole, details);
  const limitBytes = numberOption('limitBytes', options.limitBytes, 256 * 1024, whole, details);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const routeKeyOf = options.routeKey ?? routeKeyFromPath;

  const ingest = createIngestion({
    service,
    appointments: stores.appointments,
    idempotency,
    clock,
    eventTypeId: options.eventTypeId ?? eventTypeIdOfPayload,
    dedupeTtlMs,
    tombstoneTtlMs,
    waitMs,
    // The import's transaction writes through the stores' idempotency store: only that one joins.
    joinable: stores.idempotency !== undefined && stores.idempotency === idempotency,
  });
  const resolveRoute = cacheRoutes(routes, { ttlMs: routeCacheTtlMs, max: routeCacheSize, clock });
  // One generic handler per resolved route: its verifier holds that tenant's secret. A cached
  // route is the same object until it expires, so its handler is built once per cache period.
  const handlers = new WeakMap<CalcomWebhookRoute, (request: Request) => Promise<Response>>();
  const handlerFor = (route: CalcomWebhookRoute) => {
    let handler = handlers.get(route);
    if (!handler) {
      handler = createWebhookHandler({
        verify: calcomRouteVerifier(route),
        parse: parseCalcomWebhook,
        limitBytes,
        logger,
        handle: async (webhook, { request }) => {
          const result = await ingest(route.tenantId, webhook, request.signal);
          const { trigger, action, appointmentId, replayed } = result;
          logger.debug(
            { tenantId: route.tenantId, trigger, action, appointmentId, replayed },
            'Cal.com webhook applied',
          );
          return jsonResponse(200, result);
        },
      });
      handlers.set(route, handler);
    }
    return handler;
  };

  return (request: Request): Promise<Response> => observeWebhook('calcom', request, () => respond(request));
  async function respond(request: Request): Promise<Response> {
    const routeKey = routeKeyOf(request) ?? '';
    let route: CalcomWebhookRoute | null;
    try {
      route = routeKey === '' ? null : await resolveRoute(routeKey, request.signal);
    } catch (error) {
      const response = problemResponse(error);
      const code = isBookingKitError(error) ? error.code : undefined;
      if (response.status >= 500)
        logger.error({ err: error, stage: 'route', code }, 'Cal.com webhook route lookup failed');
      else logger.warn({ stage: 'route', code, status: response.status }, 'Cal.com webhook route refused');
      return response;
    }
    if (!route) {
      const shown = routeKey === '' ? null : `${routeKey.slice(0, 4)}…`;
      logger.warn({ stage: 'route', routeKey: shown }, 'Cal.com webhook for an unknown route refused');
      return problemResponse(new UnknownTenantError({ by: 'routeKey', value: shown }));
    }
    return handlerFor(route)(request);
  }
}
