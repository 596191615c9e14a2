import type { TimeRange } from '../../domain/time-range.js';
import {
  CalendarOutsideBookingHoursError,
  CalendarRequestRejectedError,
  CalendarSlotUnavailableError,
  isCalendarRequestRejectedError,
} from '../../booking/errors.js';
import { parseRetryAfter, rateLimitResetHeader } from '../../resilience/retry-after.js';
import { CalcomAuthError, CalcomRateLimitedError, CalcomUnavailableError } from './errors.js';

/** What the client knows about a failed call when it maps the answer to an error. @internal */
export interface FailedCall {
  readonly tenantId: string;
  /** Method and path template, e.g. `POST /v2/bookings`. */
  readonly endpoint: string;
  /** The client operation, e.g. `createBooking` (the `operation` of a refusal). */
  readonly operation: string;
  /** The booking asked for, for the errors that refuse a time (create, reschedule, reserve). */
  readonly slot?: { readonly eventTypeId: string; readonly requested: TimeRange } | undefined;
}

/** Cal.com's answers to a time another booking (or reservation, or the last seat) already holds. */
const SLOT_TAKEN = [
  /already has booking at this time or is not available/i,
  /no_available_users_found_error/,
  /hosts_unavailable_for_booking/,
  /no more seats left/i,
  /booking_conflict_error/,
  /already reserved by another user/i,
  /if the event is already booked/i,
  /someone else reserved this booking time slot/i,
];
/** The event type takes no bookings then: too soon (minimum notice) or beyond its window. */
const OUT_OF_BOUNDS = [/booking_time_out_of_bounds_error/, /can't be booked at the "start" time provided/i];
const IN_THE_PAST = /attempting to book a meeting in the past/i;
const ALREADY_CANCELLED = [/has been cancelled already/i, /has already been cancelled/i];
const ALREADY_ENDED = /cannot cancel a booking that has already ended/i;

/**
 * The message of a Cal.com error body: the envelope's `error.message`, NestJS's raw `message`
 * (a string or a list), or the start of a text body.
 *
 * @internal
 */
export function errorMessageOf(body: unknown, text: string): string {
  if (typeof body === 'object' && body !== null) {
    const { error, message } = body as { error?: unknown; message?: unknown };
    const inner =
      typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : error;
    for (const candidate of [inner, message]) {
      if (typeof candidate === 'string' && candidate !== '') return candidate;
      if (Array.isArray(candidate) && candidate.every((m) => typeof m === 'string'))
        return candidate.join('; ');
    }
  }
  return text.trim() === '' ? 'no detail' : text.trim();
}

/**
 * How long a 429 asks to wait, in ms: `Retry-After`, else the largest `X-RateLimit-Reset-*`
 * (Cal.com suffixes the limit's name, `-Default` for the standard one; seconds, or epoch seconds
 * when at least 1e9), else `fallbackMs`.
 *
 * @internal
 */
export function rateLimitWaitMs(headers: Headers, now: number, fallbackMs: number): number {
  const retryAfter = headers.get('retry-after');
  const fromRetryAfter = retryAfter === null ? undefined : parseRetryAfter(retryAfter, now);
  if (fromRetryAfter !== undefined) return fromRetryAfter;
  const names: string[] = [];
  headers.forEach((_value, name) => {
    if (name.toLowerCase().startsWith('x-ratelimit-reset')) names.push(name);
  });
  let wait: number | undefined;
  for (const name of names) {
    const ms = rateLimitResetHeader({ headers: [name] })({ response: { status: 429, headers } }, now);
    if (ms !== undefined) wait = Math.max(wait ?? 0, ms);
  }
  return wait ?? fallbackMs;
}

/**
 * Maps a Cal.com error answer to the error callers branch on: the port's refusals
 * (`CalendarSlotUnavailableError`, `CalendarOutsideBookingHoursError`,
 * `CalendarRequestRejectedError`) where they fit, and Cal.com's own errors for credentials (401,
 * 498), rate limits (429) and failures on Cal.com's side (5xx, 408).
 *
 * @internal
 */
export function mapErrorResponse(
  call: FailedCall,
  response: { readonly status: number; readonly headers: Headers },
  body: unknown,
  text: string,
  now: number,
  inDoubt: boolean,
): Error {
  const { status } = response;
  const message = errorMessageOf(body, text);
  const detail = message.slice(0, 200);
  const { tenantId, endpoint, operation, slot } = call;
  const cause = new Error(`HTTP ${status}: ${detail}`);
  if (status === 401 || status === 498)
    return new CalcomAuthError({ tenantId, endpoint, status, detail }, { cause });
  if (status === 429) {
    const retryAfterMs = rateLimitWaitMs(response.headers, now, 60_000);
    return new CalcomRateLimitedError(
      {
        tenantId,
        endpoint,
        source: 'server',
        retryAfterMs,
        resetAt: new Date(now + retryAfterMs).toISOString(),
      },
      { cause },
    );
  }
  if (status === 408 || status >= 500)
    return new CalcomUnavailableError(
      { tenantId, endpoint, reason: 'server_error', status, inDoubt },
      { cause },
    );
  if (slot !== undefined && (status === 400 || status === 409 || status === 422)) {
    if (SLOT_TAKEN.some((pattern) => pattern.test(message)))
      return new CalendarSlotUnavailableError({ tenantId, ...slot }, { cause });
    if (status === 400 && OUT_OF_BOUNDS.some((pattern) => pattern.test(message)))
      return new CalendarOutsideBookingHoursError({ tenantId, ...slot, reason: 'closed' }, { cause });
    if (status === 400 && IN_THE_PAST.test(message))
      return new CalendarOutsideBookingHoursError({ tenantId, ...slot, reason: 'too_soon' }, { cause });
  }
  const reason = status === 404 || status === 410 ? 'not_found' : 'invalid_request';
  return new CalendarRequestRejectedError({ tenantId, operation, reason, status, detail }, { cause });
}

/**
 * Whether Cal.com refused a cancel because the booking is cancelled already (HTTP 400), which a
 * caller that wants the booking cancelled may count as success.
 *
 * @example
 * ```ts
 * declare const calcom: CalcomClient;
 * declare const uid: string;
 * // ---cut---
 * try {
 *   await calcom.bookings.cancel('tenant-a', uid, { cancellationReason: 'Customer called to cancel' });
 * } catch (error) {
 *   if (!isCalcomAlreadyCancelled(error)) throw error;
 * }
 * ```
 */
export function isCalcomAlreadyCancelled(error: unknown): boolean {
  return (
    isCalendarRequestRejectedError(error) &&
    error.context.status === 400 &&
    ALREADY_CANCELLED.some((pattern) => pattern.test(error.context.detail))
  );
}

/**
 * Whether Cal.com refused a cancel because the booking has already ended (HTTP 400): a
 * permanent refusal, never worth another attempt.
 *
 * @example
 * ```ts
 * declare const error: unknown;
 * declare function tellOperator(message: string): void;
 * // ---cut---
 * if (isCalcomBookingEnded(error)) tellOperator('The appointment is over; it can no longer be cancelled.');
 * ```
 */
export function isCalcomBookingEnded(error: unknown): boolean {
  return (
    isCalendarRequestRejectedError(error) &&
    error.context.status === 400 &&
    ALREADY_ENDED.test(error.context.detail)
  );
}
