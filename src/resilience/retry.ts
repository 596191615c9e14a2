import * as pRetryModule from 'p-retry';
import { sleep, systemClock, type Clock } from '../ports/clock.js';
import { abortReason } from '../util/abort.js';
import { checkClockOption, checkFunctionOption, numberOption } from '../util/options.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { exponentialBackoff, type Backoff } from './backoff.js';
import { isTransientError } from './http.js';
import type { ExecuteOptions, Policy, RetryContext } from './policy.js';
import { signalOrNever } from './policy.js';
import { rateLimitResetHeader, retryAfterHeader, type RetryAfterExtractor } from './retry-after.js';

/** What {@link RetryOptions.onRetry} is told before each wait. */
export interface RetryEvent {
  /** The error of the attempt that failed. */
  readonly error: unknown;
  /** The attempt that failed (1 for the first call). */
  readonly attempt: number;
  /** How long the policy waits before the next attempt. */
  readonly delayMs: number;
  /** `server`: the wait came from `Retry-After` or a rate-limit header; `backoff`: from the backoff. */
  readonly source: 'server' | 'backoff';
}

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Most attempts in all, the first call included. @default 3 */
  readonly maxAttempts?: number;
  /** Waits between attempts when the server did not say. @default exponentialBackoff() */
  readonly backoff?: Backoff;
  /** Which errors are worth another attempt; others are thrown at once. @default isTransientError */
  readonly isTransient?: (error: unknown) => boolean;
  /**
   * Where to read a server-requested wait, tried in order; the first answer is waited exactly
   * (no jitter, no cap from the backoff).
   * @default [retryAfterHeader(), rateLimitResetHeader()]
   */
  readonly retryAfter?: readonly RetryAfterExtractor[];
  /**
   * A server-requested wait longer than this is not waited for: the error is thrown at once, so the
   * caller can decide (e.g. queue the work) instead of hanging.
   * @default 60_000
   */
  readonly maxRetryAfterMs?: number;
  /** Called before each wait; an error it throws stops the retries and is thrown. */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Time source for the waits. @default systemClock */
  readonly clock?: Clock;
}

type PRetry = typeof pRetryModule.default;

/**
 * p-retry is ESM-only. In our CJS build, `require('p-retry')` returns its namespace and the
 * bundler's interop wraps that namespace once more as `default`; unwrap it in either build.
 */
const pRetry: PRetry =
  typeof pRetryModule.default === 'function'
    ? pRetryModule.default
    : (pRetryModule.default as unknown as { default: PRetry }).default;
const { AbortError } = pRetryModule;

/** Carries a thrown non-`Error` value through p-retry unchanged. */
class ThrownValue extends Error {
  constructor(readonly value: unknown) {
    super('non-error thrown');
  }
}

/**
 * A policy that calls the function again when it fails with a transient error: exponential
 * backoff with jitter between attempts, or exactly the wait the server asked for (`Retry-After`
 * in seconds or as an HTTP date; a rate-limit reset header on a 429). Errors that are not
 * transient are thrown at once; an aborted signal stops the waiting and rejects with its reason.
 *
 * Attempts are counted by p-retry; the waits run on the policy's {@link Clock} (p-retry's own
 * timer is switched off), so a fake clock drives them in tests.
 *
 * @throws {@link InvalidOptionError} for an option out of range.
 * @example
 * ```ts
 * declare const log: Logger;
 * declare const uid: string;
 * declare const calcom: { getBooking(uid: string, options: { signal: AbortSignal }): Promise<unknown> };
 * // ---cut---
 * const policy = retry({ maxAttempts: 4, onRetry: ({ attempt, delayMs }) => log.warn({ attempt, delayMs }, 'retrying') });
 * const booking = await policy.execute(({ signal, attempt }) => calcom.getBooking(uid, { signal }));
 * ```
 */
export function retry(options: RetryOptions = {}): Policy<RetryContext> {
  const details = { factory: 'retry' };
  const maxAttempts = numberOption(
    'maxAttempts',
    options.maxAttempts,
    3,
    { integer: true, min: 1, max: 1_000 },
    details,
  );
  const maxRetryAfterMs = numberOption(
    'maxRetryAfterMs',
    options.maxRetryAfterMs,
    60_000,
    { max: 86_400_000 },
    details,
  );
  checkFunctionOption('isTransient', options.isTransient, false, details);
  checkFunctionOption('onRetry', options.onRetry, false, details);
  if (options.backoff !== undefined && typeof options.backoff?.delay !== 'function') {
    throw new InvalidOptionError(
      'backoff',
      options.backoff,
      'a Backoff (an object with a delay(n) method), e.g. exponentialBackoff()',
      details,
    );
  }
  if (
    options.retryAfter !== undefined &&
    !(Array.isArray(options.retryAfter) && options.retryAfter.every((f) => typeof f === 'function'))
  ) {
    throw new InvalidOptionError(
      'retryAfter',
      options.retryAfter,
      'an array of extractor functions, e.g. [retryAfterHeader()]',
      details,
    );
  }
  checkClockOption(options.clock, details);
  const backoff = options.backoff ?? exponentialBackoff();
  const isTransient = options.isTransient ?? isTransientError;
  const extractors: readonly RetryAfterExtractor[] = options.retryAfter ?? [
    retryAfterHeader(),
    rateLimitResetHeader(),
  ];
  const clock = options.clock ?? systemClock;
  const { onRetry } = options;

  /** How long to wait after `attempt` failed with `error`, or `undefined` to stop. */
  const plan = (error: unknown, attempt: number): RetryEvent | undefined => {
    if (!isTransient(error)) return undefined;
    const now = clock.now();
    for (const extract of extractors) {
      const requested = extract(error, now);
      if (requested === undefined || !(requested >= 0)) continue;
      return requested > maxRetryAfterMs
        ? undefined
        : { error, attempt, delayMs: requested, source: 'server' };
    }
    return { error, attempt, delayMs: Math.max(0, backoff.delay(attempt)), source: 'backoff' };
  };

  return {
    async execute<T>(
      fn: (context: RetryContext) => PromiseLike<T> | T,
      executeOptions: ExecuteOptions = {},
    ): Promise<T> {
      const { signal } = executeOptions;
      const contextSignal = signalOrNever(signal);
      try {
        return await pRetry(
          async (attempt) => {
            try {
              return await fn({ signal: contextSignal, attempt });
            } catch (error) {
              throw error instanceof Error ? error : new AbortError(new ThrownValue(error));
            }
          },
          {
            retries: maxAttempts - 1,
            // p-retry's own wait is off (its timer ignores our clock); shouldRetry waits instead.
            minTimeout: 0,
            signal,
            shouldRetry: async ({ error, attemptNumber }) => {
              if (signal?.aborted) throw abortReason(signal);
              const next = plan(error, attemptNumber);
              if (next === undefined) return false;
              onRetry?.(next);
              await sleep(clock, next.delayMs, { signal });
              return true;
            },
          },
        );
      } catch (error) {
        throw error instanceof ThrownValue ? error.value : error;
      }
    },
  };
}
