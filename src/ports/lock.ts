import type { OperationOptions } from '../util/abort.js';

/** A held lock. It expires by itself after its TTL unless extended, so a crashed holder frees it. */
export interface LockLease {
  readonly key: string;
  /** Unique to this acquisition; only it can extend or release the lock. */
  readonly token: string;
  /** Extends the lease to `ttlMs` from now. `false` when the lock was lost (expired and taken). */
  extend(ttlMs: number, options?: OperationOptions): Promise<boolean>;
  /** Releases the lock if still held by this lease. Idempotent. */
  release(options?: OperationOptions): Promise<void>;
}

/**
 * Mutual exclusion across instances for "only one instance does this" work (a reconciliation
 * run, a scheduled sync).
 *
 * @example
 * ```ts
 * declare const locks: LockService;
 * declare function reconcile(): Promise<void>;
 * // ---cut---
 * const lease = await locks.acquire('reconcile:tenant-a', { ttlMs: 60_000 });
 * if (lease) {
 *   try { await reconcile(); } finally { await lease.release(); }
 * } // else another instance is on it
 * ```
 */
export interface LockService {
  /** Takes the lock for `ttlMs`, or answers `null` at once when someone else holds it. */
  acquire(key: string, options: { readonly ttlMs: number } & OperationOptions): Promise<LockLease | null>;
}
