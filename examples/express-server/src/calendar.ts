import { randomUUID } from 'node:crypto';
import {
  createCalcomCalendarProvider,
  createCalcomClient,
  type CalcomClient,
  type RateLimiter,
} from 'bookingkit/calcom';
import type { Logger } from 'bookingkit';
import { createCalcomSimulator, type CalcomSimulator } from 'bookingkit/testing';
import type { Config, TenantConfig } from './config.js';
import { demoServices } from './demo.js';

/** What Cal.com sends to `/webhooks/calcom/:routeKey`. */
export const CALCOM_TRIGGERS = [
  'BOOKING_CREATED',
  'BOOKING_RESCHEDULED',
  'BOOKING_CANCELLED',
  'BOOKING_REQUESTED',
] as const;

/** The Cal.com side: the client, the calendar provider over it, and the simulator when it runs here. */
export interface Calendar {
  readonly client: CalcomClient;
  readonly provider: ReturnType<typeof createCalcomCalendarProvider>;
  /** The embedded simulator (no CALCOM_BASE_URL), or null. */
  readonly simulator: CalcomSimulator | null;
  /** Where the client sends requests. */
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * Creates the Cal.com client over every tenant's credentials. Without CALCOM_BASE_URL, a Cal.com
 * simulator is served on a local port first, with an account per tenant and each tenant's demo
 * services (30 and 60 minutes, weekdays 09:00-17:00 in its time zone).
 */
export async function openCalendar(
  config: Config,
  options: { readonly rateLimiter?: RateLimiter; readonly logger?: Logger } = {},
): Promise<Calendar> {
  let simulator: CalcomSimulator | null = null;
  let baseUrl: string;
  if (config.calcom.kind === 'simulator') {
    simulator = createCalcomSimulator({
      // Unique uids: the simulator starts empty on each run, the database keeps earlier bookings.
      uid: () => randomUUID(),
      accounts: config.tenants.map(({ tenant, calcom }) => ({
        apiKey: calcom.apiKey,
        username: tenant.id,
        name: tenant.name,
        timeZone: tenant.timeZone,
      })),
      eventTypes: config.tenants.flatMap(({ tenant }) =>
        demoServices(tenant.locale ?? 'en').map((service) => ({
          ...service,
          owner: tenant.id,
          timeZone: tenant.timeZone,
        })),
      ),
    });
    baseUrl = await simulator.listen();
  } else {
    baseUrl = config.calcom.baseUrl;
  }
  const byId = new Map<string, TenantConfig>(config.tenants.map((entry) => [entry.tenant.id, entry]));
  const client = createCalcomClient({
    baseUrl,
    credentials: async (tenantId) => {
      const entry = byId.get(tenantId);
      if (!entry) throw new Error(`no Cal.com credentials for tenant ${tenantId}`);
      return { apiKey: entry.calcom.apiKey, webhookSecret: entry.calcom.webhookSecret };
    },
    ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    client,
    provider: createCalcomCalendarProvider({ client }),
    simulator,
    baseUrl,
    close: async () => {
      await simulator?.close();
    },
  };
}

/**
 * Subscribes each tenant's Cal.com account to `${publicUrl}/webhooks/calcom/:routeKey`
 * (idempotent: an existing subscription to that URL is updated, not duplicated).
 */
export async function subscribeWebhooks(
  calendar: Calendar,
  config: Config,
  publicUrl: string,
): Promise<void> {
  for (const { tenant, calcom } of config.tenants) {
    await calendar.client.ensureWebhookSubscription(tenant.id, {
      url: `${publicUrl}/webhooks/calcom/${calcom.routeKey}`,
      triggers: [...CALCOM_TRIGGERS],
    });
  }
}
