import { CorruptRecordError } from '../../errors/store-errors.js';
import { formatValidationIssues, toValidationIssues } from '../../errors/validation-error.js';
import {
  BreakerSnapshot,
  type BreakerStateStore,
  type BreakerTransition,
  type OutcomeBatch,
  type ProbeRequest,
  type ProbeResult,
  type ProbeSettlement,
  type RecordResult,
  type TransitionResult,
  type WindowStats,
} from '../../resilience/breaker/breaker-state-store.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { checkStringOption, numberOption } from '../../util/options.js';
import { requireRedisClient } from './redis-options.js';
import { defineScript, runScript, type RedisArgument, type RedisClient } from './redis-client.js';

/** Options of {@link createRedisBreakerStateStore}. */
export interface RedisBreakerStateStoreOptions {
  /** The connection (e.g. `ioredisClient(new Redis(url))`). */
  readonly client: RedisClient;
  /** Prefix of every key; the breaker name follows in braces (one hash slot per breaker on a cluster). @default 'bookingkit:breaker:' */
  readonly keyPrefix?: string;
  /** Keys of a breaker nobody writes expire after this long (it then starts closed again). @default 604_800_000 (7 days) */
  readonly keyTtlMs?: number;
}

// Shared Lua: the snapshot as an array of 8 (numbers kept as strings, so no precision is lost).
const SNAPSHOT_LUA = `
local function snapshot(key)
  local v = redis.call('HMGET', key, 'state', 'generation', 'since', 'until', 'opens', 'probes', 'probeSuccesses', 'reason')
  if not v[1] then return {'closed', '0', '0', false, '0', '0', '0', false} end
  return v
end
local function touch(ttl)
  for i = 1, #KEYS do redis.call('PEXPIRE', KEYS[i], ttl) end
end
`;

const READ = defineScript(`${SNAPSHOT_LUA}
return snapshot(KEYS[1])`);

// KEYS: state, window, meta, instances. ARGV: generation, spec, kind, size|durationMs, buckets,
// instance, ttl, then (code, count, at) per run; code s(uccess), f(ailure), w (slow).
const RECORD = defineScript(`${SNAPSHOT_LUA}
local s = snapshot(KEYS[1])
if s[1] ~= 'closed' or tonumber(s[2]) ~= tonumber(ARGV[1]) then return {0, s, {0, 0, 0, 0}} end
if redis.call('HGET', KEYS[3], 'spec') ~= ARGV[2] then
  redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
  redis.call('HSET', KEYS[3], 'spec', ARGV[2], 'failures', 0, 'slow', 0)
end
local inst = ARGV[6]
local stats
if ARGV[3] == 'count' then
  local size = tonumber(ARGV[4])
  local function adjust(entry, delta)
    local code = string.sub(entry, 1, 1)
    if code == 's' then return end
    redis.call('HINCRBY', KEYS[3], code == 'f' and 'failures' or 'slow', delta)
    local who = string.sub(entry, 2)
    if redis.call('HINCRBY', KEYS[4], who, delta) <= 0 then redis.call('HDEL', KEYS[4], who) end
  end
  for i = 8, #ARGV, 3 do
    local entry = ARGV[i] == 's' and 's' or (ARGV[i] .. inst)
    local n = math.min(tonumber(ARGV[i + 1]), size)
    while n > 0 do
      local chunk = {}
      for j = 1, math.min(n, 500) do chunk[j] = entry end
      redis.call('RPUSH', KEYS[2], unpack(chunk))
      for j = 1, #chunk do adjust(entry, 1) end
      n = n - #chunk
    end
  end
  local excess = redis.call('LLEN', KEYS[2]) - size
  if excess > 0 then
    for _, entry in ipairs(redis.call('LRANGE', KEYS[2], 0, excess - 1)) do adjust(entry, -1) end
    redis.call('LTRIM', KEYS[2], excess, -1)
  end
  local m = redis.call('HMGET', KEYS[3], 'failures', 'slow')
  stats = {redis.call('LLEN', KEYS[2]), tonumber(m[1]), tonumber(m[2]), redis.call('HLEN', KEYS[4])}
else
  local buckets = tonumber(ARGV[5])
  local width = math.ceil(tonumber(ARGV[4]) / buckets)
  local newest = tonumber(redis.call('HGET', KEYS[3], 'newest') or '-1e300')
  for i = 8, #ARGV, 3 do
    local slice = math.floor(tonumber(ARGV[i + 2]) / width)
    if slice > newest then newest = slice end
    if slice > newest - buckets then
      local n = tonumber(ARGV[i + 1])
      redis.call('HINCRBY', KEYS[2], 'c:' .. slice, n)
      if ARGV[i] ~= 's' then
        redis.call('HINCRBY', KEYS[2], ARGV[i] .. ':' .. slice, n)
        local last = tonumber(redis.call('HGET', KEYS[4], inst) or '-1e300')
        if slice > last then redis.call('HSET', KEYS[4], inst, slice) end
      end
    end
  end
  redis.call('HSET', KEYS[3], 'newest', newest)
  local calls, failures, slow = 0, 0, 0
  local fields = redis.call('HGETALL', KEYS[2])
  for i = 1, #fields, 2 do
    local code, slice = string.match(fields[i], '^(%a):(.+)$')
    if tonumber(slice) <= newest - buckets then
      redis.call('HDEL', KEYS[2], fields[i])
    else
      local n = tonumber(fields[i + 1])
      if code == 'c' then calls = calls + n elseif code == 'f' then failures = failures + n else slow = slow + n end
    end
  end
  local who = redis.call('HGETALL', KEYS[4])
  for i = 1, #who, 2 do
    if tonumber(who[i + 1]) <= newest - buckets then redis.call('HDEL', KEYS[4], who[i]) end
  end
  stats = {calls, failures, slow, redis.call('HLEN', KEYS[4])}
end
touch(ARGV[7])
return {1, s, stats}`);

// ARGV: expectedGeneration, state, since, until ('' for none), opens, hasReason, reason, ttl,
// probes (permits taken with the change).
const TRANSITION = defineScript(`${SNAPSHOT_LUA}
local s = snapshot(KEYS[1])
if tonumber(s[2]) ~= tonumber(ARGV[1]) then return {0, s} end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'generation', tonumber(s[2]) + 1, 'since', ARGV[3], 'opens', ARGV[5], 'probes', tonumber(ARGV[9]), 'probeSuccesses', 0)
if ARGV[4] == '' then redis.call('HDEL', KEYS[1], 'until') else redis.call('HSET', KEYS[1], 'until', ARGV[4]) end
if ARGV[6] == '1' then redis.call('HSET', KEYS[1], 'reason', ARGV[7]) else redis.call('HDEL', KEYS[1], 'reason') end
touch(ARGV[8])
return {1, snapshot(KEYS[1])}`);

// ARGV: generation, maxProbes.
const ACQUIRE = defineScript(`${SNAPSHOT_LUA}
local s = snapshot(KEYS[1])
if s[1] ~= 'half-open' or tonumber(s[2]) ~= tonumber(ARGV[1]) or tonumber(s[6]) >= tonumber(ARGV[2]) then return {0, s} end
redis.call('HINCRBY', KEYS[1], 'probes', 1)
return {1, snapshot(KEYS[1])}`);

// ARGV: generation, success ('1' or '0').
const SETTLE = defineScript(`${SNAPSHOT_LUA}
local s = snapshot(KEYS[1])
if s[1] ~= 'half-open' or tonumber(s[2]) ~= tonumber(ARGV[1]) then return {0, s} end
if tonumber(s[6]) > 0 then redis.call('HINCRBY', KEYS[1], 'probes', -1) end
if ARGV[2] == '1' then redis.call('HINCRBY', KEYS[1], 'probeSuccesses', 1) end
return {1, snapshot(KEYS[1])}`);

const RUN_CODES = { success: 's', failure: 'f', slow: 'w' } as const;

function corrupt(key: string, problem: string): CorruptRecordError {
  return new CorruptRecordError({ store: 'redis:breaker', key, problem });
}

function parseSnapshot(reply: unknown, key: string): BreakerSnapshot {
  if (!Array.isArray(reply) || reply.length !== 8)
    throw corrupt(key, 'the state hash could not be read as a breaker snapshot');
  const [state, generation, since, until, opens, probes, probeSuccesses, reason] = reply as unknown[];
  const parsed = BreakerSnapshot.safeParse({
    state,
    generation: Number(generation),
    since: Number(since),
    until: until === null ? null : Number(until),
    opens: Number(opens),
    probes: Number(probes),
    probeSuccesses: Number(probeSuccesses),
    reason,
  });
  if (!parsed.success) throw corrupt(key, formatValidationIssues(toValidationIssues(parsed.error.issues)));
  return parsed.data;
}

function parseFlagged(
  reply: unknown,
  key: string,
): { ok: boolean; snapshot: BreakerSnapshot; rest: unknown[] } {
  if (!Array.isArray(reply) || reply.length < 2)
    throw corrupt(key, 'unexpected reply from the breaker script');
  const [flag, snapshot, ...rest] = reply as unknown[];
  return { ok: flag === 1, snapshot: parseSnapshot(snapshot, key), rest };
}

function parseStats(reply: unknown, key: string): WindowStats {
  const numbers = Array.isArray(reply) ? reply.map(Number) : [];
  const [calls, failures, slowCalls, failingInstances] = numbers;
  if (numbers.length !== 4 || numbers.some((n) => !Number.isInteger(n) || n < 0))
    throw corrupt(key, 'the window counters are not non-negative integers');
  return {
    calls: calls ?? 0,
    failures: failures ?? 0,
    slowCalls: slowCalls ?? 0,
    failingInstances: failingInstances ?? 0,
  };
}

/**
 * A {@link BreakerStateStore} in Redis, through which every instance of a service shares one
 * circuit breaker: the snapshot, the window of outcomes and the probe permits live in four keys
 * per breaker, and every operation is one Lua script (`EVALSHA`), so concurrent instances never
 * lose an outcome or grant one probe too many.
 *
 * The breaker keeps the hot path off the network: it reads this store through a short local
 * cache (`cacheTtlMs`) and writes successes in batches.
 *
 * @throws `InvalidOptionError` (from `bookingkit`) for an option out of range.
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { circuitBreaker } from 'bookingkit';
 * import { createRedisBreakerStateStore, ioredisClient } from 'bookingkit/redis';
 *
 * const store = createRedisBreakerStateStore({ client: ioredisClient(new Redis(process.env.REDIS_URL!)) });
 * const breaker = circuitBreaker({ name: 'calcom', store, minInstances: 2 });
 * ```
 */
export function createRedisBreakerStateStore(options: RedisBreakerStateStoreOptions): BreakerStateStore {
  const factory = 'createRedisBreakerStateStore';
  const client = requireRedisClient(factory, options);
  const prefix =
    options.keyPrefix === undefined
      ? 'bookingkit:breaker:'
      : checkStringOption('keyPrefix', options.keyPrefix, 200, { factory });
  const ttl = numberOption(
    'keyTtlMs',
    options.keyTtlMs,
    604_800_000,
    { integer: true, min: 1_000, max: 31_536_000_000 },
    { factory },
  );

  const keysOf = (name: string): string[] => {
    const base = `${prefix}{${name}}`;
    return [`${base}:state`, `${base}:window`, `${base}:meta`, `${base}:instances`];
  };

  const run = (
    name: string,
    script: typeof READ,
    args: readonly RedisArgument[],
    options: OperationOptions,
  ): Promise<unknown> => {
    throwIfAborted(options.signal);
    return runScript(client, script, keysOf(name), args);
  };

  return {
    async read(key: string, opts: OperationOptions = {}): Promise<BreakerSnapshot> {
      return parseSnapshot(await run(key, READ, [], opts), key);
    },

    async record(key: string, batch: OutcomeBatch): Promise<RecordResult> {
      const { window } = batch;
      const spec =
        window.kind === 'count' ? `count:${window.size}` : `time:${window.durationMs}:${window.buckets}`;
      const shape = window.kind === 'count' ? [window.size, 0] : [window.durationMs, window.buckets];
      const args: RedisArgument[] = [batch.generation, spec, window.kind, ...shape, batch.instance, ttl];
      for (const item of batch.runs) args.push(RUN_CODES[item.kind], item.count, item.at);
      const { ok, snapshot, rest } = parseFlagged(await run(key, RECORD, args, batch), key);
      return { recorded: ok, snapshot, stats: parseStats(rest[0], key) };
    },

    async transition(key: string, change: BreakerTransition): Promise<TransitionResult> {
      const args = [
        change.expectedGeneration,
        change.state,
        change.since,
        change.until === null ? '' : change.until,
        change.opens,
        change.reason === null ? '0' : '1',
        change.reason ?? '',
        ttl,
        change.probe === true && change.state === 'half-open' ? 1 : 0,
      ];
      const { ok, snapshot } = parseFlagged(await run(key, TRANSITION, args, change), key);
      return { applied: ok, snapshot };
    },

    async acquireProbe(key: string, request: ProbeRequest): Promise<ProbeResult> {
      const { ok, snapshot } = parseFlagged(
        await run(key, ACQUIRE, [request.generation, request.maxProbes], request),
        key,
      );
      return { ok, snapshot };
    },

    async settleProbe(key: string, settlement: ProbeSettlement): Promise<ProbeResult> {
      const { ok, snapshot } = parseFlagged(
        await run(key, SETTLE, [settlement.generation, settlement.success ? '1' : '0'], settlement),
        key,
      );
      return { ok, snapshot };
    },
  };
}
