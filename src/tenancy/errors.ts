import { BookingKitError, errorGuard } from '../errors/booking-kit-error.js';

/** What a tenant was looked up by. */
export type TenantLookupKind = 'tenantId' | 'phoneNumber' | 'apiKey' | 'routeKey';

/** Context of an {@link UnknownTenantError}. */
export interface UnknownTenantContext {
  readonly by: TenantLookupKind;
  /**
   * The value looked up, safe to log: tenant ids as given, phone numbers masked, route keys cut
   * to their first four characters; `null` for API keys, which are secrets.
   */
  readonly value: string | null;
}

/**
 * No tenant owns the phone number, API key, route key or id of a request. The request must be
 * rejected: bookingkit never falls back to a default tenant.
 *
 * @example
 * ```ts
 * function toResponse(error: unknown): Response {
 *   if (isUnknownTenantError(error)) return new Response('Unknown tenant', { status: 404 });
 *   throw error;
 * }
 * ```
 */
export class UnknownTenantError extends BookingKitError<'TENANT_UNKNOWN', UnknownTenantContext> {
  override name = 'UnknownTenantError';

  constructor(context: UnknownTenantContext, options: { cause?: unknown } = {}) {
    const shown = context.value === null ? '' : ` "${context.value}"`;
    super('TENANT_UNKNOWN', `No tenant found by ${context.by}${shown}`, context, options);
  }
}

/**
 * Tells whether `error` is an {@link UnknownTenantError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isUnknownTenantError(error)) console.warn(error.context.by);
 * ```
 */
export const isUnknownTenantError = errorGuard<UnknownTenantError>('UnknownTenantError', 'TENANT_UNKNOWN');

/** Context of a {@link TenantSuspendedError}. */
export interface TenantSuspendedContext {
  readonly tenantId: string;
}

/**
 * The tenant exists but is suspended; its requests are refused.
 *
 * @example
 * ```ts
 * function toResponse(error: unknown): Response {
 *   if (isTenantSuspendedError(error)) return new Response('Tenant suspended', { status: 403 });
 *   throw error;
 * }
 * ```
 */
export class TenantSuspendedError extends BookingKitError<'TENANT_SUSPENDED', TenantSuspendedContext> {
  override name = 'TenantSuspendedError';

  constructor(context: TenantSuspendedContext, options: { cause?: unknown } = {}) {
    super('TENANT_SUSPENDED', `Tenant ${context.tenantId} is suspended`, context, options);
  }
}

/**
 * Tells whether `error` is a {@link TenantSuspendedError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isTenantSuspendedError(error)) console.warn(error.context.tenantId);
 * ```
 */
export const isTenantSuspendedError = errorGuard<TenantSuspendedError>(
  'TenantSuspendedError',
  'TENANT_SUSPENDED',
);
