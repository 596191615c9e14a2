import { describe, expect, it } from 'vitest';
import { parseRetryAfter, rateLimitResetHeader, retryAfterHeader } from './retry-after.js';

const NOW = Date.parse('2026-01-05T09:00:00.000Z');
const error = (status: number, headers: Record<string, string>) => ({
  response: { status, headers: new Headers(headers) },
});

describe('Retry-After and rate-limit headers', () => {
  it('parses seconds and HTTP dates, and refuses anything else', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 1.5 ', NOW)).toBe(1_500);
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('Mon, 05 Jan 2026 09:02:00 GMT', NOW)).toBe(120_000);
    expect(parseRetryAfter('Mon, 05 Jan 2026 08:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('', NOW)).toBeUndefined();
  });

  it('reads Retry-After from an error of any status', () => {
    expect(retryAfterHeader()(error(503, { 'Retry-After': '3' }), NOW)).toBe(3_000);
    expect(retryAfterHeader()(error(503, {}), NOW)).toBeUndefined();
    expect(retryAfterHeader()(new Error('no response'), NOW)).toBeUndefined();
  });

  it('reads reset headers as seconds to wait or epoch seconds, on 429 only by default', () => {
    const reset = rateLimitResetHeader();
    expect(reset(error(429, { 'X-RateLimit-Reset-Default': '42' }), NOW)).toBe(42_000);
    expect(reset(error(429, { 'X-RateLimit-Reset': String(NOW / 1_000 + 9) }), NOW)).toBe(9_000);
    expect(reset(error(429, { 'X-RateLimit-Reset': String(NOW / 1_000 - 9) }), NOW)).toBe(0);
    expect(reset(error(503, { 'X-RateLimit-Reset-Default': '42' }), NOW)).toBeUndefined();
    expect(reset(error(429, { 'X-RateLimit-Reset-Default': 'later' }), NOW)).toBeUndefined();
    expect(
      rateLimitResetHeader({ unit: 'seconds', statuses: [429, 503] })(
        error(503, { 'ratelimit-reset': '2000000000' }),
        NOW,
      ),
    ).toBe(2_000_000_000_000);
  });
});
