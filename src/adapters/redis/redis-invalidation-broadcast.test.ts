import { describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import type { InvalidationMessage } from '../../ports/invalidation-broadcast.js';
import type { Logger } from '../../ports/logger.js';
import type { RedisClient } from './redis-client.js';
import {
  createRedisInvalidationBroadcast,
  ioredisSubscriber,
  type IoredisSubscriberLike,
} from './redis-invalidation-broadcast.js';

/** A stand-in for one Redis server's pub/sub, with ioredis-shaped connections. */
function fakeServer() {
  const connections = new Set<{ channels: Set<string>; emit: (channel: string, message: string) => void }>();
  const commands: string[] = [];
  const client: RedisClient = {
    async command(name, args) {
      commands.push(name);
      if (name !== 'PUBLISH') throw new Error(`unexpected ${name}`);
      const [channel, message] = args.map(String) as [string, string];
      for (const connection of connections)
        if (connection.channels.has(channel)) connection.emit(channel, message);
      return 1;
    },
  };
  const connect = (): IoredisSubscriberLike & { channels: Set<string> } => {
    const listeners = new Set<(channel: string, message: string) => void>();
    const connection = {
      channels: new Set<string>(),
      emit: (channel: string, message: string) => listeners.forEach((listener) => listener(channel, message)),
    };
    connections.add(connection);
    return {
      channels: connection.channels,
      subscribe: async (...channels: string[]) => channels.forEach((c) => connection.channels.add(c)),
      unsubscribe: async (...channels: string[]) => channels.forEach((c) => connection.channels.delete(c)),
      on: (_event: 'message', listener: (channel: string, message: string) => void) =>
        listeners.add(listener),
      off: (_event: 'message', listener: (channel: string, message: string) => void) =>
        listeners.delete(listener),
    };
  };
  return { client, connect, commands };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Redis invalidation broadcast (against a stand-in server)', () => {
  it('delivers a published invalidation to every other instance, not back to the publisher', async () => {
    const server = fakeServer();
    const a = createRedisInvalidationBroadcast({
      client: server.client,
      subscriber: ioredisSubscriber(server.connect()),
    });
    const b = createRedisInvalidationBroadcast({
      client: server.client,
      subscriber: ioredisSubscriber(server.connect()),
    });
    const heardByA: InvalidationMessage[] = [];
    const heardByB: InvalidationMessage[] = [];
    await a.subscribe((message) => void heardByA.push(message));
    await b.subscribe((message) => void heardByB.push(message));
    await a.publish('t', ['eventType:cut']);
    await flush();
    expect(heardByB).toEqual([{ tenantId: 't', tags: ['eventType:cut'] }]);
    expect(heardByA).toEqual([]);
  });

  it('ignores malformed messages and keeps other handlers running when one throws', async () => {
    const server = fakeServer();
    const warnings: string[] = [];
    const log = (_: unknown, message?: string): void => void warnings.push(message ?? '');
    const logger = { trace: log, debug: log, info: log, warn: log, error: log } as Logger;
    const listener = createRedisInvalidationBroadcast({
      client: server.client,
      subscriber: ioredisSubscriber(server.connect()),
      logger,
    });
    const heard: InvalidationMessage[] = [];
    await listener.subscribe(() => {
      throw new Error('handler bug');
    });
    await listener.subscribe((message) => void heard.push(message));
    await server.client.command('PUBLISH', ['bookingkit:cache-invalidations', 'not json']);
    await server.client.command('PUBLISH', [
      'bookingkit:cache-invalidations',
      JSON.stringify({ v: 1, from: 'x', tenantId: 't', tags: [] }),
    ]);
    const other = createRedisInvalidationBroadcast({
      client: server.client,
      subscriber: ioredisSubscriber(server.connect()),
    });
    await other.publish('t', ['eventType:cut']);
    await flush();
    expect(heard).toEqual([{ tenantId: 't', tags: ['eventType:cut'] }]);
    expect(warnings).toEqual([
      'ignoring a malformed cache invalidation message',
      'ignoring a malformed cache invalidation message',
      'cache invalidation handler failed',
    ]);
  });

  it('shares one channel subscription per connection and ends it with the last handler', async () => {
    const server = fakeServer();
    const connection = server.connect();
    const subscriber = ioredisSubscriber(connection);
    const one = createRedisInvalidationBroadcast({ client: server.client, subscriber, channel: 'ch' });
    const two = createRedisInvalidationBroadcast({ client: server.client, subscriber, channel: 'ch' });
    const first = await one.subscribe(() => undefined);
    const second = await one.subscribe(() => undefined);
    const third = await two.subscribe(() => undefined);
    first.dispose();
    third.dispose();
    await flush();
    expect(connection.channels.has('ch')).toBe(true);
    second.dispose();
    await flush();
    expect(connection.channels.has('ch')).toBe(false);
  });

  it('rejects missing connections, bad options and an aborted signal', async () => {
    const server = fakeServer();
    const caught = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(
      isInvalidOptionError(
        caught(() => createRedisInvalidationBroadcast({ client: server.client } as never)),
      ),
    ).toBe(true);
    expect(
      isInvalidOptionError(
        caught(() =>
          createRedisInvalidationBroadcast({ subscriber: ioredisSubscriber(server.connect()) } as never),
        ),
      ),
    ).toBe(true);
    expect(isInvalidOptionError(caught(() => ioredisSubscriber({} as never)))).toBe(true);
    const broadcast = createRedisInvalidationBroadcast({
      client: server.client,
      subscriber: ioredisSubscriber(server.connect()),
      channel: 'c',
    });
    expect(
      caught(() =>
        createRedisInvalidationBroadcast({
          client: server.client,
          subscriber: ioredisSubscriber(server.connect()),
          channel: '',
        }),
      ),
    ).toBeDefined();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(broadcast.publish('t', ['x'], { signal: controller.signal })).rejects.toThrow('stop');
    await expect(broadcast.publish('t', [])).rejects.toThrow(/tags/);
    expect(server.commands).toEqual([]);
  });
});
