import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineScript, runScript, type RedisClient, type RedisScript } from './redis-client.js';
import { CorruptRecordError } from '../../errors/store-errors.js';
import { formatValidationIssues, toValidationIssues } from '../../errors/validation-error.js';
import {
  answerFor,
  CompletedRecord,
  encodeResult,
  InProgressRecord,
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
import { checkStringOption } from '../../util/options.js';
import { requireRedisClient } from './redis-options.js';

/** Options of {@link createRedisIdempotencyStore}. */
export interface RedisIdempotencyStoreOptions {
  /** The connection: `ioredisClient(redis)` or any {@link RedisClient}. */
  readonly client: RedisClient;
  /** Prefix of every key the store writes. @default 'bookingkit:idempotency:' */
  readonly prefix?: string;
}

const STORE = 'redis:idempotency';

/** The stored value: a record with a format version, as JSON. */
const RedisRecord = z.discriminatedUnion('state', [
  InProgressRecord.extend({ version: z.literal(1), token: z.string() }),
  CompletedRecord.extend({ version: z.literal(1), token: z.string() }),
]);

/** How the value of every unfinished claim starts (see claimValue). */
const OPEN = '{"version":1,"state":"in_progress",';

// Each script reads, decides and writes in one atomic step on the server. A value that is not a
// record of this store is reported back (`corrupt`, `wrongtype`) for the caller to raise, never
// overwritten, unless it is plainly expired. The "claimable" rule in BEGIN is isClaimable() of
// idempotency-record.ts; the record is parsed in full (with zod) only where it is answered.
const PRELUDE = `
local now = tonumber(ARGV[1])
local raw = redis.pcall('GET', KEYS[1])
if type(raw) == 'table' then return {'wrongtype'} end
local record = nil
if raw then
  local ok, decoded = pcall(cjson.decode, raw)
  if not ok or type(decoded) ~= 'table' or type(decoded.expiresAt) ~= 'number' then return {'corrupt', raw} end
  record = decoded
end
`;

// Run when SET NX found the key taken (it may have gone since): take it over if it is free.
const BEGIN = defineScript(`${PRELUDE}
if record ~= nil then
  local lock = record.lockExpiresAt
  local free = record.expiresAt <= now or (record.state == 'in_progress' and type(lock) == 'number' and lock <= now)
  if not free then return {'taken', raw} end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return {'new'}
`);

// An unfinished claim is stored as claimHead(token) followed by its times and fingerprint, in
// this order (see claimValue), so COMPLETE and RELEASE recognise the holder's claim by comparing
// text and splice the completed value together without decoding and re-encoding JSON (which is
// also what keeps the result's JSON exactly as given: cjson would turn [] into {}). Anything else
// is decoded, to tell another holder's record (refused) from a corrupt value.
// ARGV: now, the claim's head, [the result's JSON].
const HELD = `
local now = tonumber(ARGV[1])
local raw = redis.pcall('GET', KEYS[1])
if type(raw) == 'table' then return {'wrongtype'} end
if not raw then return {'refused'} end
local head = ARGV[2]
local expiresAt = nil
if string.sub(raw, 1, #head) == head then
  expiresAt = tonumber(string.match(raw, '^"lockExpiresAt":%d+,"expiresAt":(%d+),"fingerprint":', #head + 1))
end
if expiresAt == nil then
  local ok, record = pcall(cjson.decode, raw)
  if not ok or type(record) ~= 'table' or type(record.expiresAt) ~= 'number' then return {'corrupt', raw} end
  if record.expiresAt <= now then return {'refused'} end
  if record.version ~= 1 or type(record.token) ~= 'string' or type(record.fingerprint) ~= 'string' then return {'corrupt', raw} end
  return {'refused'}
end
if expiresAt <= now then return {'refused'} end
`;

const COMPLETE = defineScript(`${HELD}
local open = '${OPEN}'
local value = '{"version":1,"state":"completed",' .. string.sub(raw, #open + 1, -2) .. ',"result":' .. ARGV[3] .. '}'
redis.call('SET', KEYS[1], value, 'PX', string.format('%.0f', expiresAt - now))
return {'done'}
`);

const RELEASE = defineScript(`${HELD}
redis.call('DEL', KEYS[1])
return {'done'}
`);

/** The head of the value of `token`'s unfinished claim. */
function claimHead(token: string): string {
  return `${OPEN}"token":${JSON.stringify(token)},`;
}

/** The value of an unfinished claim, in the layout HELD expects. */
function claimValue(token: string, lockExpiresAt: number, expiresAt: number, fingerprint: string): string {
  return `${claimHead(token)}"lockExpiresAt":${lockExpiresAt},"expiresAt":${expiresAt},"fingerprint":${JSON.stringify(fingerprint)}}`;
}

/**
 * Creates the Redis {@link IdempotencyStore}: one JSON value per key (with a format version),
 * written with `PX` so Redis drops it after the TTL. `begin` claims a free key with one
 * `SET NX PX`; a key in the way, `complete` and `release` each take one atomic Lua script
 * (`EVALSHA`). Expiry is still decided from the caller's `now`, not from Redis's clock. A value that is not a record of this store raises `CorruptRecordError`.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a missing client or an invalid prefix.
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createRedisIdempotencyStore, ioredisClient } from 'bookingkit/redis';
 * const store = createRedisIdempotencyStore({ client: ioredisClient(new Redis(process.env.REDIS_URL!)) });
 * ```
 */
export function createRedisIdempotencyStore(options: RedisIdempotencyStoreOptions): IdempotencyStore {
  const factory = 'createRedisIdempotencyStore';
  const client = requireRedisClient(factory, options);
  const prefix =
    options.prefix === undefined
      ? 'bookingkit:idempotency:'
      : checkStringOption('prefix', options.prefix, 200, { factory });
  // Encoding both parts keeps (tenant "a:b", key "c") and (tenant "a", key "b:c") apart.
  const redisKey = (scope: IdempotencyScope): string => {
    const { tenantId, key } = checkScope(scope);
    return `${prefix}${encodeURIComponent(tenantId)}:${encodeURIComponent(key)}`;
  };

  /** Runs a script; returns its status and the stored value it reported, raising corrupt values. */
  const run = async (
    script: RedisScript,
    key: string,
    args: readonly (string | number)[],
  ): Promise<[string, string]> => {
    const reply = await runScript(client, script, [key], args);
    const [status, raw] = (Array.isArray(reply) ? reply : []) as unknown[];
    const value = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
    if (status === 'wrongtype') throw corrupt(key, 'the key holds a Redis value that is not a string');
    if (status === 'corrupt') {
      parseRecord(key, value); // throws, naming what is wrong
      throw corrupt(key, 'the value is not a record of this store');
    }
    if (typeof status !== 'string') throw corrupt(key, `unexpected script reply ${JSON.stringify(reply)}`);
    return [status, value];
  };

  return {
    async begin(scope: IdempotencyScope, opts: IdempotencyBeginOptions): Promise<IdempotencyBeginResult> {
      throwIfAborted(opts.signal);
      checkClaim(opts);
      const key = redisKey(scope);
      const token = randomUUID();
      const lockExpiresAt = opts.now + opts.lockTtlMs;
      const value = claimValue(token, lockExpiresAt, opts.now + opts.ttlMs, opts.fingerprint);
      // A key seen for the first time is claimed by a plain SET NX; only a key in the way needs the script.
      if ((await client.command('SET', [key, value, 'PX', opts.ttlMs, 'NX'])) === 'OK') {
        return { status: 'new', token, lockExpiresAt };
      }
      const [status, raw] = await run(BEGIN, key, [opts.now, value, opts.ttlMs]);
      if (status === 'new') return { status: 'new', token, lockExpiresAt };
      return answerFor(parseRecord(key, raw), opts.fingerprint);
    },

    async complete(scope: IdempotencyScope, opts: IdempotencyCompleteOptions): Promise<boolean> {
      throwIfAborted(opts.signal);
      checkSettle(opts);
      const result = encodeResult(opts.result);
      const [status] = await run(COMPLETE, redisKey(scope), [opts.now, claimHead(opts.token), result]);
      return status === 'done';
    },

    async release(scope: IdempotencyScope, opts: IdempotencyReleaseOptions): Promise<boolean> {
      throwIfAborted(opts.signal);
      checkSettle(opts);
      const [status] = await run(RELEASE, redisKey(scope), [opts.now, claimHead(opts.token)]);
      return status === 'done';
    },
  };
}

function corrupt(key: string, problem: string): CorruptRecordError {
  return new CorruptRecordError({ store: STORE, key, problem });
}

function parseRecord(key: string, raw: string): z.infer<typeof RedisRecord> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new CorruptRecordError({ store: STORE, key, problem: 'the value is not JSON' }, { cause: error });
  }
  const parsed = RedisRecord.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new CorruptRecordError(
    { store: STORE, key, problem: formatValidationIssues(toValidationIssues(parsed.error.issues)) },
    { cause: parsed.error },
  );
}
