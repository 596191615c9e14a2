import { headerValue, httpResponseOf } from './http.js';

/**
 * Reads, from a failed call's error, how long the server asked the client to wait (ms), or
 * `undefined` when it did not say. `now` is the retry policy's clock time, for absolute dates.
 *
 * @example
 * ```ts
 * const fromBody: RetryAfterExtractor = (error) => (error as { retryInMs?: number }).retryInMs;
 * const policy = retry({ retryAfter: [retryAfterHeader(), fromBody] });
 * ```
 */
export type RetryAfterExtractor = (error: unknown, now: number) => number | undefined;

/**
 * Parses a `Retry-After` value: whole or decimal seconds (`120`), or an HTTP date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`), relative to `now`. A date in the past means `0`; anything
 * else unreadable means `undefined`.
 *
 * @example
 * ```ts
 * declare const clock: Clock;
 * // ---cut---
 * parseRetryAfter('120', clock.now()); // 120_000
 * ```
 */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1_000);
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Extracts the standard `Retry-After` header (seconds or HTTP date) from an error's response, of
 * any status.
 *
 * @example
 * ```ts
 * const policy = retry({ retryAfter: [retryAfterHeader()] });
 * ```
 */
export function retryAfterHeader(): RetryAfterExtractor {
  return (error, now) => {
    const value = headerValue(httpResponseOf(error)?.headers, 'retry-after');
    return value === undefined ? undefined : parseRetryAfter(value, now);
  };
}

/** Options of {@link rateLimitResetHeader}. */
export interface RateLimitResetOptions {
  /**
   * Header names to look for, in order.
   * @default ['x-ratelimit-reset-default', 'x-ratelimit-reset', 'ratelimit-reset']
   */
  readonly headers?: readonly string[];
  /**
   * What the value means: `seconds` until the limit resets, `epoch-seconds` (the Unix time of the
   * reset), or `auto`: values of 1e9 and more are epoch seconds, smaller ones seconds to wait.
   * @default 'auto'
   */
  readonly unit?: 'seconds' | 'epoch-seconds' | 'auto';
  /** Statuses whose responses are read; the headers ride on every response. @default [429] */
  readonly statuses?: readonly number[];
}

const DEFAULT_RESET_HEADERS = ['x-ratelimit-reset-default', 'x-ratelimit-reset', 'ratelimit-reset'];

/**
 * Extracts a rate limit's reset time from its headers when a call was rate limited (429 without
 * `Retry-After`). Cal.com API v2 sends `X-RateLimit-Reset-Default` with the seconds until its
 * per-key limit (120 requests per minute) resets; GitHub-style APIs send `X-RateLimit-Reset` as
 * epoch seconds; `unit: 'auto'` reads both.
 *
 * @example
 * ```ts
 * const policy = retry({ retryAfter: [retryAfterHeader(), rateLimitResetHeader({ headers: ['x-ratelimit-reset-default'] })] });
 * ```
 */
export function rateLimitResetHeader(options: RateLimitResetOptions = {}): RetryAfterExtractor {
  const names = options.headers ?? DEFAULT_RESET_HEADERS;
  const unit = options.unit ?? 'auto';
  const statuses = new Set(options.statuses ?? [429]);
  return (error, now) => {
    const response = httpResponseOf(error);
    if (!response || !statuses.has(response.status)) return undefined;
    for (const name of names) {
      const text = headerValue(response.headers, name)?.trim();
      if (text === undefined || !/^\d+(\.\d+)?$/.test(text)) continue;
      const value = Number(text);
      const epoch = unit === 'epoch-seconds' || (unit === 'auto' && value >= 1e9);
      return epoch ? Math.max(0, Math.round(value * 1_000 - now)) : Math.round(value * 1_000);
    }
    return undefined;
  };
}
