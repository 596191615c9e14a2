import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  checkInvalidation,
  InvalidationMessageSchema,
} from '../../booking/availability/invalidation-message.js';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import type { InvalidationBroadcast, InvalidationHandler } from '../../ports/invalidation-broadcast.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { toDisposable } from '../../util/disposable.js';
import { checkStringOption, requireOption } from '../../util/options.js';
import { requireRedisClient } from './redis-options.js';
import type { RedisClient } from './redis-client.js';

/**
 * What {@link createRedisInvalidationBroadcast} needs to listen on a Redis channel. A connection
 * in subscriber mode can run no other command, so this must be a dedicated connection, not the
 * one given as `client`. {@link ioredisSubscriber} adapts ioredis.
 */
export interface RedisSubscriber {
  /**
   * Subscribes to `channel`; `onMessage` receives each message's text. Resolves once the server
   * confirmed the subscription, with a function that ends it.
   */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>>;
}

/** The part of an ioredis connection that {@link ioredisSubscriber} uses. */
export interface IoredisSubscriberLike {
  subscribe(...channels: string[]): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  off(event: 'message', listener: (channel: string, message: string) => void): unknown;
}

/**
 * Adapts a dedicated ioredis connection to {@link RedisSubscriber}. Several subscriptions may
 * share the connection: a channel is unsubscribed when its last subscription ends. ioredis
 * subscribes again by itself after a reconnect.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const subscriber = ioredisSubscriber(new Redis(process.env.REDIS_URL!));
 * ```
 */
export function ioredisSubscriber(redis: IoredisSubscriberLike): RedisSubscriber {
  requireOption(
    'ioredisSubscriber',
    { redis },
    'redis',
    'a dedicated ioredis connection, e.g. new Redis(url)',
    (value) => {
      const connection = value as Partial<IoredisSubscriberLike>;
      return typeof connection.subscribe === 'function' && typeof connection.on === 'function';
    },
  );
  const refs = new Map<string, number>();
  return {
    async subscribe(channel, onMessage) {
      const listener = (from: string, message: string): void => {
        if (from === channel) onMessage(message);
      };
      redis.on('message', listener);
      refs.set(channel, (refs.get(channel) ?? 0) + 1);
      const release = async (): Promise<void> => {
        redis.off('message', listener);
        const left = (refs.get(channel) ?? 1) - 1;
        if (left > 0) {
          refs.set(channel, left);
          return;
        }
        refs.delete(channel);
        await redis.unsubscribe(channel);
      };
      try {
        await redis.subscribe(channel);
      } catch (error) {
        await release().catch(() => undefined);
        throw error;
      }
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await release();
      };
    },
  };
}

/** Options of {@link createRedisInvalidationBroadcast}. */
export interface RedisInvalidationBroadcastOptions {
  /** Connection that publishes. */
  readonly client: RedisClient;
  /** Dedicated connection that listens (see {@link RedisSubscriber}). */
  readonly subscriber: RedisSubscriber;
  /** Pub/sub channel shared by every instance. @default 'bookingkit:cache-invalidations' */
  readonly channel?: string;
  /** Identity of this instance; its own messages are ignored. @default a random UUID */
  readonly instanceId?: string;
  /** Where malformed messages and failing handlers are reported. @default silentLogger */
  readonly logger?: Logger;
}

const WireMessage = InvalidationMessageSchema.extend({ v: z.literal(1), from: z.string().min(1) });

/**
 * Creates an {@link InvalidationBroadcast} over Redis pub/sub, so per-process caches on several
 * instances drop entries together. Pub/sub is fire-and-forget: an instance disconnected when a
 * message is published misses it and keeps the entry until its TTL ends.
 *
 * @throws `InvalidOptionError` for a missing client or subscriber, or a bad option.
 * @example
 * ```ts
 * declare const url: string;
 * // ---cut---
 * import { Redis } from 'ioredis';
 * const broadcast = createRedisInvalidationBroadcast({
 *   client: ioredisClient(new Redis(url)),
 *   subscriber: ioredisSubscriber(new Redis(url)),
 * });
 * const cache = createBroadcastingCache(createMemoryAvailabilityCache(), broadcast);
 * ```
 */
export function createRedisInvalidationBroadcast(
  options: RedisInvalidationBroadcastOptions,
): InvalidationBroadcast {
  const factory = 'createRedisInvalidationBroadcast';
  const client = requireRedisClient(factory, options);
  const subscriber = requireOption(
    factory,
    options,
    'subscriber',
    'a RedisSubscriber on a dedicated connection, e.g. ioredisSubscriber(new Redis(url))',
    (value) => typeof (value as Partial<RedisSubscriber>).subscribe === 'function',
  );
  const channel =
    options.channel === undefined
      ? 'bookingkit:cache-invalidations'
      : checkStringOption('channel', options.channel, 200, { factory });
  const instanceId =
    options.instanceId === undefined
      ? randomUUID()
      : checkStringOption('instanceId', options.instanceId, 200, { factory });
  const logger = options.logger ?? silentLogger;
  const handlers = new Set<InvalidationHandler>();
  let subscription: Promise<() => Promise<void>> | undefined;

  const onMessage = (text: string): void => {
    let parsed: z.infer<typeof WireMessage>;
    try {
      parsed = WireMessage.parse(JSON.parse(text));
    } catch (error) {
      logger.warn({ err: error, channel }, 'ignoring a malformed cache invalidation message');
      return;
    }
    if (parsed.from === instanceId) return;
    const message = { tenantId: parsed.tenantId, tags: parsed.tags };
    for (const handler of handlers) {
      void Promise.resolve()
        .then(() => handler(message))
        .catch((error: unknown) =>
          logger.error({ err: error, channel }, 'cache invalidation handler failed'),
        );
    }
  };

  return {
    async publish(tenantId, tags, opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      const message = checkInvalidation({ tenantId, tags: [...tags] });
      await client.command('PUBLISH', [channel, JSON.stringify({ v: 1, from: instanceId, ...message })]);
    },

    async subscribe(handler, opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      if (typeof handler !== 'function') throw new InvalidOptionError('handler', handler, 'a function');
      subscription ??= subscriber.subscribe(channel, onMessage);
      try {
        await subscription;
      } catch (error) {
        subscription = undefined;
        throw error;
      }
      const registered: InvalidationHandler = (message) => handler(message);
      handlers.add(registered);
      return toDisposable(() => {
        handlers.delete(registered);
        if (handlers.size > 0 || !subscription) return;
        const ending = subscription;
        subscription = undefined;
        void ending
          .then((unsubscribe) => unsubscribe())
          .catch((error: unknown) =>
            logger.warn({ err: error, channel }, 'could not unsubscribe from cache invalidations'),
          );
      });
    },
  };
}
