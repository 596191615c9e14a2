import { describe, expect, it } from 'vitest';
import { createMemoryAvailabilityCache } from '../../adapters/memory/memory-availability-cache.js';
import { createMemoryCalendarProvider } from '../../adapters/memory/memory-calendar-provider.js';
import { createMemoryInvalidationHub } from '../../adapters/memory/memory-invalidation-broadcast.js';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { isValidationError } from '../../errors/validation-error.js';
import type { AvailabilityCache } from '../../ports/availability-cache.js';
import type { InvalidationBroadcast } from '../../ports/invalidation-broadcast.js';
import type { Logger } from '../../ports/logger.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { withCalendarFaults } from '../../testing/faulty-calendar-provider.js';
import { createAvailabilityService } from './availability-service.js';
import { createBroadcastingCache } from './broadcasting-cache.js';

const entry = { ttlMs: 60_000, tags: ['eventType:cut'] };

function errorLogger(): { logger: Logger; messages: string[] } {
  const messages: string[] = [];
  const log = (_: unknown, message?: string): void => void messages.push(message ?? '');
  return { logger: { trace: log, debug: log, info: log, warn: log, error: log }, messages };
}

async function twoInstances() {
  const clock = createFakeClock();
  const hub = createMemoryInvalidationHub();
  const a = createBroadcastingCache(createMemoryAvailabilityCache({ clock }), hub.connect());
  const b = createBroadcastingCache(createMemoryAvailabilityCache({ clock }), hub.connect());
  await Promise.all([a.ready, b.ready]);
  return { clock, hub, a, b };
}

describe('broadcasting cache', () => {
  it('drops an entry on every instance when one of them invalidates it', async () => {
    const { a, b } = await twoInstances();
    await a.set('t', 'slots:cut:2026-01-06', ['a'], entry);
    await b.set('t', 'slots:cut:2026-01-06', ['b'], entry);
    await b.set('t', 'slots:other', ['kept'], { ttlMs: 60_000, tags: ['eventType:other'] });
    await b.set('t2', 'slots:cut:2026-01-06', ['other tenant'], entry);
    await a.invalidateTags('t', ['eventType:cut']);
    expect(await a.get('t', 'slots:cut:2026-01-06')).toBeUndefined();
    expect(await b.get('t', 'slots:cut:2026-01-06')).toBeUndefined();
    expect(await b.get('t', 'slots:other')).toEqual(['kept']);
    expect(await b.get('t2', 'slots:cut:2026-01-06')).toEqual(['other tenant']);
  });

  it('lets two availability services behind their own memory caches see each other’s invalidations', async () => {
    const { clock, a, b } = await twoInstances();
    const hours = [{ start: '09:00', end: '12:00' }];
    const memory = createMemoryCalendarProvider({
      clock,
      eventTypes: [
        { tenantId: 't', id: 'cut', durationMinutes: 60, timeZone: 'UTC', weeklyHours: { tuesday: hours } },
      ],
    });
    const calendar = withCalendarFaults(memory);
    const first = createAvailabilityService({ calendar, cache: a, clock, ttlMs: 60_000 });
    const second = createAvailabilityService({ calendar, cache: b, clock, ttlMs: 60_000 });
    const tuesday = { start: '2026-01-06T00:00:00.000Z', end: '2026-01-07T00:00:00.000Z' };
    await first.getSlots('t', 'cut', tuesday);
    await second.getSlots('t', 'cut', tuesday);
    expect(calendar.calls('getAvailableSlots')).toBe(2);
    await first.invalidate('t', 'cut', {
      start: '2026-01-06T10:00:00.000Z',
      end: '2026-01-06T11:00:00.000Z',
    });
    await second.getSlots('t', 'cut', tuesday);
    expect(calendar.calls('getAvailableSlots')).toBe(3);
  });

  it('stops hearing other instances once disposed', async () => {
    const { a, b } = await twoInstances();
    b.dispose();
    b.dispose();
    await b.set('t', 'k', 1, entry);
    await a.invalidateTags('t', ['eventType:cut']);
    expect(await b.get('t', 'k')).toBe(1);
  });

  it('rejects when publishing fails, after dropping the local entries, so a durable caller retries', async () => {
    const down: InvalidationBroadcast = {
      publish: () => Promise.reject(new Error('redis down')),
      subscribe: () => Promise.resolve({ dispose() {}, [Symbol.dispose]() {} }),
    };
    const cache = createBroadcastingCache(createMemoryAvailabilityCache(), down);
    await cache.set('t', 'k', 1, entry);
    await expect(cache.invalidateTags('t', ['eventType:cut'])).rejects.toThrow('redis down');
    expect(await cache.get('t', 'k')).toBeUndefined();
  });

  it('logs, and survives, an invalidation it cannot apply and a subscription that fails', async () => {
    const { logger, messages } = errorLogger();
    const hub = createMemoryInvalidationHub();
    const failing: AvailabilityCache = {
      ...createMemoryAvailabilityCache(),
      invalidateTags: () => Promise.reject(new Error('boom')),
    };
    const broken = createBroadcastingCache(failing, hub.connect(), { logger });
    const healthy = createBroadcastingCache(createMemoryAvailabilityCache(), hub.connect());
    await Promise.all([broken.ready, healthy.ready]);
    await healthy.invalidateTags('t', ['eventType:cut']);
    expect(messages).toEqual(['could not apply an invalidation from another instance']);
    const refused: InvalidationBroadcast = {
      publish: () => Promise.resolve(),
      subscribe: () => Promise.reject(new Error('no pubsub')),
    };
    const lonely = createBroadcastingCache(createMemoryAvailabilityCache(), refused, { logger });
    await expect(lonely.ready).rejects.toThrow('no pubsub');
    await lonely.set('t', 'k', 1, entry);
    expect(await lonely.get('t', 'k')).toBe(1);
  });

  it('rejects a missing cache or broadcast, and an empty invalidation on the hub', async () => {
    const hub = createMemoryInvalidationHub();
    expect(() => createBroadcastingCache(undefined as never, hub.connect())).toThrow(
      /^createBroadcastingCache: option "cache" is required/,
    );
    let caught: unknown;
    try {
      createBroadcastingCache(createMemoryAvailabilityCache(), {} as never);
    } catch (error) {
      caught = error;
    }
    expect(isInvalidOptionError(caught)).toBe(true);
    const bad = await hub
      .connect()
      .publish('', ['x'])
      .catch((e: unknown) => e);
    expect(isValidationError(bad) && bad.context.issues[0]?.path).toBe('tenantId');
  });
});
