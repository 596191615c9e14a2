import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { LockLease, LockService } from '../../ports/lock.js';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { checkNumberOption } from '../../util/options.js';

/** Options of {@link createMemoryLockService}. */
export interface MemoryLockServiceOptions {
  /**
   * Source of time for lease expiry.
   * @default systemClock
   */
  readonly clock?: Clock;
}

interface Holder {
  readonly token: string;
  expiresAt: number;
}

/** Expired holders are swept after this many acquisitions, so unused keys do not pile up. */
const SWEEP_EVERY = 256;

const checkTtl = (ttlMs: number): number => checkNumberOption('ttlMs', ttlMs, { min: 1, integer: true });

/**
 * The embedded {@link LockService}: mutual exclusion within one process, with leases that expire
 * on the given clock. Use the Redis lock service to exclude across processes.
 *
 * @throws {@link InvalidOptionError} naming `createMemoryLockService` for a bad option.
 * @example
 * ```ts
 * declare function reconcile(): Promise<void>;
 * // ---cut---
 * const locks = createMemoryLockService();
 * const lease = await locks.acquire('reconcile:tenant-a', { ttlMs: 60_000 });
 * if (lease) try { await reconcile(); } finally { await lease.release(); }
 * ```
 */
export function createMemoryLockService(options: MemoryLockServiceOptions = {}): LockService {
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== 'function')
    throw new InvalidOptionError('clock', clock, 'a Clock, e.g. systemClock', {
      factory: 'createMemoryLockService',
    });
  const holders = new Map<string, Holder>();
  let acquisitions = 0;

  const current = (key: string): Holder | undefined => {
    const holder = holders.get(key);
    return holder && holder.expiresAt > clock.now() ? holder : undefined;
  };

  const sweep = (): void => {
    const now = clock.now();
    for (const [key, holder] of holders) if (holder.expiresAt <= now) holders.delete(key);
  };

  const leaseOf = (key: string, token: string): LockLease => ({
    key,
    token,
    async extend(ttlMs: number, opts: OperationOptions = {}): Promise<boolean> {
      throwIfAborted(opts.signal);
      checkTtl(ttlMs);
      const holder = current(key);
      if (holder?.token !== token) return false;
      holder.expiresAt = clock.now() + ttlMs;
      return true;
    },
    async release(opts: OperationOptions = {}): Promise<void> {
      throwIfAborted(opts.signal);
      if (holders.get(key)?.token === token) holders.delete(key);
    },
  });

  return {
    async acquire(
      key: string,
      opts: { readonly ttlMs: number } & OperationOptions,
    ): Promise<LockLease | null> {
      throwIfAborted(opts.signal);
      const ttlMs = checkTtl(opts.ttlMs);
      acquisitions += 1;
      if (acquisitions % SWEEP_EVERY === 0) sweep();
      if (current(key)) return null;
      const token = randomUUID();
      holders.set(key, { token, expiresAt: clock.now() + ttlMs });
      return leaseOf(key, token);
    },
  };
}
