import { describe, expect, it } from 'vitest';
import { BrokenCircuitError, BulkheadRejectedError, TimeoutError } from './errors.js';
import { headerValue, httpResponseOf, isFailureResponse, isServiceFault, isTransientError } from './http.js';

const kyLike = (status: number, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`Request failed with status code ${status}`), {
    name: 'HTTPError',
    response: new Response(null, { status, headers }),
  });

describe('http classification', () => {
  it('finds the response on ky-style errors and status fields on hand-written ones', () => {
    expect(httpResponseOf(kyLike(503))?.status).toBe(503);
    expect(httpResponseOf({ statusCode: 429, headers: { 'Retry-After': '1' } })).toEqual({
      status: 429,
      headers: { 'Retry-After': '1' },
    });
    expect(httpResponseOf({ status: 'broken' })).toBeUndefined();
    expect(httpResponseOf({ status: 42 })).toBeUndefined();
    expect(httpResponseOf(null)).toBeUndefined();
  });

  it('reads headers case-insensitively from Headers and from plain objects', () => {
    expect(headerValue(new Headers({ 'Retry-After': '5' }), 'retry-after')).toBe('5');
    expect(headerValue({ 'RETRY-AFTER': ['7', '8'] }, 'retry-after')).toBe('7');
    expect(headerValue({ other: '1' }, 'retry-after')).toBeUndefined();
    expect(headerValue(undefined, 'retry-after')).toBeUndefined();
  });

  it("treats 4xx other than 408 and 429 as the caller's fault", () => {
    expect([400, 401, 403, 404, 409, 422].map((s) => isServiceFault(kyLike(s)))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect([408, 429, 500, 503].map((s) => isServiceFault(kyLike(s)))).toEqual([true, true, true, true]);
    expect(isServiceFault(new Error('socket hang up'))).toBe(true);
  });

  it('counts a fetch Response with 5xx, 408 or 429 as a failed result, and nothing else', () => {
    expect(isFailureResponse(new Response(null, { status: 502 }))).toBe(true);
    expect(isFailureResponse(new Response(null, { status: 429 }))).toBe(true);
    expect(isFailureResponse(new Response(null, { status: 404 }))).toBe(false);
    expect(isFailureResponse({ status: 500 })).toBe(false);
  });

  it('classifies network failures, timeouts and 408/429/5xx as transient, and everything else not', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const fetchFailed = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect'), { code: 'UND_ERR_CONNECT_TIMEOUT' }),
    });
    expect(isTransientError(reset)).toBe(true);
    expect(isTransientError(fetchFailed)).toBe(true);
    expect(isTransientError(new Error('wrapped', { cause: reset }))).toBe(true);
    expect(isTransientError(new TimeoutError({ timeoutMs: 10 }))).toBe(true);
    expect(isTransientError(new DOMException('signal timed out', 'TimeoutError'))).toBe(true);
    expect([408, 429, 500, 502, 503, 504].every((s) => isTransientError(kyLike(s)))).toBe(true);
    expect([400, 404, 501].some((s) => isTransientError(kyLike(s)))).toBe(false);
    expect(isTransientError(new TypeError('x is not a function'))).toBe(false);
    expect(
      isTransientError(
        new BrokenCircuitError({ breaker: 'b', state: 'open', retryAt: 1, retryAfterMs: 1, reason: null }),
      ),
    ).toBe(false);
    expect(isTransientError(new BulkheadRejectedError({ maxConcurrent: 1, maxQueue: 0 }))).toBe(false);
    expect(isTransientError('string')).toBe(false);
  });
});
