import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { exponentialBackoff, type Backoff } from '../../resilience/backoff.js';
import type { Policy } from '../../resilience/policy.js';
import { resolveReadRetry } from '../../resilience/read-retry-options.js';
import { normalizeBaseUrl } from '../../util/base-url.js';
import { checkClockOption, hasMethods, numberOption, requireOption } from '../../util/options.js';

/** How the client retries reads (`getCall`, each page of `listCalls`); `createPhoneCall` never is. */
export interface RetellReadRetryOptions {
  /** Most attempts of a read in all, the first included; `1` turns retries off. @default 3 */
  readonly maxAttempts?: number;
  /**
   * Waits between attempts after a 5xx, a 408, a network failure, a timeout, or a 429 that named
   * no wait.
   * @default exponentialBackoff({ initialDelayMs: 500, maxDelayMs: 8_000 })
   */
  readonly backoff?: Backoff;
  /** A 429 asking for a longer wait than this is not waited for: the error is thrown. @default 60_000 */
  readonly maxRetryAfterMs?: number;
}

/** Options of {@link createRetellClient}. */
export interface RetellClientOptions {
  /** The workspace's API key, sent as `Authorization: Bearer <key>`. Never logged. */
  readonly apiKey: string;
  /** API root. @default 'https://api.retellai.com' */
  readonly baseUrl?: string;
  /** The `fetch` to send requests with (a test double, a proxy-aware fetch). @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * Time limit of one request, its answer's body included, in ms; `0` for none (the caller's
   * signal still applies). A create that times out is in doubt.
   * @default 30_000
   */
  readonly timeoutMs?: number;
  /** Retries of reads. @default { maxAttempts: 3 } */
  readonly retry?: RetellReadRetryOptions;
  /**
   * A resilience policy every request runs under, once per attempt: a `circuitBreaker()`, a
   * `bulkhead()`, or `wrap()` of several. The client's own read retries run outside it, so a
   * breaker counts each attempt, and an open breaker (not transient) stops the retries.
   * @default none
   */
  readonly policy?: Policy;
  /** Time source for waits and `retryAt`. @default systemClock */
  readonly clock?: Clock;
}

/** The options with defaults applied. @internal */
export interface NormalizedRetellClientOptions {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly fetch: typeof fetch | undefined;
  readonly timeoutMs: number;
  readonly retry: Required<RetellReadRetryOptions>;
  readonly policy: Policy | null;
  readonly clock: Clock;
}

const FACTORY = 'createRetellClient';

/**
 * Checks every option of {@link createRetellClient} eagerly and fills in the defaults.
 *
 * @throws {@link InvalidOptionError} naming the option and the bad value.
 * @internal
 */
export function normalizeRetellClientOptions(options: RetellClientOptions): NormalizedRetellClientOptions {
  const details = { factory: FACTORY };
  const apiKey = requireOption(
    FACTORY,
    options,
    'apiKey',
    'a non-empty string, the Retell API key',
    (value) => typeof value === 'string' && value.trim() !== '',
  );
  if (options.fetch !== undefined && typeof options.fetch !== 'function')
    throw new InvalidOptionError('fetch', options.fetch, 'a fetch function', details);
  if (options.policy !== undefined && !hasMethods('execute')(options.policy))
    throw new InvalidOptionError(
      'policy',
      options.policy,
      'a Policy (an object with execute), e.g. circuitBreaker()',
      details,
    );
  checkClockOption(options.clock, details);
  return {
    apiKey,
    baseUrl:
      options.baseUrl === undefined
        ? 'https://api.retellai.com'
        : normalizeBaseUrl(options.baseUrl, 'baseUrl', FACTORY, 'https://api.retellai.com'),
    fetch: options.fetch,
    timeoutMs: numberOption(
      'timeoutMs',
      options.timeoutMs,
      30_000,
      { integer: true, max: 2_147_483_647 },
      details,
    ),
    retry: resolveReadRetry(
      options.retry,
      exponentialBackoff({ initialDelayMs: 500, maxDelayMs: 8_000 }),
      details,
    ),
    policy: options.policy ?? null,
    clock: options.clock ?? systemClock,
  };
}
