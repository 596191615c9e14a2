import { describe, expect, it } from 'vitest';
import { isServiceFault, isTransientError } from '../../resilience/http.js';
import { retryAfterHeader } from '../../resilience/retry-after.js';
import { mapErrorResponse, retryAfterMsOf } from './error-mapping.js';
import {
  isRetellApiError,
  isRetellAuthError,
  isRetellRateLimitedError,
  isRetellUnavailableError,
} from './errors.js';

const NOW = Date.parse('2026-03-02T09:00:00.000Z');
const ENDPOINT = 'GET /v2/get-call/{call_id}';

/** Maps an answer with Retell's error body `{ status: 'error', message }` (retell.md §5). */
function mapped(status: number, message: string, headers: Record<string, string> = {}, inDoubt = false) {
  const body = { status: 'error', message };
  return mapErrorResponse(
    ENDPOINT,
    { status, headers: new Headers(headers) },
    body,
    JSON.stringify(body),
    NOW,
    inDoubt,
  );
}

describe('mapErrorResponse', () => {
  it.each([401, 403])('maps %i to RetellAuthError, not transient and not a fault of Retell’s', (status) => {
    const error = mapped(status, 'API key is missing or invalid.');
    expect(isRetellAuthError(error) && [error.code, error.context]).toEqual([
      'RETELL_AUTH_FAILED',
      { endpoint: ENDPOINT, status, detail: 'API key is missing or invalid.' },
    ]);
    expect([isTransientError(error), isServiceFault(error)]).toEqual([false, false]);
  });

  it.each([
    [400, 'Invalid request format, please check API reference.'],
    [402, 'Trial has ended, please add payment method.'],
    [404, 'The requested resource was not found.'],
    [422, 'Cannot find requested asset under given api key.'],
    [409, 'conflict'],
  ])('maps %i to RetellApiError with the status and Retell’s message', (status, message) => {
    const error = mapped(status, message);
    expect(isRetellApiError(error) && [error.code, error.status, error.context.detail]).toEqual([
      'RETELL_REQUEST_REJECTED',
      status,
      message,
    ]);
    expect([isTransientError(error), isServiceFault(error)]).toEqual([false, false]);
  });

  it('maps 429 to RetellRateLimitedError with the wait of Retry-After and when to retry', () => {
    const error = mapped(429, 'Account rate limited, please throttle your requests.', { 'retry-after': '7' });
    expect(isRetellRateLimitedError(error) && error.context).toEqual({
      endpoint: ENDPOINT,
      retryAfterMs: 7_000,
      retryAt: '2026-03-02T09:00:07.000Z',
    });
    expect(isTransientError(error)).toBe(true);
    // The generic extractor reads it as it reads an HTTP 429.
    expect(retryAfterHeader()(error, NOW)).toBe(7_000);
  });

  it('maps a 429 without a wait to RetellRateLimitedError whose retryAt is null', () => {
    const error = mapped(429, 'Account rate limited, please throttle your requests.');
    expect(isRetellRateLimitedError(error) && [error.context.retryAfterMs, error.context.retryAt]).toEqual([
      null,
      null,
    ]);
    expect(retryAfterHeader()(error, NOW)).toBeUndefined();
  });

  it.each([500, 502, 503, 504, 408])('maps %i to RetellUnavailableError, transient', (status) => {
    const error = mapped(status, 'An unexpected server error occurred.');
    expect(isRetellUnavailableError(error) && error.context).toEqual({
      endpoint: ENDPOINT,
      reason: 'server_error',
      status,
      inDoubt: false,
    });
    expect([isTransientError(error), isServiceFault(error)]).toEqual([true, true]);
  });

  it('marks a failure of a create as in doubt, and says so', () => {
    const error = mapped(503, 'down', {}, true);
    expect(isRetellUnavailableError(error) && error.context.inDoubt).toBe(true);
    expect(error.message).toMatch(/may have taken effect/);
  });

  it('uses the start of a body that is not Retell’s error shape', () => {
    const error = mapErrorResponse(
      ENDPOINT,
      { status: 400, headers: new Headers() },
      undefined,
      ' Bad Request\n',
      NOW,
      false,
    );
    expect(isRetellApiError(error) && error.context.detail).toBe('Bad Request');
    const empty = mapErrorResponse(
      ENDPOINT,
      { status: 400, headers: new Headers() },
      undefined,
      '',
      NOW,
      false,
    );
    expect(isRetellApiError(empty) && empty.context.detail).toBe('no detail');
  });
});

describe('retryAfterMsOf', () => {
  it('reads retry-after-ms first, then Retry-After in seconds or as a date', () => {
    expect(retryAfterMsOf(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), NOW)).toBe(1_500);
    expect(retryAfterMsOf(new Headers({ 'retry-after': '2' }), NOW)).toBe(2_000);
    expect(retryAfterMsOf(new Headers({ 'retry-after': 'Mon, 02 Mar 2026 09:00:30 GMT' }), NOW)).toBe(30_000);
    expect(retryAfterMsOf(new Headers({ 'retry-after': 'soon' }), NOW)).toBeNull();
    expect(retryAfterMsOf(new Headers(), NOW)).toBeNull();
  });
});
