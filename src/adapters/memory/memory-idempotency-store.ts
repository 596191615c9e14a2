import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import {
  answerFor,
  decodeResult,
  encodeResult,
  isClaimable,
  type IdempotencyRecord,
} from '../../idempotency/idempotency-record.js';
import {
  checkClaim,
  checkScope,
  checkSettle,
  type IdempotencyScope,
} from '../../idempotency/idempotency-scope.js';
import type {
  IdempotencyBeginOptions,
  IdempotencyBeginResult,
  IdempotencyCompleteOptions,
  IdempotencyReleaseOptions,
  IdempotencyStore,
} from '../../idempotency/idempotency-store.js';
import { throwIfAborted } from '../../util/abort.js';
import { numberOption } from '../../util/options.js';

/** Options of {@link createMemoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /**
   * Most keys kept. When full, the least recently used key is dropped even if it has not
   * expired, and a duplicate of it would run again: size it above the number of keys created
   * within one TTL.
   * @default 10_000
   */
  readonly maxEntries?: number;
}

interface Entry {
  readonly fingerprint: string;
  readonly token: string;
  readonly expiresAt: number;
  state: 'in_progress' | 'completed';
  lockExpiresAt: number;
  /** The result's JSON text, so a replay hands out a fresh copy that callers may change. */
  result: string | null;
}

/**
 * The embedded {@link IdempotencyStore}: a real implementation of the contract, kept in process
 * memory in an LRU cache whose entries expire with the TTL. Expiry follows the `now` the caller
 * passes (the cache's own clock is set to it), so a fake clock drives it in tests. Suitable for
 * tests, development and single-process deployments; use the Postgres or Redis store when
 * several processes share the keys or keys must survive a restart.
 *
 * @example
 * ```ts
 * declare const tenantId: string;
 * declare const key: string;
 * declare const body: unknown;
 * declare function handle(body: unknown): Promise<string>;
 * // ---cut---
 * const store = createMemoryIdempotencyStore({ maxEntries: 50_000 });
 * const { value } = await idempotent(store, { tenantId, key, fingerprint: fingerprint(body) }, () => handle(body));
 * ```
 */
export function createMemoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): IdempotencyStore {
  const maxEntries = numberOption(
    'maxEntries',
    options.maxEntries,
    10_000,
    { min: 1, max: 10_000_000, integer: true },
    { factory: 'createMemoryIdempotencyStore' },
  );
  // The cache reads time from `current`, which each call sets to the `now` it was given before
  // touching the cache, so the cache's TTL expiry agrees with the caller's clock.
  let current = 0;
  const cache = new LRUCache<string, Entry>({
    max: maxEntries,
    ttlResolution: 0,
    perf: { now: () => current },
  });

  /** The live entry of a scope at `now`, if any. */
  const live = (scope: IdempotencyScope, now: number): { id: string; entry: Entry | undefined } => {
    const { tenantId, key } = checkScope(scope);
    const id = `${tenantId.length}:${tenantId}:${key}`;
    current = now;
    const entry = cache.get(id);
    return { id, entry: entry && entry.expiresAt > now ? entry : undefined };
  };

  /** The entry when `token` holds its unfinished claim. */
  const held = (
    scope: IdempotencyScope,
    token: string,
    now: number,
  ): { id: string; entry: Entry } | undefined => {
    const { id, entry } = live(scope, now);
    return entry && entry.token === token && entry.state === 'in_progress' ? { id, entry } : undefined;
  };

  return {
    async begin(scope: IdempotencyScope, opts: IdempotencyBeginOptions): Promise<IdempotencyBeginResult> {
      throwIfAborted(opts.signal);
      checkClaim(opts);
      const { id, entry } = live(scope, opts.now);
      if (entry && !isClaimable(entry, opts.now)) return answerFor(toRecord(entry), opts.fingerprint);
      const token = randomUUID();
      const lockExpiresAt = opts.now + opts.lockTtlMs;
      const fresh: Entry = {
        fingerprint: opts.fingerprint,
        token,
        expiresAt: opts.now + opts.ttlMs,
        state: 'in_progress',
        lockExpiresAt,
        result: null,
      };
      cache.set(id, fresh, { ttl: opts.ttlMs });
      return { status: 'new', token, lockExpiresAt };
    },

    async complete(scope: IdempotencyScope, opts: IdempotencyCompleteOptions): Promise<boolean> {
      throwIfAborted(opts.signal);
      checkSettle(opts);
      const result = encodeResult(opts.result);
      const claim = held(scope, opts.token, opts.now);
      if (!claim) return false;
      claim.entry.state = 'completed';
      claim.entry.result = result;
      return true;
    },

    async release(scope: IdempotencyScope, opts: IdempotencyReleaseOptions): Promise<boolean> {
      throwIfAborted(opts.signal);
      checkSettle(opts);
      const claim = held(scope, opts.token, opts.now);
      if (!claim) return false;
      cache.delete(claim.id);
      return true;
    },
  };
}

function toRecord(entry: Entry): IdempotencyRecord {
  const { fingerprint, expiresAt, lockExpiresAt } = entry;
  if (entry.state === 'in_progress') return { state: 'in_progress', fingerprint, expiresAt, lockExpiresAt };
  return { state: 'completed', fingerprint, expiresAt, result: decodeResult(entry.result ?? 'null') };
}
