import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { toValidationIssues, type ValidationIssue } from '../../errors/validation-error.js';
import { isTransientError } from '../../resilience/http.js';
import { retry } from '../../resilience/retry.js';
import type { Policy, RetryContext } from '../../resilience/policy.js';
import { abortReason, throwIfAborted } from '../../util/abort.js';
import { versionOf, type CalcomEndpointGroup } from './api-versions.js';
import type { NormalizedClientOptions } from './client-options.js';
import { mapErrorResponse, type FailedCall } from './error-mapping.js';
import { httpCall } from '../../util/http-call.js';
import {
  CalcomAuthError,
  CalcomRateLimitedError,
  CalcomResponseError,
  CalcomUnavailableError,
  isCalcomRateLimitedError,
} from './errors.js';
import { acquirePermit } from './rate-limiter.js';

/** A query value; `undefined` leaves the parameter out, a list is sent comma-separated. */
export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;

/** One request to Cal.com. @internal */
export interface CalcomRequest<S extends z.ZodType> extends FailedCall {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The path sent, uids filled in (`endpoint` keeps the template). */
  readonly path: string;
  readonly group: CalcomEndpointGroup;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly body?: unknown;
  /** Shape of a successful answer's whole body. */
  readonly schema: S;
  readonly signal?: AbortSignal | undefined;
}

/** Sends requests to Cal.com for any tenant. @internal */
export interface Transport {
  send<S extends z.ZodType>(request: CalcomRequest<S>): Promise<z.output<S>>;
}

/** The rate-limit key of an API key: a hash, so no key is ever stored or sent to Redis. */
function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex').slice(0, 32);
}

/** The query string of `query`, `?` included; empty when no parameter is set. */
function queryStringOf(query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The JSON of a body, or `undefined` for an empty or non-JSON one (blank text does not parse either). */
function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The transport of {@link createCalcomClient}: credentials per tenant, the rate limiter, headers
 * per endpoint group, error mapping, response validation, and retries of reads only.
 *
 * @internal
 */
export function createTransport(options: NormalizedClientOptions): Transport {
  const { credentials, clock, rateLimiter, versions } = options;
  // Hashes of the API keys this client used lately, so a request does not hash its key again.
  const limiterKeys = new Map<string, string>();
  const limiterKeyOf = (apiKey: string): string => {
    let key = limiterKeys.get(apiKey);
    if (key === undefined) {
      key = hashApiKey(apiKey);
      if (limiterKeys.size >= 10_000) limiterKeys.clear();
      limiterKeys.set(apiKey, key);
    }
    return key;
  };
  const httpOptions = { fetch: options.fetch, timeoutMs: options.timeoutMs, service: 'Cal.com' };
  const reads: Policy<RetryContext> = retry({
    maxAttempts: options.retry.maxAttempts,
    backoff: options.retry.backoff,
    maxRetryAfterMs: options.retry.maxRetryAfterMs,
    clock,
    // The limiter already waited as long as allowed: a refusal of its own is not retried.
    isTransient: (error) =>
      isCalcomRateLimitedError(error) ? error.context.source === 'server' : isTransientError(error),
    retryAfter: [(error) => (isCalcomRateLimitedError(error) ? error.context.retryAfterMs : undefined)],
  });

  const once = async <S extends z.ZodType>(
    request: CalcomRequest<S>,
    apiKey: string,
    baseUrl: string,
    signal: AbortSignal | undefined,
  ): Promise<z.output<S>> => {
    const { tenantId, endpoint, method } = request;
    const limiterKey = rateLimiter ? limiterKeyOf(apiKey) : '';
    if (rateLimiter) {
      await acquirePermit(rateLimiter, limiterKey, {
        clock,
        maxWaitMs: options.rateLimitMaxWaitMs,
        signal,
        onRefused: (retryAfterMs) =>
          new CalcomRateLimitedError({
            tenantId,
            endpoint,
            source: 'client',
            retryAfterMs,
            resetAt: new Date(clock.now() + retryAfterMs).toISOString(),
          }),
        onUnavailable: (error) =>
          options.logger.warn(
            { err: error, tenantId, endpoint },
            'Cal.com rate limiter unavailable; request sent without a permit',
          ),
      });
    }
    const version = versionOf(request.group, versions);
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
    if (version !== null) headers['cal-api-version'] = version;
    const inDoubt = method !== 'GET';
    let response: Response;
    let text: string;
    try {
      ({ response, text } = await httpCall(
        {
          method,
          url: `${baseUrl}${request.path}${queryStringOf(request.query)}`,
          headers,
          json: request.body,
          signal,
        },
        httpOptions,
      ));
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      const reason = (error as { name?: unknown })?.name === 'TimeoutError' ? 'timeout' : 'network';
      // No answer at all is always worth another attempt, whatever an injected fetch threw; the
      // cause is made recognisable (as undici's `fetch failed`) when it is not already.
      const cause = isTransientError(error) ? error : new TypeError('fetch failed', { cause: error });
      throw new CalcomUnavailableError({ tenantId, endpoint, reason, status: null, inDoubt }, { cause });
    }
    const body = parseJson(text);
    if (!response.ok) {
      const error = mapErrorResponse(request, response, body, text, clock.now(), inDoubt);
      if (error instanceof CalcomAuthError) credentials.invalidate(tenantId);
      if (rateLimiter && error instanceof CalcomRateLimitedError) {
        // Best effort: the caller must see the 429 even if the limiter's store cannot be reached.
        await rateLimiter.pause(limiterKey, error.context.retryAfterMs, { signal }).catch(() => undefined);
      }
      throw error;
    }
    const parsed = request.schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issues: ValidationIssue[] =
      body === undefined
        ? [{ path: '', message: `expected a JSON body, got ${text.trim() === '' ? 'none' : 'text'}` }]
        : toValidationIssues(parsed.error.issues);
    throw new CalcomResponseError(
      { tenantId, endpoint, status: response.status, apiVersion: version, issues },
      { cause: parsed.error },
    );
  };

  return {
    async send(request) {
      throwIfAborted(request.signal);
      const { apiKey, baseUrl } = await credentials.resolve(request.tenantId, { signal: request.signal });
      const root = baseUrl === undefined ? options.baseUrl : baseUrl.replace(/\/+$/, '');
      const { signal } = request;
      if (request.method !== 'GET') return once(request, apiKey, root, signal);
      // A read's first attempt runs outside the retry policy, which is entered only after a
      // failure and is handed that failure as its own first attempt's: the waits and attempts are
      // the policy's, and a read answered at once costs none of its machinery.
      let failure: unknown;
      try {
        return await once(request, apiKey, root, signal);
      } catch (error) {
        failure = error;
      }
      return reads.execute(
        ({ attempt }) => (attempt === 1 ? Promise.reject(failure) : once(request, apiKey, root, signal)),
        { signal },
      );
    },
  };
}
