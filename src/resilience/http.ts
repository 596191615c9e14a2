/**
 * Response headers as `fetch` gives them (`Headers`) or as a plain object (Node's `http`, axios);
 * names are matched case-insensitively.
 */
export type HeadersLike =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | number | undefined>>;

/** The parts of an HTTP response that classification and `Retry-After` handling read. */
export interface HttpResponseLike {
  readonly status: number;
  readonly headers?: HeadersLike | undefined;
}

/**
 * An error that carries an HTTP response: either as `response` (ky's `HTTPError`, ofetch, axios)
 * or as its own `status`/`statusCode` and `headers` (many hand-written clients).
 */
export interface HttpErrorLike {
  readonly response?: HttpResponseLike;
  readonly status?: number;
  readonly statusCode?: number;
  readonly headers?: HeadersLike;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;
const isStatus = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599;

/**
 * The HTTP response an error (or a result) carries, if any: `value.response`, else `value` itself
 * when it has a `status` (or `statusCode`) from 100 to 599.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * // ---cut---
 * const response = httpResponseOf(error); // ky HTTPError -> error.response
 * const notFound = response?.status === 404;
 * ```
 */
export function httpResponseOf(value: unknown): HttpResponseLike | undefined {
  if (!isObject(value)) return undefined;
  const { response } = value;
  if (isObject(response) && isStatus(response.status)) return response as unknown as HttpResponseLike;
  const status = isStatus(value.status)
    ? value.status
    : isStatus(value.statusCode)
      ? value.statusCode
      : undefined;
  if (status === undefined) return undefined;
  return { status, headers: isObject(value.headers) ? (value.headers as HeadersLike) : undefined };
}

/**
 * Reads one header, case-insensitively, from `Headers` or a plain object (the first value of an
 * array).
 *
 * @example
 * ```ts
 * declare const response: Response;
 * // ---cut---
 * headerValue(response.headers, 'retry-after'); // '120'
 * ```
 */
export function headerValue(headers: HeadersLike | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (typeof headers.get === 'function') return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    const first: unknown = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' || typeof first === 'number' ? String(first) : undefined;
  }
  return undefined;
}

/**
 * Whether an error is the called service's fault, so it counts against a circuit breaker. An
 * HTTP 4xx other than 408 (timeout) and 429 (rate limited) is the caller's mistake and does not
 * count; every other error does.
 *
 * @example
 * ```ts
 * isServiceFault({ response: new Response(null, { status: 404 }) }); // false (ky's HTTPError has this shape)
 * isServiceFault({ status: 503 }); // true
 * ```
 */
export function isServiceFault(error: unknown): boolean {
  const status = httpResponseOf(error)?.status;
  if (status === undefined || status < 400 || status >= 500) return true;
  return status === 408 || status === 429;
}

const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Whether a fetch `Response` (or any `Response` instance) says the service failed: 5xx, 408 or
 * 429. The circuit breaker's default result classification, for clients that resolve rather than
 * throw on an error status.
 *
 * @example
 * ```ts
 * declare const url: string;
 * // ---cut---
 * const breaker = circuitBreaker({ isFailureResult: isFailureResponse });
 * await breaker.execute(({ signal }) => fetch(url, { signal })); // a 503 counts as a failure
 * ```
 */
export function isFailureResponse(result: unknown): boolean {
  if (typeof result !== 'object' || result === null) return false;
  // Node defines `Response` as a lazy global getter; look it up once, not on every call.
  responseClass ??= typeof Response === 'undefined' ? null : Response;
  if (responseClass === null || !(result instanceof responseClass)) return false;
  const { status } = result;
  return status >= 500 || status === 408 || status === 429;
}

let responseClass: typeof Response | null | undefined;

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const NETWORK_MESSAGES = [
  'fetch failed',
  'failed to fetch',
  'networkerror',
  'network request failed',
  'load failed',
];

/**
 * Whether an error is worth retrying: a network failure (connection reset or refused, DNS
 * failure, `fetch failed`), a timeout (`TimeoutError`, from {@link timeout}, ky or
 * `AbortSignal.timeout`), or an HTTP 408, 429, 500, 502, 503 or 504. Anything else (other 4xx,
 * validation errors, bugs, an open circuit, a full bulkhead) is not: retrying cannot help.
 *
 * @example
 * ```ts
 * declare function isMyFlakyError(error: unknown): boolean;
 * // ---cut---
 * const policy = retry({ isTransient: (error) => isTransientError(error) || isMyFlakyError(error) });
 * ```
 */
export function isTransientError(error: unknown): boolean {
  for (
    let current: unknown = error, depth = 0;
    isObject(current) && depth < 5;
    current = current.cause, depth += 1
  ) {
    const response = httpResponseOf(current);
    if (response) return TRANSIENT_STATUSES.has(response.status);
    if (current.name === 'BrokenCircuitError' || current.name === 'BulkheadRejectedError') return false;
    if (current.name === 'TimeoutError') return true;
    if (typeof current.code === 'string' && NETWORK_CODES.has(current.code)) return true;
    const message = typeof current.message === 'string' ? current.message.toLowerCase() : '';
    if (current instanceof TypeError && NETWORK_MESSAGES.some((m) => message.startsWith(m))) return true;
  }
  return false;
}
