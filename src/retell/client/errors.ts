import { BookingKitError, errorGuard } from '../../errors/booking-kit-error.js';
import { describeUnavailable, type UnavailableReason } from '../../errors/unavailable-reason.js';
import { formatValidationIssues, type ValidationIssue } from '../../errors/validation-error.js';

/** Where a Retell call went. */
export interface RetellCallContext {
  /** Method and path template, e.g. `GET /v2/get-call/{call_id}`. */
  readonly endpoint: string;
}

/** Context of a {@link RetellAuthError}. */
export interface RetellAuthContext extends RetellCallContext {
  /** 401 (key missing or invalid) or 403 (forbidden). */
  readonly status: number;
  /** What Retell said, short. */
  readonly detail: string;
}

/**
 * Retell refused the API key (HTTP 401 or 403): it is wrong, revoked, or of another workspace.
 * Another attempt cannot succeed until the key is fixed. Carries `status`, so classifiers that
 * read `error.status` treat it as a refusal, not a fault of Retell's.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare const logger: Logger;
 * // ---cut---
 * if (isRetellAuthError(error)) logger.error(error.context, 'Retell refused the API key');
 * ```
 */
export class RetellAuthError extends BookingKitError<'RETELL_AUTH_FAILED', RetellAuthContext> {
  override name = 'RetellAuthError';
  /** The HTTP status, for classifiers that read `error.status`. */
  readonly status: number;

  constructor(context: RetellAuthContext, options: { cause?: unknown } = {}) {
    super(
      'RETELL_AUTH_FAILED',
      `Retell refused the API key on ${context.endpoint} (HTTP ${context.status}): ${context.detail}`,
      context,
      options,
    );
    this.status = context.status;
  }
}

/**
 * Tells whether `error` is a {@link RetellAuthError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isRetellAuthError(error)) console.log(error.context.status);
 * ```
 */
export const isRetellAuthError = errorGuard<RetellAuthError>('RetellAuthError', 'RETELL_AUTH_FAILED');

/** Context of a {@link RetellRateLimitedError}. */
export interface RetellRateLimitedContext extends RetellCallContext {
  /** How long Retell asked to wait (`retry-after-ms` or `Retry-After`), ms; `null` when it did not say. */
  readonly retryAfterMs: number | null;
  /** When to try again (now + `retryAfterMs`), ISO; `null` when Retell did not say. */
  readonly retryAt: string | null;
}

/**
 * Retell answered 429: the account is rate limited. Transient: it carries `status` 429 (and a
 * `retry-after` header when Retell gave a wait), so `isTransientError` and `retryAfterHeader()`
 * read it as they read an HTTP 429. Reads were already retried by the client; a create never is.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function later(at: string | null): void;
 * // ---cut---
 * if (isRetellRateLimitedError(error)) later(error.context.retryAt);
 * ```
 */
export class RetellRateLimitedError extends BookingKitError<'RETELL_RATE_LIMITED', RetellRateLimitedContext> {
  override name = 'RetellRateLimitedError';
  /** Always 429, for classifiers that read `error.status`. */
  readonly status = 429;
  /** `retry-after` in whole seconds when Retell gave a wait, for extractors that read `error.headers`. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(context: RetellRateLimitedContext, options: { cause?: unknown } = {}) {
    const when = context.retryAt === null ? '' : `; retry after ${context.retryAt}`;
    super('RETELL_RATE_LIMITED', `Retell rate limited ${context.endpoint}${when}`, context, options);
    this.headers = Object.freeze(
      context.retryAfterMs === null ? {} : { 'retry-after': String(Math.ceil(context.retryAfterMs / 1_000)) },
    );
  }
}

/**
 * Tells whether `error` is a {@link RetellRateLimitedError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isRetellRateLimitedError(error)) console.log(error.context.retryAfterMs);
 * ```
 */
export const isRetellRateLimitedError = errorGuard<RetellRateLimitedError>(
  'RetellRateLimitedError',
  'RETELL_RATE_LIMITED',
);

/** Context of a {@link RetellUnavailableError}. */
export interface RetellUnavailableContext extends RetellCallContext {
  /** `server_error`: an HTTP 5xx or 408; `network`: no answer (connection, DNS); `timeout`: no answer in time. */
  readonly reason: UnavailableReason;
  /** The HTTP status, for `server_error`; otherwise `null`. */
  readonly status: number | null;
  /**
   * Whether the request may have taken effect: `true` for a create without an answer or with a
   * 5xx (the call may have been dialled: look for it with `listCalls` before creating it again),
   * `false` for a read.
   */
  readonly inDoubt: boolean;
}

/**
 * Retell could not be reached or failed on its side: a 5xx, a 408, a network failure or a
 * timeout. Transient (`isTransientError` recognises it by its `status`, or by the network error or
 * timeout in its `cause`), so it counts against a circuit breaker. Reads were already retried by
 * the client; a create that ends so is in doubt, because Retell takes no idempotency key.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function lookForTheCallFirst(): void;
 * // ---cut---
 * if (isRetellUnavailableError(error) && error.context.inDoubt) lookForTheCallFirst();
 * ```
 */
export class RetellUnavailableError extends BookingKitError<'RETELL_UNAVAILABLE', RetellUnavailableContext> {
  override name = 'RetellUnavailableError';
  /** The HTTP status for a 5xx (or 408), else `undefined` (the cause tells network or timeout). */
  readonly status: number | undefined;

  constructor(context: RetellUnavailableContext, options: { cause?: unknown } = {}) {
    const what = describeUnavailable(context.reason, context.status);
    super(
      'RETELL_UNAVAILABLE',
      `Retell ${what} on ${context.endpoint}${context.inDoubt ? ' (the request may have taken effect)' : ''}`,
      context,
      options,
    );
    this.status = context.status ?? undefined;
  }
}

/**
 * Tells whether `error` is a {@link RetellUnavailableError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isRetellUnavailableError(error)) console.log(error.context.reason);
 * ```
 */
export const isRetellUnavailableError = errorGuard<RetellUnavailableError>(
  'RetellUnavailableError',
  'RETELL_UNAVAILABLE',
);

/** Context of a {@link RetellApiError}. */
export interface RetellApiErrorContext extends RetellCallContext {
  /** The HTTP status: 400, 402 (trial ended), 404, 422 and any other 4xx but 401, 403, 408, 429. */
  readonly status: number;
  /** What Retell said (the `message` of its error body), short. */
  readonly detail: string;
}

/**
 * Retell refused the request for good: it is malformed (400), the account cannot pay (402), or
 * what it names does not exist (404, 422 "Cannot find requested asset"). Repeating it cannot help;
 * `status` and `detail` say why. Not a fault of Retell's, so it does not count against a breaker.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare const logger: Logger;
 * // ---cut---
 * if (isRetellApiError(error) && error.context.status === 402) logger.error(error.context, 'Retell trial has ended');
 * ```
 */
export class RetellApiError extends BookingKitError<'RETELL_REQUEST_REJECTED', RetellApiErrorContext> {
  override name = 'RetellApiError';
  /** The HTTP status, for classifiers that read `error.status`. */
  readonly status: number;

  constructor(context: RetellApiErrorContext, options: { cause?: unknown } = {}) {
    super(
      'RETELL_REQUEST_REJECTED',
      `Retell refused ${context.endpoint} (HTTP ${context.status}): ${context.detail}`,
      context,
      options,
    );
    this.status = context.status;
  }
}

/**
 * Tells whether `error` is a {@link RetellApiError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isRetellApiError(error)) console.log(error.context.status, error.context.detail);
 * ```
 */
export const isRetellApiError = errorGuard<RetellApiError>('RetellApiError', 'RETELL_REQUEST_REJECTED');

/** Context of a {@link RetellResponseError}. */
export interface RetellResponseContext extends RetellCallContext {
  /** The HTTP status of the answer. */
  readonly status: number;
  /** Each field that did not match, by its path in the response body (`items.3.call_id`). */
  readonly issues: readonly ValidationIssue[];
}

/**
 * Retell answered with a body whose shape the client does not know: a required field is missing
 * or of another type, or the body is not JSON. The message names the endpoint and each field
 * path. Not transient: the API changed, or something between the client and Retell answered.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isRetellResponseError(error)) console.log(error.context.endpoint, error.context.issues[0]?.path);
 * ```
 */
export class RetellResponseError extends BookingKitError<'RETELL_RESPONSE_INVALID', RetellResponseContext> {
  override name = 'RetellResponseError';

  constructor(context: RetellResponseContext, options: { cause?: unknown } = {}) {
    super(
      'RETELL_RESPONSE_INVALID',
      `Retell answered ${context.endpoint} with an unexpected body: ${formatValidationIssues(context.issues)}`,
      context,
      options,
    );
  }
}

/**
 * Tells whether `error` is a {@link RetellResponseError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * if (isRetellResponseError(error)) console.log(error.context.issues);
 * ```
 */
export const isRetellResponseError = errorGuard<RetellResponseError>(
  'RetellResponseError',
  'RETELL_RESPONSE_INVALID',
);
