import { describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import type { RateLimiter } from '../../calcom/client/rate-limiter.js';
import type { RedisClient } from './redis-client.js';
import { createRedisRateLimiter } from './redis-rate-limiter.js';

/** Records commands and answers the take script with `reply`. */
function recordingClient(reply: unknown): {
  client: RedisClient;
  commands: { name: string; args: readonly unknown[] }[];
} {
  const commands: { name: string; args: readonly unknown[] }[] = [];
  return { commands, client: { command: async (name, args) => (commands.push({ name, args }), reply) } };
}

describe('createRedisRateLimiter (against a recording client)', () => {
  it('is a RateLimiter of the Cal.com client', () => {
    const limiter: RateLimiter = createRedisRateLimiter({ client: recordingClient([1, 0]).client });
    expect(typeof limiter.take).toBe('function');
  });

  it('keeps both keys of one limiter key in one hash slot and sends the limit and window', async () => {
    const { client, commands } = recordingClient([1, 0]);
    const limiter = createRedisRateLimiter({ client, limit: 7, windowMs: 1_000, prefix: 'p:' });
    expect(await limiter.take('abc')).toEqual({ allowed: true, retryAfterMs: 0 });
    expect(commands[0]?.name).toBe('EVALSHA');
    expect(commands[0]?.args.slice(1, 6)).toEqual([2, 'p:{abc}:window', 'p:{abc}:pause', 7, 1_000]);
  });

  it('reads a refusal and its wait, and refuses a reply it does not understand', async () => {
    expect(await createRedisRateLimiter({ client: recordingClient([0, 1234]).client }).take('k')).toEqual({
      allowed: false,
      retryAfterMs: 1234,
    });
    await expect(createRedisRateLimiter({ client: recordingClient('OK').client }).take('k')).rejects.toThrow(
      /unexpected reply/,
    );
  });

  it('refuses bad options, naming them', () => {
    const { client } = recordingClient([1, 0]);
    for (const [option, value] of [
      ['limit', 0],
      ['windowMs', -5],
      ['prefix', ''],
    ] as const) {
      try {
        createRedisRateLimiter({ client, [option]: value });
        expect.fail(`accepted ${option}`);
      } catch (error) {
        expect(isInvalidOptionError(error) && error.context.option).toBe(option);
      }
    }
    expect(() => createRedisRateLimiter({} as never)).toThrow(/option "client" is required/);
  });
});
