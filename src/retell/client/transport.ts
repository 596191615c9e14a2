import type { z } from 'zod';
import { toValidationIssues, type ValidationIssue } from '../../errors/validation-error.js';
import { isTransientError } from '../../resilience/http.js';
import type { Policy, RetryContext } from '../../resilience/policy.js';
import { retry } from '../../resilience/retry.js';
import { abortReason, throwIfAborted } from '../../util/abort.js';
import type { NormalizedRetellClientOptions } from './client-options.js';
import { mapErrorResponse } from './error-mapping.js';
import { RetellResponseError, RetellUnavailableError, isRetellRateLimitedError } from './errors.js';
import { httpCall } from '../../util/http-call.js';

/** One request to Retell. @internal */
export interface RetellRequest<S extends z.ZodType> {
  readonly method: 'GET' | 'POST';
  /** The path sent, ids filled in. */
  readonly path: string;
  /** Method and path template for errors, e.g. `GET /v2/get-call/{call_id}`. */
  readonly endpoint: string;
  /**
   * Whether the request may be sent again after a transient failure: reads only. A create is
   * sent once (Retell takes no idempotency key, so another attempt could dial twice).
   */
  readonly idempotent: boolean;
  readonly body?: unknown;
  /** Shape of a successful answer's whole body. */
  readonly schema: S;
  readonly signal?: AbortSignal | undefined;
}

/** Sends requests to Retell. @internal */
export interface RetellTransport {
  send<S extends z.ZodType>(request: RetellRequest<S>): Promise<z.output<S>>;
}

/** The JSON of a body, or `undefined` for an empty or non-JSON one. */
function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The transport of {@link createRetellClient}: the bearer key, the time limit, the caller's
 * policy around each attempt, error mapping, response validation, and retries of reads only
 * (docs/decisions/0007 applies to Retell as to Cal.com: writes are never retried blindly).
 *
 * @internal
 */
export function createRetellTransport(options: NormalizedRetellClientOptions): RetellTransport {
  const { clock, policy } = options;
  const headers = { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' };
  const httpOptions = { fetch: options.fetch, timeoutMs: options.timeoutMs, service: 'Retell' };
  const reads: Policy<RetryContext> = retry({
    maxAttempts: options.retry.maxAttempts,
    backoff: options.retry.backoff,
    maxRetryAfterMs: options.retry.maxRetryAfterMs,
    clock,
    retryAfter: [
      (error) => (isRetellRateLimitedError(error) ? (error.context.retryAfterMs ?? undefined) : undefined),
    ],
  });

  const exchange = async <S extends z.ZodType>(
    request: RetellRequest<S>,
    signal: AbortSignal | undefined,
  ): Promise<z.output<S>> => {
    const { endpoint } = request;
    const inDoubt = !request.idempotent;
    let response: Response;
    let text: string;
    try {
      ({ response, text } = await httpCall(
        {
          method: request.method,
          url: `${options.baseUrl}${request.path}`,
          headers,
          json: request.body,
          signal,
        },
        httpOptions,
      ));
    } catch (error) {
      if (request.signal?.aborted) throw abortReason(request.signal);
      if (signal?.aborted && signal !== request.signal) throw abortReason(signal);
      const reason = (error as { name?: unknown })?.name === 'TimeoutError' ? 'timeout' : 'network';
      // No answer at all is worth another read, whatever an injected fetch threw; the cause is
      // made recognisable (as undici's `fetch failed`) when it is not already.
      const cause = isTransientError(error) ? error : new TypeError('fetch failed', { cause: error });
      throw new RetellUnavailableError({ endpoint, reason, status: null, inDoubt }, { cause });
    }
    const body = parseJson(text);
    if (!response.ok) throw mapErrorResponse(endpoint, response, body, text, clock.now(), inDoubt);
    const parsed = request.schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issues: ValidationIssue[] =
      body === undefined
        ? [{ path: '', message: `expected a JSON body, got ${text.trim() === '' ? 'none' : 'text'}` }]
        : toValidationIssues(parsed.error.issues);
    throw new RetellResponseError({ endpoint, status: response.status, issues }, { cause: parsed.error });
  };

  /** One attempt, under the caller's policy when there is one (its signal may cut the attempt). */
  const attempt = <S extends z.ZodType>(request: RetellRequest<S>): Promise<z.output<S>> =>
    policy === null
      ? exchange(request, request.signal)
      : policy.execute(({ signal }) => exchange(request, signal), { signal: request.signal });

  return {
    async send(request) {
      throwIfAborted(request.signal);
      if (!request.idempotent) return attempt(request);
      // A read's first attempt runs outside the retry policy, which is entered only after a
      // failure and is handed that failure as its own first attempt's (as the Cal.com client).
      let failure: unknown;
      try {
        return await attempt(request);
      } catch (error) {
        failure = error;
      }
      return reads.execute(({ attempt: n }) => (n === 1 ? Promise.reject(failure) : attempt(request)), {
        signal: request.signal,
      });
    },
  };
}
