import assert from 'node:assert/strict';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { isValidationError } from '../../errors/validation-error.js';
import type { AvailabilityCache } from '../../ports/availability-cache.js';
import { abortedSignal, rejectsWith } from './assertions.js';
import { refusesInvalidTenantIds } from './tenant-scope.js';
import type { ContractTestApi } from './test-api.js';
import { useTimedSubject, type TimedContractFactory } from './timed-subject.js';

/** A TTL short enough for adapters on real time (Redis) to wait out. */
const SHORT_TTL = 50;
/** A TTL no test outlives. */
const LONG_TTL = 60_000;
/** Extra wait past a short TTL, for adapters on real time. */
const MARGIN = 30;

const slots = [
  { start: '2026-01-05T09:00:00.000Z', end: '2026-01-05T09:30:00.000Z' },
  { start: '2026-01-05T10:00:00.000Z', end: '2026-01-05T10:30:00.000Z' },
];

/**
 * The {@link AvailabilityCache} contract: JSON values round-trip as copies, entries expire after
 * their TTL, keys and tags are scoped by tenant, and `invalidateTags` drops exactly the entries
 * that carry one of the tags now. The factory gets a fake clock; an adapter on real time
 * supplies `advance` (a real wait), and the suite keeps its short TTLs at 50 ms.
 *
 * @example
 * ```ts
 * import { describe, it, beforeEach, afterEach } from 'vitest';
 * import { availabilityCacheContract } from 'bookingkit/testing';
 * availabilityCacheContract({ describe, it, beforeEach, afterEach }, 'memory', ({ clock }) => createMemoryAvailabilityCache({ clock }));
 * ```
 */
export function availabilityCacheContract(
  api: ContractTestApi,
  name: string,
  factory: TimedContractFactory<AvailabilityCache>,
): void {
  api.describe(`AvailabilityCache contract: ${name}`, () => {
    const { subject: cache, advance } = useTimedSubject(api, factory);
    const entry = { ttlMs: LONG_TTL, tags: ['eventType:cut'] } as const;

    api.it('answers undefined for a key never set', async () => {
      assert.equal(await cache().get('tenant-a', 'slots:cut:2026-01-05'), undefined);
    });

    api.it('round-trips JSON values of every kind', async () => {
      const values: unknown[] = [
        slots,
        { nested: { list: [1, 'two', true, null] } },
        'text',
        42,
        0,
        false,
        null,
        [],
      ];
      for (const [i, value] of values.entries()) await cache().set('tenant-a', `k${i}`, value, entry);
      for (const [i, value] of values.entries())
        assert.deepEqual(await cache().get('tenant-a', `k${i}`), value, `value ${i}`);
    });

    api.it('returns copies: mutating a value after set or get does not change the cache', async () => {
      const value = structuredClone(slots);
      await cache().set('tenant-a', 'slots', value, entry);
      value.pop();
      const read = (await cache().get('tenant-a', 'slots')) as typeof slots;
      read.push({ start: 'x', end: 'y' });
      assert.deepEqual(await cache().get('tenant-a', 'slots'), slots);
    });

    api.it('replaces the value of a key set again', async () => {
      await cache().set('tenant-a', 'slots', slots, entry);
      await cache().set('tenant-a', 'slots', [], entry);
      assert.deepEqual(await cache().get('tenant-a', 'slots'), []);
    });

    api.it('scopes keys by tenant', async () => {
      await cache().set('tenant-a', 'slots', slots, entry);
      assert.equal(await cache().get('tenant-b', 'slots'), undefined);
      await cache().set('tenant-b', 'slots', ['b'], entry);
      assert.deepEqual(await cache().get('tenant-a', 'slots'), slots);
    });

    api.it('refuses a missing, empty or non-string tenant id in every method', async () => {
      await cache().set('tenant-a', 'slots', slots, entry);
      await refusesInvalidTenantIds((tenantId) => cache().get(tenantId, 'slots'));
      await refusesInvalidTenantIds((tenantId) => cache().set(tenantId, 'slots', ['other'], entry));
      await refusesInvalidTenantIds((tenantId) => cache().invalidateTags(tenantId, entry.tags));
      assert.deepEqual(await cache().get('tenant-a', 'slots'), slots);
    });

    api.it('does not confuse tenant and key boundaries', async () => {
      await cache().set('a:b', 'c', 'first', entry);
      await cache().set('a', 'b:c', 'second', entry);
      assert.equal(await cache().get('a:b', 'c'), 'first');
      assert.equal(await cache().get('a', 'b:c'), 'second');
    });

    api.it('expires an entry after its TTL, but not one with a longer TTL', async () => {
      await cache().set('tenant-a', 'short', slots, { ttlMs: SHORT_TTL, tags: [] });
      await cache().set('tenant-a', 'long', slots, { ttlMs: LONG_TTL, tags: [] });
      await advance(SHORT_TTL + MARGIN);
      assert.equal(await cache().get('tenant-a', 'short'), undefined);
      assert.deepEqual(await cache().get('tenant-a', 'long'), slots);
    });

    api.it('restarts the TTL when a key is set again', async () => {
      await cache().set('tenant-a', 'slots', slots, { ttlMs: SHORT_TTL, tags: [] });
      await cache().set('tenant-a', 'slots', slots, { ttlMs: LONG_TTL, tags: [] });
      await advance(SHORT_TTL + MARGIN);
      assert.deepEqual(await cache().get('tenant-a', 'slots'), slots);
    });

    api.it('drops every entry carrying any of the invalidated tags, and only those', async () => {
      await cache().set('tenant-a', 'cut', 1, {
        ttlMs: LONG_TTL,
        tags: ['eventType:cut', 'resource:host-1'],
      });
      await cache().set('tenant-a', 'color', 2, {
        ttlMs: LONG_TTL,
        tags: ['eventType:color', 'resource:host-1'],
      });
      await cache().set('tenant-a', 'nails', 3, {
        ttlMs: LONG_TTL,
        tags: ['eventType:nails', 'resource:host-2'],
      });
      await cache().set('tenant-a', 'untagged', 4, { ttlMs: LONG_TTL, tags: [] });
      await cache().invalidateTags('tenant-a', ['eventType:cut']);
      assert.equal(await cache().get('tenant-a', 'cut'), undefined);
      assert.equal(await cache().get('tenant-a', 'color'), 2);
      await cache().invalidateTags('tenant-a', ['resource:host-1', 'eventType:nails']);
      assert.equal(await cache().get('tenant-a', 'color'), undefined);
      assert.equal(await cache().get('tenant-a', 'nails'), undefined);
      assert.equal(await cache().get('tenant-a', 'untagged'), 4);
    });

    api.it('does not touch another tenant when invalidating a tag of the same name', async () => {
      await cache().set('tenant-a', 'slots', 'a', entry);
      await cache().set('tenant-b', 'slots', 'b', entry);
      await cache().invalidateTags('tenant-a', ['eventType:cut']);
      assert.equal(await cache().get('tenant-a', 'slots'), undefined);
      assert.equal(await cache().get('tenant-b', 'slots'), 'b');
    });

    api.it('judges tags by the latest set: a tag the entry no longer carries does not drop it', async () => {
      await cache().set('tenant-a', 'slots', 'old', { ttlMs: LONG_TTL, tags: ['eventType:cut'] });
      await cache().set('tenant-a', 'slots', 'new', { ttlMs: LONG_TTL, tags: ['eventType:color'] });
      await cache().invalidateTags('tenant-a', ['eventType:cut']);
      assert.equal(await cache().get('tenant-a', 'slots'), 'new');
      await cache().invalidateTags('tenant-a', ['eventType:color']);
      assert.equal(await cache().get('tenant-a', 'slots'), undefined);
    });

    api.it('keeps tagging entries set after an invalidation', async () => {
      await cache().invalidateTags('tenant-a', ['eventType:cut']);
      await cache().set('tenant-a', 'slots', 'fresh', entry);
      assert.equal(await cache().get('tenant-a', 'slots'), 'fresh');
      await cache().invalidateTags('tenant-a', ['eventType:cut']);
      assert.equal(await cache().get('tenant-a', 'slots'), undefined);
    });

    api.it('treats unknown tags and an empty tag list as nothing to do', async () => {
      await cache().set('tenant-a', 'slots', slots, entry);
      await cache().invalidateTags('tenant-a', ['eventType:unknown']);
      await cache().invalidateTags('tenant-a', []);
      assert.deepEqual(await cache().get('tenant-a', 'slots'), slots);
    });

    api.it('rejects a value that is not JSON-serialisable with a ValidationError', async () => {
      await rejectsWith(cache().set('tenant-a', 'k', undefined, entry), isValidationError, 'ValidationError');
      await rejectsWith(
        cache().set('tenant-a', 'k', { big: 10n }, entry),
        isValidationError,
        'ValidationError',
      );
      assert.equal(await cache().get('tenant-a', 'k'), undefined);
    });

    api.it('rejects a TTL that is not a positive integer with an InvalidOptionError', async () => {
      for (const ttlMs of [0, -1, 1.5, Number.NaN]) {
        const error = await rejectsWith(
          cache().set('tenant-a', 'k', 1, { ttlMs, tags: [] }),
          isInvalidOptionError,
          'InvalidOptionError',
        );
        assert.equal(error.context.option, 'ttlMs');
      }
    });

    api.it('rejects at once when the signal is already aborted', async () => {
      const signal = abortedSignal();
      await assert.rejects(cache().set('tenant-a', 'k', 1, { ...entry, signal }), /stop/);
      await assert.rejects(cache().get('tenant-a', 'k', { signal }), /stop/);
      await assert.rejects(cache().invalidateTags('tenant-a', ['eventType:cut'], { signal }), /stop/);
      assert.equal(await cache().get('tenant-a', 'k'), undefined);
    });
  });
}
