import { BookingKitError, errorGuard } from '../../errors/booking-kit-error.js';
import { describeUnavailable, type UnavailableReason } from '../../errors/unavailable-reason.js';
import { formatValidationIssues, type ValidationIssue } from '../../errors/validation-error.js';

/** Where a Cal.com call went: the tenant and the endpoint template (no uid: a uid is a secret). */
export interface CalcomCallContext {
  readonly tenantId: string;
  /** Method and path template, e.g. `GET /v2/bookings/{bookingUid}`. */
  readonly endpoint: string;
}

/** Context of a {@link CalcomAuthError}. */
export interface CalcomAuthContext extends CalcomCallContext {
  /** 401, or 498 for an expired managed-user token. */
  readonly status: number;
  /** What Cal.com said, short. */
  readonly detail: string;
}

/**
 * Cal.com refused the tenant's credentials (HTTP 401, or 498 for an expired access token): the API
 * key is wrong, expired or revoked. Another attempt cannot succeed until the key is fixed; the
 * client forgets the cached credentials of the tenant, so a rotated key is read again. Carries
 * `status` like an HTTP error, so callers that classify by status treat it as a refusal.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare const logger: Logger;
 * // ---cut---
 * if (isCalcomAuthError(error)) logger.error(error.context, 'Cal.com refused the API key of the tenant');
 * ```
 */
export class CalcomAuthError extends BookingKitError<'CALCOM_AUTH_FAILED', CalcomAuthContext> {
  override name = 'CalcomAuthError';
  /** The HTTP status, for classifiers that read `error.status`. */
  readonly status: number;

  constructor(context: CalcomAuthContext, options: { cause?: unknown } = {}) {
    super(
      'CALCOM_AUTH_FAILED',
      `Cal.com refused the credentials of tenant ${context.tenantId} on ${context.endpoint} (HTTP ${context.status}): ${context.detail}`,
      context,
      options,
    );
    this.status = context.status;
  }
}

/**
 * Tells whether `error` is a {@link CalcomAuthError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isCalcomAuthError(error)) console.log(error.context.tenantId);
 * ```
 */
export const isCalcomAuthError = errorGuard<CalcomAuthError>('CalcomAuthError', 'CALCOM_AUTH_FAILED');

/** Context of a {@link CalcomRateLimitedError}. */
export interface CalcomRateLimitedContext extends CalcomCallContext {
  /**
   * `server`: Cal.com answered 429; `client`: the client's own rate limiter refused to send the
   * request because waiting for a permit would take longer than allowed.
   */
  readonly source: 'server' | 'client';
  /** How long to wait before the next request with this API key, in ms. */
  readonly retryAfterMs: number;
  /** When the limit resets (now + `retryAfterMs`), ISO. */
  readonly resetAt: string;
}

/**
 * Too many requests with the tenant's API key (Cal.com allows 120 a minute by default): Cal.com
 * answered 429, whose reset time comes from `X-RateLimit-Reset-*` (or `Retry-After`), or the
 * client's rate limiter would have had to wait too long. Transient: it carries `status` 429 and a
 * `retry-after` header, so `isTransientError` and `retryAfterHeader()` read it as they read an
 * HTTP 429.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function later(ms: number): void;
 * // ---cut---
 * if (isCalcomRateLimitedError(error)) later(error.context.retryAfterMs);
 * ```
 */
export class CalcomRateLimitedError extends BookingKitError<'CALCOM_RATE_LIMITED', CalcomRateLimitedContext> {
  override name = 'CalcomRateLimitedError';
  /** Always 429, for classifiers that read `error.status`. */
  readonly status = 429;
  /** `retry-after` in whole seconds, for extractors that read `error.headers`. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(context: CalcomRateLimitedContext, options: { cause?: unknown } = {}) {
    const by = context.source === 'server' ? 'Cal.com rate limited' : 'The client rate limiter held back';
    super(
      'CALCOM_RATE_LIMITED',
      `${by} ${context.endpoint} for tenant ${context.tenantId}; retry after ${context.resetAt}`,
      context,
      options,
    );
    this.headers = Object.freeze({ 'retry-after': String(Math.ceil(context.retryAfterMs / 1_000)) });
  }
}

/**
 * Tells whether `error` is a {@link CalcomRateLimitedError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isCalcomRateLimitedError(error)) console.log(error.context.resetAt);
 * ```
 */
export const isCalcomRateLimitedError = errorGuard<CalcomRateLimitedError>(
  'CalcomRateLimitedError',
  'CALCOM_RATE_LIMITED',
);

/** Context of a {@link CalcomUnavailableError}. */
export interface CalcomUnavailableContext extends CalcomCallContext {
  /** `server_error`: an HTTP 5xx or 408; `network`: no answer (connection, DNS); `timeout`: no answer in time. */
  readonly reason: UnavailableReason;
  /** The HTTP status, for `server_error`; otherwise `null`. */
  readonly status: number | null;
  /**
   * Whether the request may have taken effect: `true` for a write without an answer or with a 5xx
   * (look the booking up before repeating it, decision 0002), `false` for a read.
   */
  readonly inDoubt: boolean;
}

/**
 * Cal.com could not be reached or failed on its side: a 5xx, a network failure or a timeout.
 * Transient (`isTransientError` recognises it by its `status`, or by the network error or timeout
 * in its `cause`), so it counts against a circuit breaker; reads were already retried by the
 * client. A write that ends so is in doubt: look it up before sending it again.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function findByTagFirst(): void;
 * // ---cut---
 * if (isCalcomUnavailableError(error) && error.context.inDoubt) findByTagFirst();
 * ```
 */
export class CalcomUnavailableError extends BookingKitError<'CALCOM_UNAVAILABLE', CalcomUnavailableContext> {
  override name = 'CalcomUnavailableError';
  /** The HTTP status for a 5xx (or 408), else `undefined` (the cause tells network or timeout). */
  readonly status: number | undefined;

  constructor(context: CalcomUnavailableContext, options: { cause?: unknown } = {}) {
    const what = describeUnavailable(context.reason, context.status);
    super(
      'CALCOM_UNAVAILABLE',
      `Cal.com ${what} on ${context.endpoint} for tenant ${context.tenantId}${context.inDoubt ? ' (the request may have taken effect)' : ''}`,
      context,
      options,
    );
    this.status = context.status ?? undefined;
  }
}

/**
 * Tells whether `error` is a {@link CalcomUnavailableError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isCalcomUnavailableError(error)) console.log(error.context.reason);
 * ```
 */
export const isCalcomUnavailableError = errorGuard<CalcomUnavailableError>(
  'CalcomUnavailableError',
  'CALCOM_UNAVAILABLE',
);

/** Context of a {@link CalcomResponseError}. */
export interface CalcomResponseContext extends CalcomCallContext {
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The `cal-api-version` the request sent, or `null` for an endpoint without one. */
  readonly apiVersion: string | null;
  /** Each field that did not match, by its path in the response body (`data.uid`). */
  readonly issues: readonly ValidationIssue[];
}

/**
 * Cal.com answered with a body whose shape the client does not know: most often the answer of
 * another API version, because Cal.com serves its oldest version for a `cal-api-version` it does
 * not know instead of refusing it. The message names the endpoint, the version sent and each
 * field path. Not transient: check the configured `versions` against the Cal.com deployment.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isCalcomResponseError(error)) console.log(error.context.endpoint, error.context.issues[0]?.path);
 * ```
 */
export class CalcomResponseError extends BookingKitError<'CALCOM_RESPONSE_INVALID', CalcomResponseContext> {
  override name = 'CalcomResponseError';

  constructor(context: CalcomResponseContext, options: { cause?: unknown } = {}) {
    const version = context.apiVersion === null ? '' : ` (cal-api-version ${context.apiVersion})`;
    super(
      'CALCOM_RESPONSE_INVALID',
      `Cal.com answered ${context.endpoint}${version} with an unexpected body: ${formatValidationIssues(context.issues)}`,
      context,
      options,
    );
  }
}

/**
 * Tells whether `error` is a {@link CalcomResponseError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isCalcomResponseError(error)) console.log(error.context.apiVersion);
 * ```
 */
export const isCalcomResponseError = errorGuard<CalcomResponseError>(
  'CalcomResponseError',
  'CALCOM_RESPONSE_INVALID',
);
