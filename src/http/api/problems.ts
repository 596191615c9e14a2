import { isBookingKitError } from '../../errors/booking-kit-error.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import { isBulkheadRejectedError } from '../../resilience/errors.js';
import { jsonResponse } from '../json-response.js';
import { problemResponse } from '../problem.js';
import { isAuthenticationError } from './errors.js';

/** How the REST handlers answer failures. @internal */
export interface ProblemContext {
  readonly clock: Pick<Clock, 'now'>;
  readonly logger: Logger;
  readonly statuses: Readonly<Record<string, number>>;
}

/**
 * The problem response for `error` (bookingkit errors by code, anything else a bare 500), logged:
 * server errors with the error, refusals with their code and status only. Load shed by admission
 * control (a full bulkhead, 503) is a refusal, not a failure: the server works as designed, and
 * under overload it answers hundreds of these a second, each of which would otherwise serialise
 * an error and its stack on the path that has to stay cheap.
 *
 * @internal
 */
export function errorResponse(error: unknown, context: ProblemContext, route: string): Response {
  const headers = isAuthenticationError(error) ? { 'www-authenticate': 'Bearer' } : undefined;
  const response = problemResponse(error, {
    statuses: context.statuses,
    clock: context.clock,
    ...(headers ? { headers } : {}),
  });
  const code = isBookingKitError(error) ? error.code : undefined;
  if (response.status >= 500 && !isBulkheadRejectedError(error)) {
    context.logger.error({ err: error, route, code }, 'API request failed');
  } else {
    const reason = isAuthenticationError(error) ? error.context.reason : undefined;
    context.logger.warn({ route, code, status: response.status, reason }, 'API request refused');
  }
  return response;
}

/**
 * A problem response that no bookingkit error stands behind (an unknown route, a method the route
 * does not serve): `type` `about:blank`, the status's title and a detail.
 *
 * @internal
 */
export function plainProblem(
  status: 404 | 405 | 415,
  detail: string,
  headers: Record<string, string> = {},
): Response {
  const titles = { 404: 'Not Found', 405: 'Method Not Allowed', 415: 'Unsupported Media Type' };
  return jsonResponse(
    status,
    { type: 'about:blank', title: titles[status], status, detail },
    { headers: { ...headers, 'content-type': 'application/problem+json' } },
  );
}
