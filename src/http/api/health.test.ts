import { describe, expect, it } from 'vitest';
import { createMemoryOutboxStore } from '../../adapters/memory/memory-outbox-store.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { createHealthHandlers } from './health.js';
import { breakerCheck, outboxLagCheck } from './readiness-checks.js';

const get = (path: string, method = 'GET') => new Request(`http://localhost${path}`, { method });

describe('createHealthHandlers', () => {
  it('answers /health with 200 whatever the checks say', async () => {
    const handlers = createHealthHandlers({ checks: { storage: () => Promise.reject(new Error('down')) } });
    const response = await handlers.handle(get('/health'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('answers /ready with 200 when every check passes', async () => {
    const handlers = createHealthHandlers({
      checks: { storage: async () => {}, redis: () => Promise.resolve({ ok: true }) },
    });
    const response = await handlers.handle(get('/ready'));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; checks: Record<string, { status: string }> };
    expect(body.status).toBe('ok');
    expect(Object.keys(body.checks).sort()).toEqual(['redis', 'storage']);
  });

  it('answers /ready with 503 naming the failing checks, without the messages of thrown errors', async () => {
    const handlers = createHealthHandlers({
      checks: {
        storage: async () => {},
        redis: () => Promise.reject(new Error('ECONNREFUSED 10.0.0.7:6379')),
        calendarBreaker: breakerCheck({ name: 'calendar', state: 'open' }),
      },
    });
    const response = await handlers.handle(get('/ready'));
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).not.toContain('10.0.0.7');
    const body = JSON.parse(text) as {
      failing: string[];
      checks: Record<string, { status: string; detail?: string }>;
    };
    expect(body.failing.sort()).toEqual(['calendarBreaker', 'redis']);
    expect(body.checks.calendarBreaker).toMatchObject({ status: 'fail', detail: 'breaker calendar is open' });
    expect(body.checks.storage?.status).toBe('ok');
  });

  it('fails a check that outlasts the timeout, and aborts its signal', async () => {
    const clock = createFakeClock();
    let aborted = false;
    const handlers = createHealthHandlers({
      clock,
      timeoutMs: 500,
      checks: {
        slow: (signal) =>
          new Promise<void>((resolve) => {
            signal.addEventListener('abort', () => {
              aborted = true;
              resolve();
            });
          }),
      },
    });
    const pending = handlers.ready(get('/ready'));
    await clock.advance(500);
    const response = await pending;
    expect(response.status).toBe(503);
    const body = (await response.json()) as { checks: { slow: { detail: string } } };
    expect(body.checks.slow.detail).toBe('timed out after 500 ms');
    expect(aborted).toBe(true);
  });

  it('fails the outbox check when the oldest pending message has waited longer than allowed', async () => {
    const clock = createFakeClock('2026-01-05T09:00:00.000Z');
    const store = createMemoryOutboxStore();
    const check = outboxLagCheck({ store, maxLagMs: 60_000, clock });
    const signal = new AbortController().signal;
    expect(await check(signal)).toEqual({ ok: true });
    await store.append([
      {
        eventId: 'e1',
        eventType: 'appointment.booked',
        listener: 'l',
        tenantId: 'acme',
        orderingKey: 'k',
        payload: '{}',
        availableAt: clock.now(),
      },
    ]);
    await clock.advance(30_000);
    expect(await check(signal)).toEqual({ ok: true });
    await clock.advance(31_000);
    expect(await check(signal)).toEqual({ ok: false, detail: 'outbox lag 61000 ms is over 60000 ms' });
  });

  it('answers 404 elsewhere and 405 for another method', async () => {
    const handlers = createHealthHandlers({ basePath: '/ops' });
    expect((await handlers.handle(get('/ops/health'))).status).toBe(200);
    expect((await handlers.handle(get('/health'))).status).toBe(404);
    const post = await handlers.handle(get('/ops/ready', 'POST'));
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
