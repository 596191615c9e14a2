import { createHash } from 'node:crypto';
import { requireOption } from '../../util/options.js';

/** A value Redis accepts as a command argument. */
export type RedisArgument = string | number | Buffer;

/**
 * The one method bookingkit needs from a Redis driver: send a command, get its reply. Owned by
 * bookingkit so that any driver fits; {@link ioredisClient} adapts ioredis.
 *
 * @example
 * ```ts
 * declare const nodeRedis: { sendCommand(args: string[]): Promise<unknown> };
 * // ---cut---
 * const client: RedisClient = { command: (name, args) => nodeRedis.sendCommand([name, ...args.map(String)]) };
 * ```
 */
export interface RedisClient {
  /** Sends `name` with `args`; resolves with the raw reply, rejects with the server's error. */
  command(name: string, args: readonly RedisArgument[]): Promise<unknown>;
}

/** The part of an ioredis connection that {@link ioredisClient} uses. */
export interface IoredisLike {
  call(command: string, ...args: RedisArgument[]): Promise<unknown>;
}

/**
 * Adapts an ioredis connection (or cluster) to {@link RedisClient}.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { ioredisClient, createRedisIdempotencyStore } from 'bookingkit/redis';
 * const client = ioredisClient(new Redis(process.env.REDIS_URL!));
 * ```
 */
export function ioredisClient(redis: IoredisLike): RedisClient {
  requireOption(
    'ioredisClient',
    { redis },
    'redis',
    'an ioredis connection, e.g. new Redis(url)',
    (value) => typeof (value as Partial<IoredisLike>).call === 'function',
  );
  return { command: (name, args) => redis.call(name, ...args) };
}

/** A Lua script with its SHA1, run by {@link runScript}. */
export interface RedisScript {
  readonly source: string;
  readonly sha1: string;
}

/**
 * Prepares a Lua script once (computes its SHA1 for `EVALSHA`).
 *
 * @example
 * ```ts
 * const incrementIfBelow = defineScript(`...lua...`);
 * ```
 */
export function defineScript(source: string): RedisScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

/**
 * Runs a script atomically with `EVALSHA`, loading it with `EVAL` the first time a server has
 * not seen it (`NOSCRIPT`), so each round trip after the first sends only the hash.
 *
 * @example
 * ```ts
 * declare const client: RedisClient;
 * declare const incrementIfBelow: RedisScript;
 * // ---cut---
 * const reply = await runScript(client, incrementIfBelow, ['counter:key'], [10]);
 * ```
 */
export async function runScript(
  client: RedisClient,
  script: RedisScript,
  keys: readonly string[],
  args: readonly RedisArgument[],
): Promise<unknown> {
  try {
    return await client.command('EVALSHA', [script.sha1, keys.length, ...keys, ...args]);
  } catch (error) {
    if (!String((error as { message?: unknown })?.message ?? error).includes('NOSCRIPT')) throw error;
    return client.command('EVAL', [script.source, keys.length, ...keys, ...args]);
  }
}
