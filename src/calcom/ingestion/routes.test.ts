import { describe, expect, it } from 'vitest';
import { isValidationError } from '../../errors/validation-error.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { cacheRoutes, routeKeyFromPath, type CalcomWebhookRoute } from './routes.js';

const acme: CalcomWebhookRoute = { tenantId: 'acme', webhookSecret: 'whsec-acme' };

function counting(answer: (routeKey: string) => unknown) {
  const calls: string[] = [];
  const resolve = async (routeKey: string) => {
    calls.push(routeKey);
    await Promise.resolve();
    return answer(routeKey) as CalcomWebhookRoute | null;
  };
  return { calls, resolve };
}

describe('cacheRoutes', () => {
  it('resolves a route key once per TTL', async () => {
    const clock = createFakeClock();
    const { calls, resolve } = counting(() => acme);
    const routes = cacheRoutes(resolve, { ttlMs: 1_000, max: 10, clock });
    expect(await routes('rk_acme_0001', undefined)).toEqual(acme);
    expect(await routes('rk_acme_0001', undefined)).toEqual(acme);
    expect(calls).toHaveLength(1);
    await clock.advance(1_000);
    await routes('rk_acme_0001', undefined);
    expect(calls).toHaveLength(2);
  });

  it('shares one look-up between concurrent requests for a key', async () => {
    const { calls, resolve } = counting(() => acme);
    const routes = cacheRoutes(resolve, { ttlMs: 1_000, max: 10, clock: createFakeClock() });
    await Promise.all([routes('rk_1', undefined), routes('rk_1', undefined), routes('rk_1', undefined)]);
    expect(calls).toEqual(['rk_1']);
  });

  it('does not cache an unknown key, so a tenant added since is served at once', async () => {
    let known = false;
    const { calls, resolve } = counting(() => (known ? acme : null));
    const routes = cacheRoutes(resolve, { ttlMs: 60_000, max: 10, clock: createFakeClock() });
    expect(await routes('rk_new', undefined)).toBeNull();
    known = true;
    expect(await routes('rk_new', undefined)).toEqual(acme);
    expect(calls).toHaveLength(2);
  });

  it('asks every time with a TTL of 0', async () => {
    const { calls, resolve } = counting(() => acme);
    const routes = cacheRoutes(resolve, { ttlMs: 0, max: 10, clock: createFakeClock() });
    await routes('rk_1', undefined);
    await routes('rk_1', undefined);
    expect(calls).toHaveLength(2);
  });

  it('refuses a resolver answer that is not a route, naming the field', async () => {
    const { resolve } = counting(() => ({ tenantId: 'acme' }));
    const routes = cacheRoutes(resolve, { ttlMs: 1_000, max: 10, clock: createFakeClock() });
    const error: unknown = await routes('rk_1', undefined).catch((caught: unknown) => caught);
    expect(isValidationError(error)).toBe(true);
    expect(String(error)).toContain('webhookSecret');
  });
});

describe('routeKeyFromPath', () => {
  const key = (url: string) => routeKeyFromPath(new Request(url, { method: 'POST' }));

  it('reads the last path segment, decoded', () => {
    expect(key('https://x.example/webhooks/calcom/rk_3f9a')).toBe('rk_3f9a');
    expect(key('https://x.example/webhooks/calcom/rk%2B1/?a=1')).toBe('rk+1');
  });

  it('answers null for a path without a segment or one that does not decode', () => {
    expect(key('https://x.example/')).toBeNull();
    expect(key('https://x.example/webhooks/%E0%A4%A')).toBeNull();
  });
});
