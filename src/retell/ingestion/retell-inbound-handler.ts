import type { BookingEvents } from '../../booking/events.js';
import { maskPhoneNumber } from '../../domain/phone-number.js';
import type { EventBus } from '../../events/event-bus.js';
import { jsonResponse } from '../../http/json-response.js';
import type { CalendarProvider } from '../../ports/calendar-provider.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import type { Tenant } from '../../tenancy/tenant.js';
import type { TenantDirectory } from '../../tenancy/tenant-directory.js';
import {
  checkClockOption,
  checkFunctionOption,
  checkLoggerOption,
  hasMethods,
  numberOption,
  optionalOption,
  requireOption,
} from '../../util/options.js';
import { uuidv7 } from '../../util/uuid.js';
import { createServiceCatalog } from '../functions/service-catalog.js';
import type { RetellInboundCallWebhook } from '../webhook-schema.js';
import type { RetellWebhook } from '../webhook.js';
import { tenantOfNumber } from './call-tenant.js';
import { createDeadline, LATE, type Deadline } from './deadline.js';
import { inboundDynamicVariables } from './inbound-variables.js';
import { createInboundCounters, type RetellInboundStats } from './ingestion-stats.js';
import { createRetellEndpoint, type RetellEndpointOptions } from './retell-endpoint.js';
import type { ResolvedWorkspace } from './workspace-keys.js';

const FACTORY = 'createRetellInboundHandler';

/** Options of {@link createRetellInboundHandler}. */
export interface RetellInboundHandlerOptions extends RetellEndpointOptions {
  /** Finds the tenant that owns the called number. */
  readonly tenants: Pick<TenantDirectory, 'findByPhoneNumber'>;
  /** The customers, to greet a known caller by name. @default none (callers are not looked up) */
  readonly stores?: { readonly customers?: Pick<CustomerRepository, 'findByPhone'> };
  /** The calendar whose event types are the services offered. @default none (no `services`) */
  readonly calendar?: Pick<CalendarProvider, 'listEventTypes'>;
  /** Where `call.inbound` is published (no call id yet). @default none */
  readonly bus?: EventBus<BookingEvents>;
  /**
   * How long the answer may wait for the tenant, the caller and the services, ms from the moment
   * the webhook's signature was verified. What has not come by then is left out of the answer (and a listing still
   * running fills the cache for the next call): the phone keeps ringing until Retell has an answer.
   * @default 300
   */
  readonly budgetMs?: number;
  /** How long a tenant's services (the calendar's event types) are cached, ms. @default 300_000 */
  readonly servicesTtlMs?: number;
  /** The agent that answers a tenant's calls (`override_agent_id`). @default the number's own agent */
  readonly agentId?: (tenant: Tenant) => string | null | undefined;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Unknown numbers, late and failed look-ups (numbers masked). @default silentLogger */
  readonly logger?: Logger;
}

/** The `call_inbound` answer (reference: Retell's inbound-call webhook): every field optional. */
export interface RetellInboundAnswer {
  readonly call_inbound: {
    readonly override_agent_id?: string;
    readonly dynamic_variables?: Readonly<Record<string, string>>;
    readonly metadata?: { readonly bookingkitTenantId: string };
  };
}

/** The Retell inbound-call endpoint: a fetch-style handler with counters. */
export interface RetellInboundHandler {
  (request: Request): Promise<Response>;
  /** What the endpoint did since it was created; read it for metrics. */
  stats(): RetellInboundStats;
}

const NO_TENANT_DATA: RetellInboundAnswer = Object.freeze({ call_inbound: Object.freeze({}) });

/**
 * Builds the endpoint for Retell's inbound-call webhook (`call_inbound`, sent before an inbound
 * call connects), `(request) => Promise<Response>`: set it as the phone numbers'
 * `inbound_webhook_url`. Keys and route keys work as in {@link createRetellWebhookHandler}
 * (unknown route key 404, bad signature 401, malformed body 400). It finds the tenant by the
 * called number and answers 200 with `{ call_inbound: { dynamic_variables, metadata,
 * override_agent_id? } }` ({@link inboundDynamicVariables}: the caller's name when the number is a
 * known customer's, the tenant's services, time zone, today's date and the time, in the tenant's
 * language).
 *
 * Time budget: the answer waits at most `budgetMs` for the tenant, the customer and the services
 * (looked up at once); whatever is late is left out, never waited for. Services are cached per
 * tenant for `servicesTtlMs`, a listing still running when the answer left is kept for the next
 * call. A failed look-up is logged and left out too: the inbound webhook never fails for want of
 * a detail.
 *
 * A number no active tenant of the workspace owns is answered 200 with no tenant data (`{ call_inbound: {} }`), so
 * the number's own agent takes the call, logged and counted in `stats().noTenant`: a non-2xx
 * answer would only make Retell retry and then fall back to that agent anyway.
 *
 * @throws {@link bookingkit!InvalidOptionError} at creation, naming the option, for a missing
 *   `apiKey` or `tenants`, an unusable `stores.customers`, `calendar`, `bus` or `agentId`, or an
 *   out-of-range number.
 * @example
 * ```ts
 * declare const kit: BookingKit;
 * // ---cut---
 * const retellInbound = createRetellInboundHandler({ ...kit, apiKey: process.env.RETELL_API_KEY! });
 * // Hono: app.post('/webhooks/retell/inbound', (c) => retellInbound(c.req.raw));
 * console.log(retellInbound.stats().overBudget);
 * ```
 */
export function createRetellInboundHandler(options: RetellInboundHandlerOptions): RetellInboundHandler {
  const tenants = requireOption(
    FACTORY,
    options,
    'tenants',
    'a TenantDirectory, e.g. kit.tenants',
    hasMethods('findByPhoneNumber'),
  );
  optionalOption(
    FACTORY,
    options,
    'stores',
    'stores whose customers can findByPhone, e.g. kit.stores',
    (value) => {
      const customers = (value as { customers?: unknown }).customers;
      return customers === undefined || hasMethods('findByPhone')(customers);
    },
  );
  optionalOption(
    FACTORY,
    options,
    'calendar',
    'a CalendarProvider, e.g. kit.calendar',
    hasMethods('listEventTypes'),
  );
  optionalOption(
    FACTORY,
    options,
    'bus',
    'the booking event bus, e.g. kit.bus',
    hasMethods('create', 'publish'),
  );
  const details = { factory: FACTORY };
  checkFunctionOption('agentId', options.agentId, false, details);
  checkClockOption(options.clock, details);
  checkLoggerOption(options.logger, details);
  const budgetMs = numberOption(
    'budgetMs',
    options.budgetMs,
    300,
    { integer: true, min: 1, max: 9_000 },
    details,
  );
  const servicesTtlMs = numberOption(
    'servicesTtlMs',
    options.servicesTtlMs,
    300_000,
    { integer: true },
    details,
  );
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const customers = options.stores?.customers;
  const { bus, agentId } = options;
  const catalog = options.calendar
    ? createServiceCatalog({ calendar: options.calendar, clock, ttlMs: servicesTtlMs })
    : null;
  const counters = createInboundCounters();

  /** A look-up's value; `undefined` when it was late or failed (counted and logged). */
  async function within<T>(deadline: Deadline, what: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      const value = await deadline.race(work());
      if (value !== LATE) return value;
      counters.count('overBudget');
      logger.warn({ lookup: what, budgetMs }, 'Retell inbound: look-up over budget, answered without it');
    } catch (error) {
      counters.count('lookupFailures');
      logger.warn({ err: error, lookup: what }, 'Retell inbound: look-up failed, answered without it');
    }
    return undefined;
  }

  async function answer(
    inbound: RetellInboundCallWebhook['call_inbound'],
    workspace: ResolvedWorkspace,
    now: number,
    signal: AbortSignal,
  ): Promise<RetellInboundAnswer> {
    const deadline = createDeadline(clock, budgetMs);
    try {
      const found = await within(deadline, 'tenant', () =>
        tenantOfNumber(tenants, inbound.to_number, workspace.tenantIds, signal),
      );
      if (found === undefined) return NO_TENANT_DATA;
      if ('unresolved' in found) {
        counters.noTenant(found.unresolved);
        logger.warn(
          { reason: found.unresolved, number: maskPhoneNumber(inbound.to_number) },
          'Retell inbound call to a number no tenant owns: answered without tenant data',
        );
        return NO_TENANT_DATA;
      }
      const { tenant } = found;
      const [caller, services] = await Promise.all([
        customers
          ? within(deadline, 'customer', async () => {
              const customer = await customers.findByPhone(tenant.id, inbound.from_number, { signal });
              return customer ? { name: customer.name } : null;
            })
          : undefined,
        catalog
          ? within(deadline, 'services', async () =>
              (await catalog.list(tenant.id)).map((type) => type.title),
            )
          : undefined,
      ]);
      counters.count('answered');
      publishInbound(tenant, inbound);
      const override = agentId?.(tenant);
      return {
        call_inbound: {
          ...(typeof override === 'string' && override !== '' ? { override_agent_id: override } : {}),
          dynamic_variables: inboundDynamicVariables({
            tenant,
            now,
            ...(caller === undefined ? {} : { caller }),
            ...(services === undefined ? {} : { services }),
          }),
          metadata: { bookingkitTenantId: tenant.id },
        },
      };
    } finally {
      deadline.clear();
    }
  }

  function publishInbound(tenant: Tenant, inbound: RetellInboundCallWebhook['call_inbound']): void {
    if (!bus) return;
    try {
      const event = bus.create(
        'call.inbound',
        { callId: null, from: inbound.from_number, to: inbound.to_number, agentId: inbound.agent_id ?? null },
        { tenantId: tenant.id, aggregateType: 'call', aggregateId: uuidv7(clock.now()), origin: 'voice' },
      );
      bus.publish(event);
    } catch (error) {
      logger.error({ err: error, tenantId: tenant.id }, 'Retell inbound: call.inbound not published');
    }
  }

  const handle = async (
    webhook: RetellWebhook,
    { request, workspace }: { readonly request: Request; readonly workspace: ResolvedWorkspace },
  ): Promise<Response> => {
    const now = clock.now();
    if (!webhook.known || webhook.event !== 'call_inbound') {
      logger.warn({ event: webhook.event }, 'Retell inbound endpoint got another event: acknowledged');
      return jsonResponse(200, NO_TENANT_DATA);
    }
    return jsonResponse(200, await answer(webhook.call_inbound, workspace, now, request.signal));
  };

  const endpoint = createRetellEndpoint(options, {
    factory: FACTORY,
    source: 'retell_inbound',
    clock,
    logger,
    handle,
  });
  return Object.assign((request: Request) => endpoint(request), { stats: () => counters.snapshot() });
}
