import type { BookingEvents } from '../../booking/events.js';
import { maskPhoneNumber } from '../../domain/phone-number.js';
import type { EventBus } from '../../events/event-bus.js';
import { jsonResponse } from '../../http/json-response.js';
import { systemClock } from '../../ports/clock.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { checkClockOption, checkLoggerOption, hasMethods, requireOption } from '../../util/options.js';
import type { Clock } from '../../ports/clock.js';
import { retellCallEvents } from '../calls/call-events.js';
import { retellCallUpsert } from '../calls/call-upsert.js';
import { RetellCall } from '../webhook-schema.js';
import type { RetellWebhook } from '../webhook.js';
import { retellCallNumbers, tenantOfNumber } from './call-tenant.js';
import { createIngestionCounters, type RetellWebhookStats } from './ingestion-stats.js';
import { recordCallEvent } from './record-call.js';
import { createRetellEndpoint, type RetellEndpointOptions } from './retell-endpoint.js';
import type { ResolvedWorkspace } from './workspace-keys.js';

const FACTORY = 'createRetellWebhookHandler';

/** Options of {@link createRetellWebhookHandler}. */
export interface RetellWebhookHandlerOptions extends RetellEndpointOptions {
  /** Where `call.started`, `call.ended`, `call.failed` and `call.analyzed` are published. */
  readonly bus: EventBus<BookingEvents>;
  /**
   * The unit of work whose transactions cover the call repository and the outbox (each event is
   * written with the change it reports), and the customers, to link a call to the customer whose
   * number is on the line (leave them out to link none).
   */
  readonly stores: {
    readonly unitOfWork: UnitOfWork;
    readonly customers?: Pick<CustomerRepository, 'findByPhone'>;
  };
  /** Finds the tenant of a call by its number: the called one (inbound) or the calling one (outbound). */
  readonly tenants: Pick<TenantDirectory, 'findByPhoneNumber'>;
  /**
   * Keep calls' transcripts. Calls whose `data_storage_setting` is `basic_attributes_only` keep
   * none either way.
   * @default true
   */
  readonly transcripts?: boolean;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Refusals, unknown numbers and failures (numbers masked; never bodies or keys). @default silentLogger */
  readonly logger?: Logger;
}

/**
 * What a Retell webhook did:
 * - `recorded`: merged into the call (created when new) and its events published;
 * - `duplicate`: this event was recorded for this call before (Retell resent it): nothing changed;
 * - `no_tenant`: no active tenant of the workspace owns the call's number (or it is a web call):
 *   nothing stored;
 * - `ignored`: an event bookingkit does not record (`transcript_updated`, transfers, chats,
 *   `call_inbound` sent to the wrong endpoint, or an unknown event without a call object).
 */
export type RetellWebhookAction = 'recorded' | 'duplicate' | 'no_tenant' | 'ignored';

/** The answer to a Retell webhook (status 200; Retell reads none of it). */
export interface RetellWebhookResult {
  /** The event as sent. */
  readonly event: string;
  readonly action: RetellWebhookAction;
  readonly callId: string | null;
  /** The bookingkit events published (`call.ended`, ...), for `recorded`. */
  readonly published: readonly string[];
  /** Why, for `no_tenant` and `ignored`. */
  readonly detail: string | null;
}

/** The Retell webhook endpoint: a fetch-style handler with counters. */
export interface RetellWebhookHandler {
  (request: Request): Promise<Response>;
  /** What the endpoint did since it was created; read it for metrics. */
  stats(): RetellWebhookStats;
}

/**
 * Builds the endpoint for Retell's call webhooks (`call_started`, `call_ended`, `call_analyzed`),
 * `(request) => Promise<Response>`, for every tenant: set it as the agents' (or the workspace's)
 * webhook URL. For each request it picks the workspace key (one key, or by the route key in the
 * URL: unknown 404), reads the body under the limit (413), verifies `x-retell-signature` (bad,
 * stale or malformed: 401), parses (400), finds the tenant by the call's number, and records the
 * call once per event:
 *
 * - the call is merged into the call repository (`CallRepository.upsert`), linked to the customer
 *   whose number is on the line, and the events of the webhook (`call.started`; `call.ended`,
 *   plus `call.failed` for a failed call; `call.analyzed`) are written to the outbox in the same
 *   transaction and then published. Retell resends deliveries (up to 3 times, out of order): a
 *   resent event changes nothing and publishes nothing; `call_analyzed` before `call_ended`, or
 *   no `call_started` at all, give the same call in the end;
 * - a number no active tenant owns, a web call, or a number of a tenant the workspace does not
 *   carry (`RetellWorkspace.tenantIds`), is acknowledged (200) and stored nowhere (never under
 *   another tenant), logged with the number masked and counted in `stats().noTenant`;
 * - events bookingkit does not record, and event names Retell adds, are acknowledged; an unknown
 *   event that carries a call object is merged into the call (no bookingkit event), so what it
 *   says is kept. Unknown statuses, directions and reasons are kept as sent.
 *
 * Answers 200 with a {@link RetellWebhookResult}; failures are problem responses (a 5xx makes
 * Retell retry, which the once-per-event rule makes safe).
 *
 * @throws {@link bookingkit!InvalidOptionError} at creation, naming the option, for a missing
 *   `apiKey`, `bus`, `stores` or `tenants`, or an out-of-range number.
 * @example
 * ```ts
 * declare const kit: BookingKit;
 * declare function workspaceKey(routeKey: string): Promise<string | null>;
 * // ---cut---
 * // One workspace for every tenant: mount at /webhooks/retell
 * const retellWebhook = createRetellWebhookHandler({ ...kit, apiKey: process.env.RETELL_API_KEY! });
 * // Several workspaces: mount at /webhooks/retell/:routeKey, the route key picks the key
 * const perWorkspace = createRetellWebhookHandler({ ...kit, apiKey: (routeKey) => workspaceKey(routeKey) });
 * // Hono: app.post('/webhooks/retell', (c) => retellWebhook(c.req.raw));
 * console.log(retellWebhook.stats().noTenant.unknown_number);
 * ```
 */
export function createRetellWebhookHandler(options: RetellWebhookHandlerOptions): RetellWebhookHandler {
  const bus = requireOption(
    FACTORY,
    options,
    'bus',
    'the booking event bus, e.g. kit.bus',
    hasMethods('create', 'publish', 'toOutboxMessages'),
  );
  const stores = requireOption(
    FACTORY,
    options,
    'stores',
    'the stores with a unit of work, e.g. kit.stores',
    (value) =>
      hasMethods('run')((value as { unitOfWork?: unknown }).unitOfWork) &&
      ((value as { customers?: unknown }).customers === undefined ||
        hasMethods('findByPhone')((value as { customers?: unknown }).customers)),
  );
  const tenants = requireOption(
    FACTORY,
    options,
    'tenants',
    'a TenantDirectory, e.g. kit.tenants',
    hasMethods('findByPhoneNumber'),
  );
  const details = { factory: FACTORY };
  checkClockOption(options.clock, details);
  checkLoggerOption(options.logger, details);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const keepTranscripts = options.transcripts ?? true;
  const counters = createIngestionCounters();
  const recorder = { unitOfWork: stores.unitOfWork, bus };

  const result = (
    event: string,
    action: RetellWebhookAction,
    callId: string | null,
    detail: string | null = null,
    published: readonly string[] = [],
  ): Response => {
    counters.count(action);
    return jsonResponse(200, { event, action, callId, published, detail } satisfies RetellWebhookResult);
  };

  /** The call object of a known call event, or of an unknown event that carries a valid one. */
  const callOf = (webhook: RetellWebhook): RetellCall | null => {
    if (webhook.known) {
      const { event } = webhook;
      return event === 'call_started' || event === 'call_ended' || event === 'call_analyzed'
        ? webhook.call
        : null;
    }
    const parsed = RetellCall.safeParse(webhook.body.call);
    return parsed.success ? parsed.data : null;
  };

  async function customerIdOf(tenantId: string, number: string, signal: AbortSignal): Promise<string | null> {
    if (!stores.customers) return null;
    try {
      return (await stores.customers.findByPhone(tenantId, number, { signal }))?.id ?? null;
    } catch (error) {
      // The customer only enriches the record: its look-up failing must not lose the call.
      logger.warn(
        { err: error, tenantId },
        'Retell webhook: customer look-up failed; call recorded without it',
      );
      return null;
    }
  }

  const handle = async (
    webhook: RetellWebhook,
    { request, workspace }: { readonly request: Request; readonly workspace: ResolvedWorkspace },
  ): Promise<Response> => {
    const receivedAt = clock.now();
    const { event } = webhook;
    const call = callOf(webhook);
    if (!call) return result(event, 'ignored', null, 'not an event bookingkit records');
    const numbers = retellCallNumbers(call);
    const found = await tenantOfNumber(
      tenants,
      numbers?.tenantNumber ?? null,
      workspace.tenantIds,
      request.signal,
    );
    if ('unresolved' in found) {
      counters.noTenant(found.unresolved);
      logger.warn(
        {
          event,
          callId: call.call_id,
          reason: found.unresolved,
          number: numbers ? maskPhoneNumber(numbers.tenantNumber) : null,
        },
        'Retell webhook for a call no tenant owns: acknowledged, not stored',
      );
      return result(event, 'no_tenant', call.call_id, found.unresolved);
    }
    const tenantId = found.tenant.id;
    const customerId = numbers ? await customerIdOf(tenantId, numbers.otherNumber, request.signal) : null;
    const upsert = retellCallUpsert(event, call, { receivedAt, customerId, transcript: keepTranscripts });
    const drafts = webhook.known ? retellCallEvents(event, call, receivedAt) : [];
    const recorded = await recordCallEvent(recorder, tenantId, upsert, drafts, request.signal);
    logger.debug(
      { tenantId, event, callId: call.call_id, applied: recorded.applied },
      'Retell webhook recorded',
    );
    if (!recorded.applied) return result(event, 'duplicate', call.call_id, 'recorded before');
    return result(
      event,
      'recorded',
      call.call_id,
      null,
      recorded.published.map((published) => published.type),
    );
  };

  const endpoint = createRetellEndpoint(options, {
    factory: FACTORY,
    source: 'retell',
    clock,
    logger,
    handle,
  });
  return Object.assign((request: Request) => endpoint(request), { stats: () => counters.snapshot() });
}
