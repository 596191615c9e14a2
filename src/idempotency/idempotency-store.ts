import type { IdempotencyScope } from './idempotency-scope.js';
import type { OperationOptions } from '../util/abort.js';

/**
 * A result an idempotency store can keep: any JSON value. Stores keep its JSON form, so a replay
 * returns what `JSON.parse(JSON.stringify(value))` would (properties set to `undefined` are
 * dropped, `NaN` and `Infinity` become `null`).
 */
export type IdempotencyValue =
  | string
  | number
  | boolean
  | null
  | readonly IdempotencyValue[]
  | { readonly [key: string]: IdempotencyValue | undefined };

/** What `begin` needs besides the scope. */
export interface IdempotencyBeginOptions extends OperationOptions {
  /**
   * Identifies the request (e.g. `fingerprint(body)`); the same key with another fingerprint is
   * answered `mismatch`. At most 512 characters.
   */
  readonly fingerprint: string;
  /** How long the key is remembered, counted from this claim, in whole ms. */
  readonly ttlMs: number;
  /**
   * How long the claim is held before another caller may take it over, in whole ms (at most
   * `ttlMs`), so a holder that crashed does not block the key for the whole TTL.
   */
  readonly lockTtlMs: number;
  /** The current time, whole epoch ms (from the caller's clock). */
  readonly now: number;
}

/**
 * The answer of `begin`:
 * - `new`: the caller now holds the key and must `complete` or `release` it with `token`;
 * - `replay`: the key was completed earlier; `result` is the stored result;
 * - `in_progress`: another caller holds the key until `lockExpiresAt`;
 * - `mismatch`: the key was used with another fingerprint (`storedFingerprint`).
 */
export type IdempotencyBeginResult =
  | { readonly status: 'new'; readonly token: string; readonly lockExpiresAt: number }
  | { readonly status: 'replay'; readonly result: IdempotencyValue }
  | { readonly status: 'in_progress'; readonly lockExpiresAt: number }
  | { readonly status: 'mismatch'; readonly storedFingerprint: string };

/** What `complete` needs besides the scope. */
export interface IdempotencyCompleteOptions extends OperationOptions {
  /** The token of the `new` answer that made the caller the holder. */
  readonly token: string;
  /** The result to replay to later duplicates; must be JSON-serialisable. */
  readonly result: IdempotencyValue;
  /** The current time, whole epoch ms. */
  readonly now: number;
}

/** What `release` needs besides the scope. */
export interface IdempotencyReleaseOptions extends OperationOptions {
  /** The token of the `new` answer that made the caller the holder. */
  readonly token: string;
  /** The current time, whole epoch ms. */
  readonly now: number;
}

/**
 * Remembers which requests were already handled, so that a duplicate (a webhook delivered
 * twice, a retried function call) replays the first result instead of running again.
 *
 * Contract (checked by `idempotencyStoreContract` in `bookingkit/testing`):
 * - Keys are scoped by `{ tenantId, key }`; invalid scopes are refused with a `ValidationError`
 *   naming the field, invalid options with an `InvalidOptionError`.
 * - `begin` is atomic: of any number of concurrent callers on one free key, exactly one gets `new`.
 * - Expiry is decided from the `now` the caller passes, never from the store's own clock: a
 *   record is gone once `now >= expiresAt`; an unfinished claim can be taken over once
 *   `now >= lockExpiresAt`, and is then treated exactly as if it had been released.
 * - A live record with another fingerprint answers `mismatch`, before `replay` or `in_progress`.
 * - `complete` and `release` act only with the token of the current claim: a holder whose claim
 *   was taken over (or whose record expired) gets `false` and changes nothing. A holder whose
 *   lock ran out may still complete or release while nobody has taken the key over.
 * - `release` deletes an unfinished claim, so failures are never cached: the next `begin` is `new`.
 * - A stored record that cannot be read back raises `CorruptRecordError`.
 *
 * @example
 * ```ts
 * declare const fingerprint: string;
 * declare const tenantId: string;
 * declare const key: string;
 * declare const clock: Clock;
 * // ---cut---
 * const store: IdempotencyStore = createMemoryIdempotencyStore();
 * const answer = await store.begin({ tenantId, key }, { fingerprint, ttlMs: 86_400_000, lockTtlMs: 30_000, now: clock.now() });
 * ```
 */
export interface IdempotencyStore {
  /** Claims the key, or tells why not. */
  begin(scope: IdempotencyScope, options: IdempotencyBeginOptions): Promise<IdempotencyBeginResult>;
  /** Stores the result of the holder's claim. `false` when `token` no longer holds the key. */
  complete(scope: IdempotencyScope, options: IdempotencyCompleteOptions): Promise<boolean>;
  /** Gives up the holder's claim after a failure. `false` when `token` no longer holds the key. */
  release(scope: IdempotencyScope, options: IdempotencyReleaseOptions): Promise<boolean>;
}
