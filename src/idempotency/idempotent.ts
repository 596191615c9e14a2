import { IdempotencyInProgressError, IdempotencyMismatchError } from './errors.js';
import { sleep, systemClock, type Clock } from '../ports/clock.js';
import type { IdempotencyStore, IdempotencyValue } from './idempotency-store.js';
import { throwIfAborted, type OperationOptions } from '../util/abort.js';
import { checkFunctionOption, checkStringOption, numberOption } from '../util/options.js';

/** Options of {@link idempotent}. */
export interface IdempotentOptions extends OperationOptions {
  /** The tenant the key belongs to. */
  readonly tenantId: string;
  /** The idempotency key (see `IdempotencyKey` for what is allowed). */
  readonly key: string;
  /** Identifies the request, e.g. `fingerprint(body)`; the key reused with another one is refused. */
  readonly fingerprint: string;
  /** How long the key (and its result) is remembered, in ms. @default 86_400_000 (24 h) */
  readonly ttlMs?: number;
  /**
   * How long the claim is held while `fn` runs, in ms (at most `ttlMs`). Choose it above the
   * longest expected run: once it runs out, a duplicate may take the key over and run too.
   * @default 60_000
   */
  readonly lockTtlMs?: number;
  /**
   * How long to wait for another caller that holds the key, polling for its result, before
   * throwing {@link IdempotencyInProgressError}. `0` throws at once.
   * @default 0
   */
  readonly waitMs?: number;
  /** First pause between polls while waiting; it doubles after each poll. @default 50 */
  readonly pollIntervalMs?: number;
  /** Longest pause between polls while waiting. @default 1_000 */
  readonly maxPollIntervalMs?: number;
  /** Source of time for claims and waiting. @default systemClock */
  readonly clock?: Clock;
}

/** What the function run by {@link idempotent} is given. */
export interface IdempotentContext {
  /** The caller's signal, if any. */
  readonly signal: AbortSignal | undefined;
  /** When the claim can be taken over by a duplicate (epoch ms): finish before it. */
  readonly lockExpiresAt: number;
}

/** What {@link idempotent} resolves with. */
export interface IdempotentOutcome<T> {
  /** The result: fresh from `fn`, or the stored result of an earlier run (its JSON form). */
  readonly value: T;
  /** `true` when `value` is the stored result of an earlier run and `fn` did not run. */
  readonly replayed: boolean;
}

/**
 * Runs `fn` at most once per idempotency key: the first caller claims the key, runs `fn` and
 * stores its result; a later duplicate gets that result replayed without running `fn`. When
 * `fn` throws, the claim is released so that failures are never cached and a retry runs again
 * (if the release fails too, the claim frees itself after `lockTtlMs`). A duplicate that
 * arrives while the first run is still going either fails at once with
 * {@link IdempotencyInProgressError}, or, with `waitMs`, polls with backoff for the result (and
 * takes the key over if the first holder gave up or its lock ran out).
 *
 * The result must be JSON-serialisable. If the claim was taken over while `fn` ran (its lock
 * ran out), `fn`'s value is still returned to this caller but the store keeps the other run's.
 *
 * @throws {@link IdempotencyMismatchError} when the key was used for another fingerprint.
 * @throws {@link IdempotencyInProgressError} when another caller holds the key (after `waitMs`).
 * @throws {@link ValidationError} for an invalid key or tenant id, or a result with no JSON form.
 * @throws {@link InvalidOptionError} for invalid options.
 * @example
 * ```ts
 * declare const tenantId: string;
 * declare const body: { payload: unknown };
 * declare const bookings: { importFromCalcom(payload: unknown, options: OperationOptions): Promise<string> };
 * // ---cut---
 * const store = createMemoryIdempotencyStore();
 * const { value, replayed } = await idempotent(
 *   store,
 *   { tenantId, key: calcomWebhookKey(body), fingerprint: fingerprint(body.payload), waitMs: 5_000 },
 *   async ({ signal }) => bookings.importFromCalcom(body.payload, { signal }),
 * );
 * ```
 */
export async function idempotent<T extends IdempotencyValue>(
  store: IdempotencyStore,
  options: IdempotentOptions,
  fn: (context: IdempotentContext) => Promise<T> | T,
): Promise<IdempotentOutcome<T>> {
  checkFunctionOption('fn', fn, true);
  const fingerprint = checkStringOption('fingerprint', options.fingerprint, 512);
  const ttlMs = numberOption('ttlMs', options.ttlMs, 86_400_000, { min: 1, integer: true });
  const lockTtlMs = numberOption('lockTtlMs', options.lockTtlMs, 60_000, {
    min: 1,
    max: ttlMs,
    integer: true,
  });
  const waitMs = numberOption('waitMs', options.waitMs, 0, { integer: true });
  const pollIntervalMs = numberOption('pollIntervalMs', options.pollIntervalMs, 50, {
    min: 1,
    integer: true,
  });
  const maxPollIntervalMs = numberOption('maxPollIntervalMs', options.maxPollIntervalMs, 1_000, {
    min: pollIntervalMs,
    integer: true,
  });
  const { signal } = options;
  const clock = options.clock ?? systemClock;
  const scope = { tenantId: options.tenantId, key: options.key };
  const now = (): number => Math.floor(clock.now());

  const started = now();
  let delay = pollIntervalMs;
  for (;;) {
    throwIfAborted(signal);
    const polledAt = now();
    const answer = await store.begin(scope, { fingerprint, ttlMs, lockTtlMs, now: polledAt, signal });
    switch (answer.status) {
      case 'replay':
        return { value: answer.result as T, replayed: true };
      case 'mismatch':
        throw new IdempotencyMismatchError({
          ...scope,
          fingerprint,
          storedFingerprint: answer.storedFingerprint,
        });
      case 'new': {
        const { token, lockExpiresAt } = answer;
        let value: T;
        try {
          value = await fn({ signal, lockExpiresAt });
          await store.complete(scope, { token, result: value, now: now(), signal });
        } catch (error) {
          // Not under the caller's signal: an aborted run must still free the key for a retry.
          await store.release(scope, { token, now: now() }).catch(() => undefined);
          throw error;
        }
        return { value, replayed: false };
      }
      case 'in_progress': {
        const remaining = started + waitMs - now();
        if (remaining <= 0) {
          throw new IdempotencyInProgressError({
            ...scope,
            lockExpiresAt: answer.lockExpiresAt,
            waitedMs: now() - started,
          });
        }
        // Poll again no later than when the holder's lock runs out: the key can be taken over then.
        await sleep(clock, Math.min(delay, remaining, answer.lockExpiresAt - polledAt), { signal });
        delay = Math.min(delay * 2, maxPollIntervalMs);
      }
    }
  }
}
