import { describe, expect, it } from 'vitest';
import type { InvalidationMessage } from '../../ports/invalidation-broadcast.js';
import { createMemoryInvalidationHub } from './memory-invalidation-broadcast.js';

describe('memory invalidation hub', () => {
  it('delivers to every other connected instance before publish resolves, never to the publisher', async () => {
    const hub = createMemoryInvalidationHub();
    const [a, b, c] = [hub.connect(), hub.connect(), hub.connect()];
    const heard: Record<string, InvalidationMessage[]> = { a: [], b: [], c: [] };
    await a.subscribe((m) => void heard.a!.push(m));
    await b.subscribe((m) => void heard.b!.push(m));
    await c.subscribe(async (m) => void heard.c!.push(m));
    await a.publish('t', ['eventType:cut']);
    expect(heard).toEqual({
      a: [],
      b: [{ tenantId: 't', tags: ['eventType:cut'] }],
      c: [{ tenantId: 't', tags: ['eventType:cut'] }],
    });
  });

  it('keeps delivering when a handler throws, and stops for a disposed subscription', async () => {
    const hub = createMemoryInvalidationHub();
    const [a, b] = [hub.connect(), hub.connect()];
    const heard: InvalidationMessage[] = [];
    await b.subscribe(() => {
      throw new Error('bug');
    });
    const subscription = await b.subscribe((m) => void heard.push(m));
    await a.publish('t', ['x']);
    subscription.dispose();
    await a.publish('t', ['y']);
    expect(heard.map((m) => m.tags)).toEqual([['x']]);
  });

  it('refuses an aborted signal and a missing handler', async () => {
    const hub = createMemoryInvalidationHub();
    const a = hub.connect();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(a.publish('t', ['x'], { signal: controller.signal })).rejects.toThrow('stop');
    await expect(a.subscribe(() => undefined, { signal: controller.signal })).rejects.toThrow('stop');
    await expect(a.subscribe(undefined as never)).rejects.toThrow(/Option "handler"/);
  });
});
