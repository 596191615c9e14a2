import { z } from 'zod';
import { Id, TimeZone } from '../domain/common.js';
import { DEFAULT_LOCALE, Locale } from '../domain/locale.js';
import { PhoneNumber } from '../domain/phone-number.js';

/**
 * What the booking service does when the calendar (Cal.com) is unavailable: `fail` tells the
 * caller at once and releases the hold; `queue` keeps the appointment pending and retries the
 * sync through the outbox, telling the caller the request was received. The outbox relay must run
 * (`relay.start()`, or `kit.start()` of `createBookingKit`) for queued listeners and deferred
 * calendar syncs; until it does, their messages wait in the outbox.
 */
export const CalendarUnavailablePolicy = z.enum(['fail', 'queue']);
/** @see {@link CalendarUnavailablePolicy} */
export type CalendarUnavailablePolicy = z.infer<typeof CalendarUnavailablePolicy>;

/**
 * A tenant (a business that takes bookings). Tenants are resolved from what arrives (an inbound
 * phone number, an API key, a webhook route) and never defaulted: an unknown one is rejected.
 */
export const Tenant = z.object({
  id: Id,
  name: z.string().min(1).max(200),
  status: z.enum(['active', 'suspended']),
  timeZone: TimeZone,
  calendarUnavailablePolicy: CalendarUnavailablePolicy,
  /** The language callers are spoken to in. @default 'en' */
  locale: Locale.default(DEFAULT_LOCALE),
  /** Inbound numbers (E.164) whose calls belong to this tenant. */
  phoneNumbers: z.array(PhoneNumber),
  /** SHA-256 hex digests of the tenant's API keys; keys themselves are never stored. */
  apiKeyHashes: z.array(z.string().regex(/^[0-9a-f]{64}$/)),
  /** Opaque key in webhook URLs (`/webhooks/calcom/:routeKey`) that identifies the tenant. */
  routeKeys: z.array(z.string().min(8).max(200)),
});
/** @see {@link Tenant} */
export type Tenant = z.infer<typeof Tenant>;
/**
 * A tenant as directories take it: a {@link Tenant} whose `locale` may be left out (it is `en`
 * then).
 *
 * @example
 * ```ts
 * const tenant: TenantInput = { id: 'salon', name: 'Salon', status: 'active', timeZone: 'Europe/Berlin',
 *   calendarUnavailablePolicy: 'queue', phoneNumbers: [], apiKeyHashes: [], routeKeys: [] };
 * ```
 */
export type TenantInput = z.input<typeof Tenant>;
