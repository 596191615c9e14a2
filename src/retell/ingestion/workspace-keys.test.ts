import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../testing/fake-clock.js';
import { createKeySource, lastPathSegment } from './workspace-keys.js';

const post = (path: string) => new Request(`https://x.example${path}`, { method: 'POST' });

describe('workspace keys', () => {
  it('serves the one key whatever the URL', async () => {
    const source = createKeySource({
      apiKey: 'key_one',
      routeKey: lastPathSegment,
      ttlMs: 0,
      max: 10,
      clock: createFakeClock(),
    });
    expect(await source(post('/'))).toEqual({ workspace: { apiKey: 'key_one', tenantIds: null } });
    expect(await source(post('/webhooks/retell/anything'))).toEqual({
      workspace: { apiKey: 'key_one', tenantIds: null },
    });
  });

  it('caches a resolved key for its time, never an unknown route key, and shares concurrent look-ups', async () => {
    const clock = createFakeClock();
    const keys = new Map([['ws_eu', 'key_eu']]);
    const asked: string[] = [];
    const source = createKeySource({
      apiKey: async (routeKey) => {
        asked.push(routeKey);
        await Promise.resolve();
        return keys.get(routeKey) ?? null;
      },
      routeKey: lastPathSegment,
      ttlMs: 60_000,
      max: 10,
      clock,
    });
    const [a, b] = await Promise.all([source(post('/r/ws_eu')), source(post('/r/ws_eu'))]);
    expect([a, b]).toEqual([
      { workspace: { apiKey: 'key_eu', tenantIds: null } },
      { workspace: { apiKey: 'key_eu', tenantIds: null } },
    ]);
    expect(await source(post('/r/ws_new'))).toEqual({ unknownRoute: 'ws_n…' });
    keys.set('ws_new', 'key_new');
    expect(await source(post('/r/ws_new'))).toEqual({ workspace: { apiKey: 'key_new', tenantIds: null } });
    keys.set('ws_eu', 'key_eu_rotated');
    expect(await source(post('/r/ws_eu'))).toEqual({ workspace: { apiKey: 'key_eu', tenantIds: null } });
    await clock.advance(60_000);
    expect(await source(post('/r/ws_eu'))).toEqual({
      workspace: { apiKey: 'key_eu_rotated', tenantIds: null },
    });
    expect(asked).toEqual(['ws_eu', 'ws_new', 'ws_new', 'ws_eu']);
  });

  it('takes a workspace that names its tenants, and refuses an answer that is neither', async () => {
    const answers: Record<string, unknown> = {
      ws_eu: { apiKey: 'key_eu', tenantIds: ['salon'] },
      ws_bad: { key: 'key_bad' },
    };
    const source = createKeySource({
      apiKey: (routeKey) => answers[routeKey] as never,
      routeKey: lastPathSegment,
      ttlMs: 0,
      max: 10,
      clock: createFakeClock(),
    });
    expect(await source(post('/r/ws_eu'))).toEqual({
      workspace: { apiKey: 'key_eu', tenantIds: new Set(['salon']) },
    });
    await expect(source(post('/r/ws_bad'))).rejects.toThrow(/apiKey/);
  });

  it('treats a request without a route key as an unknown route, without asking', async () => {
    let asked = 0;
    const source = createKeySource({
      apiKey: () => {
        asked += 1;
        return 'key';
      },
      routeKey: lastPathSegment,
      ttlMs: 0,
      max: 10,
      clock: createFakeClock(),
    });
    expect(await source(post('/'))).toEqual({ unknownRoute: null });
    expect(asked).toBe(0);
  });
});
