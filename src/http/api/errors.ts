import { BookingKitError, errorGuard } from '../../errors/booking-kit-error.js';

/** Context of an {@link AuthenticationError}. */
export interface AuthenticationContext {
  /**
   * Why the request was refused: no `Authorization` header, one that is not `Bearer <key>`, or a
   * key no tenant owns. For logs only: the answer never says which.
   */
  readonly reason: 'missing' | 'malformed' | 'unknown_key';
}

/**
 * A REST request carried no API key, a malformed one, or one that no tenant owns. The message is
 * the same whatever the reason (it is sent back); `context.reason` says which, for logs. Maps to
 * HTTP 401 with `WWW-Authenticate: Bearer`.
 *
 * @example
 * ```ts
 * declare const request: Request;
 * // ---cut---
 * if (!request.headers.has('authorization')) throw new AuthenticationError('missing');
 * ```
 */
export class AuthenticationError extends BookingKitError<'AUTHENTICATION_FAILED', AuthenticationContext> {
  override name = 'AuthenticationError';

  constructor(reason: AuthenticationContext['reason']) {
    super(
      'AUTHENTICATION_FAILED',
      'A valid API key is required: send it as Authorization: Bearer <API key>',
      { reason },
    );
  }
}

/**
 * Tells whether `error` is an {@link AuthenticationError}.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare const logger: Logger;
 * // ---cut---
 * if (isAuthenticationError(error)) logger.warn({ reason: error.context.reason }, 'API key refused');
 * ```
 */
export const isAuthenticationError = errorGuard<AuthenticationError>(
  'AuthenticationError',
  'AUTHENTICATION_FAILED',
);
