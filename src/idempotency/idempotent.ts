import { IdempotencyInProgressError, IdempotencyMismatchError } from './errors.js';
import { sleep, systemClock, type Clock } from '../ports/clock.js';
import type {
  IdempotencyBeginOptions,
  IdempotencyBeginResult,
  IdempotencyStore,
  IdempotencyValue,
} from './idempotency-store.js';
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
 * (if the release fails too, as when the store is down, it is tried again in the background with
 * backoff until it succeeds or the claim frees itself after `lockTtlMs`). A duplicate that
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
  const run = resolveRun(options);
  const { scope, signal, now } = run;
  return run.loop<T>(
    () => store.begin(scope, run.beginOptions(now())),
    async ({ token, lockExpiresAt }) => {
      let value: T;
      try {
        value = await fn({ signal, lockExpiresAt });
        await store.complete(scope, { token, result: value, now: now(), signal });
      } catch (error) {
        // Not under the caller's signal: an aborted run must still free the key for a retry.
        await releaseClaim(store, scope, token, lockExpiresAt, run.clock);
        throw error;
      }
      return value;
    },
  );
}

/** The options of one idempotent run, checked, and the loop that answers duplicates. @internal */
export interface IdempotentRun {
  readonly scope: { readonly tenantId: string; readonly key: string };
  readonly signal: AbortSignal | undefined;
  readonly now: () => number;
  readonly clock: Clock;
  beginOptions(now: number): IdempotencyBeginOptions;
  /**
   * Claims with `begin` until the key is this caller's (`run` then runs and answers), its result
   * is replayed, or it is refused; a key in progress is polled for up to `waitMs`.
   */
  loop<T>(
    begin: () => Promise<IdempotencyBeginResult>,
    run: (claim: { readonly token: string; readonly lockExpiresAt: number }) => Promise<T>,
  ): Promise<IdempotentOutcome<T>>;
  /**
   * Answers a claim that found the key taken, polled at `polledAt`: the stored result replayed,
   * or `retry` once it is worth claiming again (after a wait).
   * @throws {@link IdempotencyMismatchError}, or {@link IdempotencyInProgressError} after `waitMs`.
   */
  settle(
    answer: Exclude<IdempotencyBeginResult, { status: 'new' }>,
    polledAt: number,
  ): Promise<IdempotentOutcome<never> | 'retry'>;
}

/** Checks `options` and builds the run. @internal */
export function resolveRun(options: IdempotentOptions): IdempotentRun {
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
  return {
    scope,
    signal,
    now,
    clock,
    beginOptions: (at) => ({ fingerprint, ttlMs, lockTtlMs, now: at, signal }),
    async loop(begin, run) {
      for (;;) {
        throwIfAborted(signal);
        const polledAt = now();
        const answer = await begin();
        if (answer.status === 'new') return { value: await run(answer), replayed: false };
        const settled = await this.settle(answer, polledAt);
        if (settled !== 'retry') return settled;
      }
    },
    async settle(answer, polledAt) {
      switch (answer.status) {
        case 'replay':
          return { value: answer.result as never, replayed: true };
        case 'mismatch':
          throw new IdempotencyMismatchError({
            ...scope,
            fingerprint,
            storedFingerprint: answer.storedFingerprint,
          });
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
          return 'retry';
        }
      }
    },
  };
}

/** First pause before a failed release is tried again; it doubles up to {@link MAX_RELEASE_RETRY_MS}. */
const RELEASE_RETRY_MS = 250;
const MAX_RELEASE_RETRY_MS = 5_000;

/**
 * Releases a failed run's claim. When the store cannot (it is down: the failure of the run is
 * often the same outage), the release is tried again in the background until it succeeds or the
 * claim's lock runs out, so that a retry of the caller finds the key free soon after the store is
 * back rather than in flight for the rest of the lock. Never rejects.
 *
 * @internal
 */
export async function releaseClaim(
  store: IdempotencyStore,
  scope: { readonly tenantId: string; readonly key: string },
  token: string,
  lockExpiresAt: number,
  clock: Clock,
): Promise<void> {
  const attempt = () =>
    store.release(scope, { token, now: Math.floor(clock.now()) }).then(
      () => true,
      () => false,
    );
  if (await attempt()) return;
  const retry = (delay: number) => {
    if (clock.now() + delay >= lockExpiresAt) return;
    clock.setTimer(
      () => void attempt().then((released) => released || retry(Math.min(delay * 2, MAX_RELEASE_RETRY_MS))),
      delay,
      { background: true },
    );
  };
  retry(RELEASE_RETRY_MS);
}
