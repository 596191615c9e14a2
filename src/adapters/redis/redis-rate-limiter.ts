import { randomUUID } from 'node:crypto';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { checkNumberOption, checkStringOption, numberOption } from '../../util/options.js';
import { requireRedisClient } from './redis-options.js';
import { defineScript, runScript, type RedisClient } from './redis-client.js';

/** Options of {@link createRedisRateLimiter}. */
export interface RedisRateLimiterOptions {
  /** The connection: `ioredisClient(redis)` or any {@link RedisClient}. */
  readonly client: RedisClient;
  /** Requests allowed per key within any window. @default 120 (Cal.com's limit per API key) */
  readonly limit?: number;
  /** The window, in ms. @default 60_000 */
  readonly windowMs?: number;
  /** Prefix of every key the limiter writes. @default 'bookingkit:ratelimit:' */
  readonly prefix?: string;
}

/**
 * A rate limiter shared by every instance that uses the same Redis: the `RateLimiter` of
 * `bookingkit/calcom` (`take`, `pause`), so a Cal.com API key stays under its limit however many
 * processes use it.
 */
export interface RedisRateLimiter {
  /** Takes a permit for `key` if the window has room; otherwise says how long until one frees. */
  take(
    key: string,
    options?: OperationOptions,
  ): Promise<{ readonly allowed: boolean; readonly retryAfterMs: number }>;
  /** Holds back every permit of `key` for `durationMs` (after a 429 with its reset time). */
  pause(key: string, durationMs: number, options?: OperationOptions): Promise<void>;
}

// A sliding window log per key: a sorted set of the permits of the last window, scored by the
// time they were taken, on the Redis server's clock (one clock for every instance). Checked and
// taken in one atomic step. A pause is a key of its own that expires with the pause.
const TAKE = defineScript(`
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return {0, paused} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, math.max(1, tonumber(oldest[2]) + window - now)}
`);

const PAUSE = defineScript(`
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 1
`);

/**
 * The Redis rate limiter: at most `limit` permits per key in any `windowMs`, counted across every
 * instance, on the Redis server's clock. Keys are the caller's (the Cal.com client passes a hash
 * of the API key, never the key); both keys of one limiter key share a hash slot, so it works on
 * a cluster.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a bad option.
 * @example
 * ```ts
 * declare const tenantSecrets: (tenantId: string) => Promise<{ apiKey: string; webhookSecret: string }>;
 * // ---cut---
 * import { Redis } from 'ioredis';
 * import { createCalcomClient } from 'bookingkit/calcom';
 * const rateLimiter = createRedisRateLimiter({ client: ioredisClient(new Redis(process.env.REDIS_URL!)) });
 * const calcom = createCalcomClient({ credentials: tenantSecrets, rateLimiter });
 * ```
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RedisRateLimiter {
  const factory = 'createRedisRateLimiter';
  const client = requireRedisClient(factory, options);
  const limit = numberOption(
    'limit',
    options.limit,
    120,
    { min: 1, max: 1_000_000, integer: true },
    { factory },
  );
  const windowMs = numberOption('windowMs', options.windowMs, 60_000, { min: 1, integer: true }, { factory });
  const prefix =
    options.prefix === undefined
      ? 'bookingkit:ratelimit:'
      : checkStringOption('prefix', options.prefix, undefined, { factory });
  const keysOf = (key: string): [string, string] => {
    const checked = checkStringOption('key', key, 200);
    return [`${prefix}{${checked}}:window`, `${prefix}{${checked}}:pause`];
  };

  return {
    async take(key, opts = {}) {
      throwIfAborted(opts.signal);
      const reply = await runScript(client, TAKE, keysOf(key), [limit, windowMs, randomUUID()]);
      const [allowed, wait] = Array.isArray(reply) ? reply.map(Number) : [Number.NaN, Number.NaN];
      if (allowed === 1) return { allowed: true, retryAfterMs: 0 };
      if (allowed === 0 && Number.isFinite(wait)) return { allowed: false, retryAfterMs: Math.max(1, wait!) };
      throw new Error(`createRedisRateLimiter: unexpected reply from Redis: ${JSON.stringify(reply)}`);
    },
    async pause(key, durationMs, opts = {}) {
      throwIfAborted(opts.signal);
      const ms = Math.ceil(checkNumberOption('durationMs', durationMs, { min: 0 }));
      if (ms === 0) return;
      await runScript(client, PAUSE, [keysOf(key)[1]], [ms]);
    },
  };
}
