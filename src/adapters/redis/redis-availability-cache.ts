import { CorruptRecordError } from '../../errors/store-errors.js';
import type { AvailabilityCache, CacheEntryOptions } from '../../ports/availability-cache.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { checkStringOption } from '../../util/options.js';
import { requireRedisClient } from './redis-options.js';
import { requireTenantId } from '../../util/tenant-id.js';
import { checkCacheEntry } from '../memory/cache-entry.js';
import { defineScript, runScript, type RedisClient } from './redis-client.js';

/** Options of {@link createRedisAvailabilityCache}. */
export interface RedisAvailabilityCacheOptions {
  /** The connection: `ioredisClient(redis)` or any {@link RedisClient}. */
  readonly client: RedisClient;
  /** Prefix of every key the cache writes. @default 'bookingkit:cache:' */
  readonly prefix?: string;
}

const STORE = 'redis:availability-cache';

// An entry is stored as `<tags as JSON>\n<value as JSON>`: invalidation reads the tags without
// decoding the value. Each tag has a set of the entry keys that were tagged with it; the set
// lives as long as its longest-lived entry.
const SET = defineScript(`
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local ttl = tonumber(ARGV[2])
for i = 2, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1
`);

// A tag set may still list an entry that was since set again without that tag; only entries
// that carry the tag now are dropped (and unreadable ones, which would fail every read anyway).
const INVALIDATE = defineScript(`
local dropped = 0
for i = 1, #KEYS do
  local members = redis.call('SMEMBERS', KEYS[i])
  for _, key in ipairs(members) do
    local raw = redis.pcall('GET', key)
    if type(raw) == 'string' then
      local carries = true
      local newline = string.find(raw, '\\n', 1, true)
      if newline then
        local ok, tags = pcall(cjson.decode, string.sub(raw, 1, newline - 1))
        if ok and type(tags) == 'table' then
          carries = false
          for _, tag in ipairs(tags) do
            if tag == ARGV[i] then carries = true break end
          end
        end
      end
      if carries then
        redis.call('DEL', key)
        dropped = dropped + 1
      end
    end
  end
  redis.call('DEL', KEYS[i])
end
return dropped
`);

/** Escapes a name so that `:`, `{` and `}` in tenant ids, keys or tags cannot collide or move slots. */
const escape = (name: string): string => encodeURIComponent(name);

function decode(raw: unknown, key: string): unknown {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : raw;
  if (typeof text !== 'string')
    throw new CorruptRecordError({ store: STORE, key, problem: `expected a string, got ${typeof text}` });
  const newline = text.indexOf('\n');
  if (newline < 0)
    throw new CorruptRecordError({
      store: STORE,
      key,
      problem: 'not an entry of this cache (no tag header)',
    });
  try {
    const tags: unknown = JSON.parse(text.slice(0, newline));
    if (!Array.isArray(tags)) throw new Error('the tag header is not an array');
    return JSON.parse(text.slice(newline + 1));
  } catch (error) {
    throw new CorruptRecordError(
      { store: STORE, key, problem: `unreadable entry: ${(error as Error).message}` },
      { cause: error },
    );
  }
}

/**
 * The Redis {@link AvailabilityCache}: values as JSON with a Redis TTL (`PX`), and per-tenant tag
 * sets. Setting and invalidating are single Lua scripts, so an invalidation never misses an entry
 * being set at the same moment. All keys of a tenant share a hash slot (`{tenant}`), so the
 * scripts also run on Redis Cluster.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a bad option. Reads throw {@link bookingkit!CorruptRecordError}
 * for a value this cache did not write.
 * @example
 * ```ts
 * declare const tenantId: string;
 * declare const eventTypeId: string;
 * declare const day: string;
 * declare const slots: TimeRange[];
 * // ---cut---
 * import { Redis } from 'ioredis';
 * const cache = createRedisAvailabilityCache({ client: ioredisClient(new Redis(process.env.REDIS_URL!)) });
 * await cache.set(tenantId, `slots:${eventTypeId}:${day}`, slots, { ttlMs: 60_000, tags: [`eventType:${eventTypeId}`] });
 * ```
 */
export function createRedisAvailabilityCache(options: RedisAvailabilityCacheOptions): AvailabilityCache {
  const factory = 'createRedisAvailabilityCache';
  const client = requireRedisClient(factory, options);
  const prefix =
    options.prefix === undefined
      ? 'bookingkit:cache:'
      : checkStringOption('prefix', options.prefix, undefined, { factory });
  const entryKey = (tenantId: string, key: string): string =>
    `${prefix}{${escape(tenantId)}}:e:${escape(key)}`;
  const tagKey = (tenantId: string, tag: string): string => `${prefix}{${escape(tenantId)}}:t:${escape(tag)}`;

  return {
    async get(tenantId: string, key: string, opts: OperationOptions = {}): Promise<unknown> {
      throwIfAborted(opts.signal);
      // Keys are built from checked tenants only: `escape(undefined)` is "undefined", a key that
      // every caller who lost its tenant would share.
      const redisKey = entryKey(requireTenantId(tenantId), key);
      let raw: unknown;
      try {
        raw = await client.command('GET', [redisKey]);
      } catch (error) {
        if (!String((error as Error).message).includes('WRONGTYPE')) throw error;
        throw new CorruptRecordError(
          { store: STORE, key: redisKey, problem: 'the key holds a value of another type' },
          { cause: error },
        );
      }
      return raw === null || raw === undefined ? undefined : decode(raw, redisKey);
    },

    async set(tenantId: string, key: string, value: unknown, opts: CacheEntryOptions): Promise<void> {
      throwIfAborted(opts.signal);
      const tenant = requireTenantId(tenantId);
      const entry = checkCacheEntry(value, opts);
      const keys = [entryKey(tenant, key), ...entry.tags.map((tag) => tagKey(tenant, tag))];
      await runScript(client, SET, keys, [`${JSON.stringify(entry.tags)}\n${entry.json}`, entry.ttlMs]);
    },

    async invalidateTags(
      tenantId: string,
      tags: readonly string[],
      opts: OperationOptions = {},
    ): Promise<void> {
      throwIfAborted(opts.signal);
      const tenant = requireTenantId(tenantId);
      const unique = [...new Set(tags)];
      if (unique.length === 0) return;
      await runScript(
        client,
        INVALIDATE,
        unique.map((tag) => tagKey(tenant, tag)),
        unique,
      );
    },
  };
}
