import { randomUUID } from 'node:crypto';
import type { LockLease, LockService } from '../../ports/lock.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { checkNumberOption, checkStringOption } from '../../util/options.js';
import { requireRedisClient } from './redis-options.js';
import { defineScript, runScript, type RedisClient } from './redis-client.js';

/** Options of {@link createRedisLockService}. */
export interface RedisLockServiceOptions {
  /** The connection: `ioredisClient(redis)` or any {@link RedisClient}. */
  readonly client: RedisClient;
  /** Prefix of every lock key. @default 'bookingkit:lock:' */
  readonly prefix?: string;
}

// Only the holder's token may touch the lock: compare and act in one atomic step.
const EXTEND = defineScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`);

const RELEASE = defineScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

const checkTtl = (ttlMs: number): number => checkNumberOption('ttlMs', ttlMs, { min: 1, integer: true });

/**
 * The Redis {@link LockService}: `SET key token NX PX ttl` with a random token per acquisition;
 * extend and release compare the token in a Lua script, so a holder whose lease expired can never
 * extend or release the next holder's lock. Expiry runs on the Redis server's clock. A single
 * Redis node is assumed (no Redlock quorum): a failover may lose a lock, so use it for work that
 * tolerates a rare overlap, like reconciliation runs, which are idempotent.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a bad option; `acquire` and `extend` for a `ttlMs` that
 * is not a positive integer.
 * @example
 * ```ts
 * declare function reconcile(): Promise<void>;
 * // ---cut---
 * import { Redis } from 'ioredis';
 * const locks = createRedisLockService({ client: ioredisClient(new Redis(process.env.REDIS_URL!)) });
 * const lease = await locks.acquire('reconcile:tenant-a', { ttlMs: 60_000 });
 * if (lease) try { await reconcile(); } finally { await lease.release(); }
 * ```
 */
export function createRedisLockService(options: RedisLockServiceOptions): LockService {
  const factory = 'createRedisLockService';
  const client = requireRedisClient(factory, options);
  const prefix =
    options.prefix === undefined
      ? 'bookingkit:lock:'
      : checkStringOption('prefix', options.prefix, undefined, { factory });

  const leaseOf = (key: string, redisKey: string, token: string): LockLease => ({
    key,
    token,
    async extend(ttlMs: number, opts: OperationOptions = {}): Promise<boolean> {
      throwIfAborted(opts.signal);
      checkTtl(ttlMs);
      return (await runScript(client, EXTEND, [redisKey], [token, ttlMs])) === 1;
    },
    async release(opts: OperationOptions = {}): Promise<void> {
      throwIfAborted(opts.signal);
      await runScript(client, RELEASE, [redisKey], [token]);
    },
  });

  return {
    async acquire(
      key: string,
      opts: { readonly ttlMs: number } & OperationOptions,
    ): Promise<LockLease | null> {
      throwIfAborted(opts.signal);
      const ttlMs = checkTtl(opts.ttlMs);
      const redisKey = `${prefix}${key}`;
      const token = randomUUID();
      const reply = await client.command('SET', [redisKey, token, 'NX', 'PX', ttlMs]);
      return reply === 'OK' ? leaseOf(key, redisKey, token) : null;
    },
  };
}
