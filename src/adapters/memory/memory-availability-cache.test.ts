import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { availabilityCacheContract } from '../../testing/contracts/availability-cache.contract.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { createMemoryAvailabilityCache } from './memory-availability-cache.js';

availabilityCacheContract({ describe, it, beforeEach, afterEach }, 'memory', ({ clock }) =>
  createMemoryAvailabilityCache({ clock }),
);

describe('createMemoryAvailabilityCache', () => {
  it('keeps an entry until its TTL has passed on the clock', async () => {
    const clock = createFakeClock();
    const cache = createMemoryAvailabilityCache({ clock });
    await cache.set('tenant-a', 'slots', [1], { ttlMs: 1_000, tags: [] });
    await clock.advance(999);
    expect(await cache.get('tenant-a', 'slots')).toEqual([1]);
    await clock.advance(2);
    expect(await cache.get('tenant-a', 'slots')).toBeUndefined();
  });

  it('starts no timers of its own', async () => {
    const clock = createFakeClock();
    const cache = createMemoryAvailabilityCache({ clock });
    await cache.set('tenant-a', 'slots', [1], { ttlMs: 1_000, tags: ['t'] });
    expect(clock.pendingTimers).toBe(0);
  });

  it('evicts the least recently used entry beyond maxEntries, and its tags with it', async () => {
    const cache = createMemoryAvailabilityCache({ maxEntries: 2 });
    const entry = { ttlMs: 60_000, tags: ['day:1'] };
    await cache.set('tenant-a', 'a', 'a', entry);
    await cache.set('tenant-a', 'b', 'b', entry);
    await cache.get('tenant-a', 'a');
    await cache.set('tenant-a', 'c', 'c', { ttlMs: 60_000, tags: [] });
    expect(await cache.get('tenant-a', 'b')).toBeUndefined();
    expect(await cache.get('tenant-a', 'a')).toBe('a');
    await cache.invalidateTags('tenant-a', ['day:1']);
    expect(await cache.get('tenant-a', 'a')).toBeUndefined();
    expect(await cache.get('tenant-a', 'c')).toBe('c');
  });

  it('rejects tags that are not non-empty strings', async () => {
    const cache = createMemoryAvailabilityCache();
    const error: unknown = await cache
      .set('tenant-a', 'k', 1, { ttlMs: 1_000, tags: [''] })
      .catch((e: unknown) => e);
    expect(isInvalidOptionError(error) && error.context.option).toBe('tags');
  });

  it('validates its options eagerly', () => {
    expect(() => createMemoryAvailabilityCache({ maxEntries: 0 })).toThrow(
      /^createMemoryAvailabilityCache: option "maxEntries" must be an integer from 1/,
    );
  });
});
