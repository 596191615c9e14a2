import { requireOption } from '../../util/options.js';
import type { RedisClient } from './redis-client.js';

/**
 * The `client` option of a Redis adapter, checked: a missing options object, a missing client or
 * one without `command` throws an `InvalidOptionError` naming `factory` and `client`.
 *
 * @internal
 */
export function requireRedisClient(
  factory: string,
  options: { readonly client: RedisClient } | undefined,
): RedisClient {
  return requireOption(
    factory,
    options,
    'client',
    'a RedisClient, e.g. ioredisClient(new Redis(url))',
    (value) => typeof (value as Partial<RedisClient>).command === 'function',
  );
}
