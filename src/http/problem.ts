import { isSlotConflictError } from '../booking/errors.js';
import type { TimeRange } from '../domain/time-range.js';
import { isBookingKitError } from '../errors/booking-kit-error.js';
import { isValidationError, type ValidationIssue } from '../errors/validation-error.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { InvalidOptionDetails } from '../errors/invalid-option-error.js';
import { checkNumberOption } from '../util/options.js';
import { errorReference } from './error-reference.js';
import { jsonResponse } from './json-response.js';
import { retryAtOf } from './retry-at.js';

/**
 * An RFC 9457 problem details body. `type` is always `about:blank`, so `title` is the status's
 * standard phrase; `code`, `issues` and `alternatives` are extension members.
 */
export interface ProblemDetails {
  /** Always `about:blank`: the status and `code` say what went wrong. */
  readonly type: 'about:blank';
  /** The standard phrase of `status`, e.g. `Bad Request`. */
  readonly title: string;
  readonly status: number;
  /**
   * What went wrong, for a human. For client errors (4xx) it is the error's message; for server
   * errors it is a fixed sentence, so internals never leak.
   */
  readonly detail: string;
  /** The bookingkit error code, for client errors (4xx) only. */
  readonly code?: string;
  /** Each offending field and its problem, for validation errors. */
  readonly issues?: readonly ValidationIssue[];
  /** Nearest free slots, for a slot conflict (`SLOT_CONFLICT`); empty when none were found. */
  readonly alternatives?: readonly TimeRange[];
}

/**
 * HTTP status of each bookingkit error code, taken from {@link errorReference}. Codes that are the
 * server's fault are listed with their 5xx status on purpose; codes not listed (and errors that are
 * not bookingkit errors) map to 500. Extend it per call with {@link ProblemResponseOptions.statuses}.
 */
export const problemStatuses: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(Object.entries(errorReference).map(([code, { status }]) => [code, status])),
);

/** Options of {@link problemResponse}. */
export interface ProblemResponseOptions {
  /**
   * Extra code-to-status rows, consulted before {@link problemStatuses} (e.g.
   * `{ NOT_FOUND: 410 }`, or a code of the host's own errors). Statuses must be 400 to 599.
   * @default {}
   */
  readonly statuses?: Readonly<Record<string, number>>;
  /**
   * Further headers for the response. A `Retry-After` given here wins over the one worked out from
   * the error.
   * @default none
   */
  readonly headers?: ConstructorParameters<typeof Headers>[0];
  /** The clock that `Retry-After` is counted from. @default systemClock */
  readonly clock?: Pick<Clock, 'now'>;
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Fixed details of server errors: they say what kind of failure it was, never what failed. */
const SERVER_ERROR_DETAILS: Readonly<Record<number, string>> = {
  502: 'A service this server depends on refused the request',
  503: 'The service is temporarily unavailable; try again later',
  504: 'A service this server depends on did not answer in time',
};
const SERVER_ERROR_DETAIL = 'The request could not be processed because of an internal error';

/**
 * The standard phrase of an HTTP status, e.g. `Conflict`; `HTTP 418` for one it does not know.
 *
 * @internal
 */
export function statusTitle(status: number): string {
  return TITLES[status] ?? `HTTP ${status}`;
}

/**
 * Turns an error into an RFC 9457 `application/problem+json` response. bookingkit errors get the
 * status of their code (see {@link errorReference}); anything else is a 500. A server error's
 * body says only what kind of failure it was, so stack traces, SQL or secrets never reach the
 * caller. When the error knows when to try again (an open circuit, an unreachable calendar, a
 * concurrent request holding the idempotency key, a full bulkhead or booking service admission),
 * the response carries `Retry-After` in seconds (at least 1);
 * a slot conflict's `alternatives` are in the body.
 *
 * @throws {@link bookingkit!InvalidOptionError} when a status in `options.statuses` is not 400 to 599.
 * @example
 * ```ts
 * declare const service: BookingService;
 * // ---cut---
 * async function book(command: BookCommand): Promise<Response> {
 *   try {
 *     return jsonResponse(200, await service.book(command));
 *   } catch (error) {
 *     return problemResponse(error); // e.g. 409 with `alternatives`, or 503 with Retry-After
 *   }
 * }
 * ```
 */
export function problemResponse(error: unknown, options: ProblemResponseOptions = {}): Response {
  const { status, problem, retryAfterSeconds } = problemParts(error, options);
  const headers = new Headers(options.headers);
  headers.set('content-type', 'application/problem+json');
  if (retryAfterSeconds !== null && !headers.has('retry-after')) {
    headers.set('retry-after', String(retryAfterSeconds));
  }
  return jsonResponse(status, problem, { headers });
}

/**
 * What {@link problemResponse} answers for `error`, before any `Response` is built: the status,
 * the problem body and the `Retry-After` in whole seconds (`null` when the error does not say when
 * to try again). For writers that answer without a fetch `Response` (the admission gate).
 *
 * @internal
 */
export function problemParts(
  error: unknown,
  options: Pick<ProblemResponseOptions, 'statuses' | 'clock'> = {},
): { status: number; problem: ProblemDetails; retryAfterSeconds: number | null } {
  const statuses = checkProblemStatuses(options.statuses);
  const known = isBookingKitError(error);
  const status =
    (known && (ownStatus(statuses, error.code) ?? ownStatus(problemStatuses, error.code))) || 500;
  const title = statusTitle(status);
  const problem: ProblemDetails =
    known && status < 500
      ? {
          type: 'about:blank',
          title,
          status,
          detail: error.message,
          code: error.code,
          ...(isValidationError(error) ? { issues: error.context.issues } : {}),
          ...(isSlotConflictError(error) ? { alternatives: error.context.alternatives } : {}),
        }
      : { type: 'about:blank', title, status, detail: SERVER_ERROR_DETAILS[status] ?? SERVER_ERROR_DETAIL };
  const now = (options.clock ?? systemClock).now();
  const retryAt = retryAtOf(error, now);
  const retryAfterSeconds = retryAt === null ? null : Math.max(1, Math.ceil((retryAt - now) / 1000));
  return { status, problem, retryAfterSeconds };
}

/** The row of `code` in `table`, never a property inherited from `Object.prototype`. */
function ownStatus(table: Readonly<Record<string, number>>, code: string): number | undefined {
  return Object.hasOwn(table, code) ? table[code] : undefined;
}

/**
 * Validates extra code-to-status rows (each 400 to 599) and returns them; errors name
 * `details.factory` when given.
 *
 * @internal
 */
export function checkProblemStatuses(
  statuses: Readonly<Record<string, number>> | undefined,
  details: InvalidOptionDetails = {},
): Readonly<Record<string, number>> {
  for (const [code, status] of Object.entries(statuses ?? {})) {
    checkNumberOption(`statuses.${code}`, status, { integer: true, min: 400, max: 599 }, details);
  }
  return statuses ?? {};
}
