import { isBookingKitError } from '../errors/booking-kit-error.js';
import { isValidationError, type ValidationIssue } from '../errors/validation-error.js';
import { checkNumberOption } from '../util/options.js';
import { jsonResponse } from './json-response.js';

/**
 * An RFC 9457 problem details body. `type` is always `about:blank`, so `title` is the status's
 * standard phrase; `code` and `issues` are extension members.
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
}

/**
 * HTTP status of each bookingkit error code. Codes not listed (and errors that are not bookingkit
 * errors) map to 500. Extend it per call with {@link ProblemResponseOptions.statuses}.
 */
export const problemStatuses: Readonly<Record<string, number>> = Object.freeze({
  VALIDATION: 400,
  WEBHOOK_SIGNATURE_INVALID: 401,
  NOT_FOUND: 404,
  VERSION_CONFLICT: 409,
  DUPLICATE_RECORD: 409,
  PAYLOAD_TOO_LARGE: 413,
});

/** Options of {@link problemResponse}. */
export interface ProblemResponseOptions {
  /**
   * Extra code-to-status rows, consulted before {@link problemStatuses} (e.g.
   * `{ SLOT_CONFLICT: 409 }`). Statuses must be 400 to 599.
   * @default {}
   */
  readonly statuses?: Readonly<Record<string, number>>;
  /** Further headers for the response (e.g. `Retry-After`). @default none */
  readonly headers?: HeadersInit;
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

const SERVER_ERROR_DETAIL = 'The request could not be processed because of an internal error';

/**
 * Turns an error into an RFC 9457 `application/problem+json` response. bookingkit errors get the
 * status of their code (see {@link problemStatuses}); anything else is a 500 whose body says
 * nothing about the error, so stack traces, SQL or secrets never reach the caller.
 *
 * @throws {@link bookingkit!InvalidOptionError} when a status in `options.statuses` is not 400 to 599.
 * @example
 * ```ts
 * try {
 *   return jsonResponse(200, await service.book(command));
 * } catch (error) {
 *   return problemResponse(error, { statuses: { SLOT_CONFLICT: 409 } });
 * }
 * ```
 */
export function problemResponse(error: unknown, options: ProblemResponseOptions = {}): Response {
  const statuses = checkProblemStatuses(options.statuses);
  const known = isBookingKitError(error);
  const status = (known && (statuses[error.code] ?? problemStatuses[error.code])) || 500;
  const title = TITLES[status] ?? `HTTP ${status}`;
  const problem: ProblemDetails =
    known && status < 500
      ? {
          type: 'about:blank',
          title,
          status,
          detail: error.message,
          code: error.code,
          ...(isValidationError(error) ? { issues: error.context.issues } : {}),
        }
      : { type: 'about:blank', title, status, detail: SERVER_ERROR_DETAIL };
  const headers = new Headers(options.headers);
  headers.set('content-type', 'application/problem+json');
  return jsonResponse(status, problem, { headers });
}

/**
 * Validates extra code-to-status rows (each 400 to 599) and returns them.
 *
 * @internal
 */
export function checkProblemStatuses(
  statuses: Readonly<Record<string, number>> | undefined,
): Readonly<Record<string, number>> {
  for (const [code, status] of Object.entries(statuses ?? {})) {
    checkNumberOption(`statuses.${code}`, status, { integer: true, min: 400, max: 599 });
  }
  return statuses ?? {};
}
