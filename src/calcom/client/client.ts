import type { OperationOptions } from '../../util/abort.js';
import { createBookings, type CalcomBookings } from './bookings.js';
import { normalizeClientOptions, type CalcomClientOptions } from './client-options.js';
import type { CalcomCredentialsResolver } from './credentials.js';
import { createEventTypes, type CalcomEventTypes } from './event-types.js';
import { createSlots, type CalcomSlots } from './slots.js';
import { createTransport } from './transport.js';
import {
  createWebhookSubscriptions,
  ensureWebhookSubscription,
  type CalcomWebhookSubscriptions,
  type CalcomWebhookTarget,
  type EnsuredWebhookSubscription,
} from './webhook-subscriptions.js';

/**
 * A Cal.com API v2 client for many tenants: every call names the tenant, whose credentials
 * (API key, base URL) come from the resolver. Requests carry `cal-api-version` per endpoint group,
 * answers are validated, errors are typed, each API key is kept under its rate limit, and only
 * reads are retried.
 *
 * @example
 * ```ts
 * declare const calcom: CalcomClient;
 * // ---cut---
 * for await (const page of calcom.bookings.list('tenant-a', { afterUpdatedAt: '2026-03-01T00:00:00Z', sortUpdatedAt: 'asc', take: 250 })) {
 *   for (const booking of page.items) console.log(booking.uid, booking.status, booking.updatedAt);
 * }
 * ```
 */
export interface CalcomClient {
  /** Create, read, list, cancel, reschedule, confirm, decline, mark absent. */
  readonly bookings: CalcomBookings;
  /** Free slots; reserve and release a slot. */
  readonly slots: CalcomSlots;
  /** The tenant's event types. */
  readonly eventTypes: CalcomEventTypes;
  /** The tenant's webhook subscriptions. */
  readonly webhooks: CalcomWebhookSubscriptions;
  /**
   * Makes the tenant's Cal.com post `triggers` to `url`, signed with `secret` (by default the
   * tenant's `webhookSecret`): creates, updates or leaves the subscription, and deletes duplicates
   * to the same URL. Idempotent.
   */
  ensureWebhookSubscription(
    tenantId: string,
    target: CalcomWebhookTarget,
    options?: OperationOptions,
  ): Promise<EnsuredWebhookSubscription>;
  /** The credentials resolver the client reads (shared with the webhook verifier). */
  readonly credentials: CalcomCredentialsResolver;
}

/**
 * Creates a {@link CalcomClient} on `fetch`. Options are checked at once; a `cal-api-version` this
 * client does not speak is refused here, because Cal.com would silently answer another version.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a bad option.
 * @example
 * ```ts
 * declare const tenantSecrets: (tenantId: string) => Promise<{ apiKey: string; webhookSecret: string; baseUrl?: string }>;
 * // ---cut---
 * const calcom = createCalcomClient({ credentials: tenantSecrets, versions: { bookings: '2026-02-25' } });
 * const free = await calcom.slots.available('tenant-a', { eventTypeId: 42, start: '2026-03-02T00:00:00Z', end: '2026-03-03T00:00:00Z' });
 * await calcom.ensureWebhookSubscription('tenant-a', {
 *   url: 'https://api.example.com/webhooks/calcom/rk_7f3a',
 *   triggers: ['BOOKING_CREATED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED'],
 * });
 * ```
 */
export function createCalcomClient(options: CalcomClientOptions): CalcomClient {
  const normalized = normalizeClientOptions(options);
  const transport = createTransport(normalized);
  const webhooks = createWebhookSubscriptions(transport);
  return Object.freeze({
    bookings: createBookings(transport),
    slots: createSlots(transport),
    eventTypes: createEventTypes(transport),
    webhooks,
    ensureWebhookSubscription: (tenantId: string, target: CalcomWebhookTarget, opts?: OperationOptions) =>
      ensureWebhookSubscription(webhooks, normalized.credentials, tenantId, target, opts),
    credentials: normalized.credentials,
  });
}
