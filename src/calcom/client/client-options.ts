import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import { exponentialBackoff, type Backoff } from '../../resilience/backoff.js';
import { resolveReadRetry } from '../../resilience/read-retry-options.js';
import { normalizeBaseUrl } from '../../util/base-url.js';
import { checkClockOption, hasMethods, numberOption, requireOption } from '../../util/options.js';
import { resolveApiVersions, type CalcomApiVersions } from './api-versions.js';
import {
  createCalcomCredentialsResolver,
  type CalcomCredentialsLookup,
  type CalcomCredentialsResolver,
} from './credentials.js';
import { createMemoryRateLimiter, type RateLimiter } from './rate-limiter.js';

/** How the client retries reads (GET); writes are never retried (decision 0007). */
export interface CalcomReadRetryOptions {
  /** Most attempts of a read in all, the first included; `1` turns retries off. @default 3 */
  readonly maxAttempts?: number;
  /** Waits between attempts after a 5xx, a network failure or a timeout. @default exponentialBackoff({ initialDelayMs: 250, maxDelayMs: 5_000 }) */
  readonly backoff?: Backoff;
  /** A 429 whose reset is further away than this is not waited for: the error is thrown. @default 60_000 */
  readonly maxRetryAfterMs?: number;
}

/** Options of {@link createCalcomClient}. */
export interface CalcomClientOptions {
  /**
   * Each tenant's Cal.com credentials: a {@link CalcomCredentialsResolver}, or a lookup function,
   * which the client wraps in {@link createCalcomCredentialsResolver} with its defaults.
   */
  readonly credentials: CalcomCredentialsResolver | CalcomCredentialsLookup;
  /** API root for tenants whose credentials name none; paths start with `/v2`. @default 'https://api.cal.com' */
  readonly baseUrl?: string;
  /** `cal-api-version` per endpoint group. @default { bookings: '2026-02-25', slots: '2024-09-04', eventTypes: '2024-06-14' } */
  readonly versions?: CalcomApiVersions;
  /** The `fetch` to send requests with (a test double, a proxy-aware fetch). @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Time limit of one request, its answer's body included, in ms; `0` for none (the caller's signal still applies). @default 10_000 */
  readonly timeoutMs?: number;
  /** Retries of reads. @default { maxAttempts: 3 } */
  readonly retry?: CalcomReadRetryOptions;
  /**
   * Keeps each API key under Cal.com's limit; `false` sends without counting (e.g. when a proxy
   * limits). Share one Redis limiter across instances that share keys.
   * @default createMemoryRateLimiter() (120 requests a minute per key)
   */
  readonly rateLimiter?: RateLimiter | false;
  /** The longest a request waits for a permit before it fails with `CalcomRateLimitedError`. @default 60_000 */
  readonly rateLimitMaxWaitMs?: number;
  /** Time source for waits and reset times. @default systemClock */
  readonly clock?: Clock;
  /**
   * Where the client reports what it works around: a rate limiter that cannot be asked (its store
   * is down), whose requests are then sent uncounted. @default silentLogger
   */
  readonly logger?: Logger;
}

/** The options with defaults applied. @internal */
export interface NormalizedClientOptions {
  readonly credentials: CalcomCredentialsResolver;
  readonly baseUrl: string;
  readonly versions: Required<CalcomApiVersions>;
  readonly fetch: typeof fetch | undefined;
  readonly timeoutMs: number;
  readonly retry: Required<CalcomReadRetryOptions>;
  readonly rateLimiter: RateLimiter | null;
  readonly rateLimitMaxWaitMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

const FACTORY = 'createCalcomClient';

/**
 * Checks every option of {@link createCalcomClient} eagerly and fills in the defaults.
 *
 * @internal
 */
export function normalizeClientOptions(options: CalcomClientOptions): NormalizedClientOptions {
  const details = { factory: FACTORY };
  const given = requireOption(
    FACTORY,
    options,
    'credentials',
    'a CalcomCredentialsResolver or a function (tenantId) => Promise<{ apiKey, webhookSecret, baseUrl? }>',
    (value) => typeof value === 'function' || hasMethods('resolve', 'invalidate')(value),
  );
  const credentials =
    typeof given === 'function' ? createCalcomCredentialsResolver({ lookup: given }) : given;
  if (options.fetch !== undefined && typeof options.fetch !== 'function')
    throw new InvalidOptionError('fetch', options.fetch, 'a fetch function', details);
  if (
    options.rateLimiter !== undefined &&
    options.rateLimiter !== false &&
    !hasMethods('take', 'pause')(options.rateLimiter)
  )
    throw new InvalidOptionError(
      'rateLimiter',
      options.rateLimiter,
      'a RateLimiter (take, pause) or false',
      details,
    );
  checkClockOption(options.clock, details);
  const clock = options.clock ?? systemClock;
  return {
    credentials,
    baseUrl:
      options.baseUrl === undefined
        ? 'https://api.cal.com'
        : normalizeBaseUrl(options.baseUrl, 'baseUrl', FACTORY, 'https://api.cal.com'),
    versions: resolveApiVersions(options.versions, FACTORY),
    fetch: options.fetch,
    timeoutMs: numberOption(
      'timeoutMs',
      options.timeoutMs,
      10_000,
      { integer: true, max: 2_147_483_647 },
      details,
    ),
    retry: resolveReadRetry(
      options.retry,
      exponentialBackoff({ initialDelayMs: 250, maxDelayMs: 5_000 }),
      details,
    ),
    rateLimiter:
      options.rateLimiter === false ? null : (options.rateLimiter ?? createMemoryRateLimiter({ clock })),
    rateLimitMaxWaitMs: numberOption(
      'rateLimitMaxWaitMs',
      options.rateLimitMaxWaitMs,
      60_000,
      { max: 3_600_000 },
      details,
    ),
    clock,
    logger: options.logger ?? silentLogger,
  };
}
