import { parseRetryAfter } from '../../resilience/retry-after.js';
import { RetellApiError, RetellAuthError, RetellRateLimitedError, RetellUnavailableError } from './errors.js';

/**
 * The message of a Retell error body, `{ "status": "error", "message": "<text>" }` (retell.md §5,
 * "Error shape"), or the start of a text body.
 *
 * @internal
 */
export function errorMessageOf(body: unknown, text: string): string {
  if (typeof body === 'object' && body !== null) {
    const { message } = body as { message?: unknown };
    if (typeof message === 'string' && message !== '') return message;
  }
  const trimmed = text.trim();
  return trimmed === '' ? 'no detail' : trimmed;
}

/**
 * How long a 429 asks to wait, in ms: `retry-after-ms`, else `Retry-After` (seconds or an HTTP
 * date), the headers Retell's own client obeys (retell.md §5, "Official client behaviour"); `null`
 * when neither is there or readable.
 *
 * @internal
 */
export function retryAfterMsOf(headers: Headers, now: number): number | null {
  const ms = headers.get('retry-after-ms')?.trim();
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.round(Number(ms));
  const value = headers.get('retry-after');
  return (value === null ? undefined : parseRetryAfter(value, now)) ?? null;
}

/**
 * Maps a Retell error answer to a typed error: 401/403 {@link RetellAuthError}, 429
 * {@link RetellRateLimitedError}, 5xx and 408 {@link RetellUnavailableError}, any other status
 * {@link RetellApiError}.
 *
 * @param inDoubt - whether the request may have taken effect when Retell failed on its side (a create).
 * @internal
 */
export function mapErrorResponse(
  endpoint: string,
  response: { readonly status: number; readonly headers: Headers },
  body: unknown,
  text: string,
  now: number,
  inDoubt: boolean,
): Error {
  const { status } = response;
  const detail = errorMessageOf(body, text).slice(0, 200);
  const cause = new Error(`HTTP ${status}: ${detail}`);
  if (status === 401 || status === 403) return new RetellAuthError({ endpoint, status, detail }, { cause });
  if (status === 429) {
    const retryAfterMs = retryAfterMsOf(response.headers, now);
    const retryAt = retryAfterMs === null ? null : new Date(now + retryAfterMs).toISOString();
    return new RetellRateLimitedError({ endpoint, retryAfterMs, retryAt }, { cause });
  }
  if (status === 408 || status >= 500)
    return new RetellUnavailableError({ endpoint, reason: 'server_error', status, inDoubt }, { cause });
  return new RetellApiError({ endpoint, status, detail }, { cause });
}
