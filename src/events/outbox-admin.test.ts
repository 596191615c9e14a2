import { describe, expect, it } from 'vitest';
import { createOutboxAdmin } from './outbox-admin.js';
import { createMemoryOutboxStore } from '../adapters/memory/memory-outbox-store.js';
import { isInvalidOptionError } from '../errors/invalid-option-error.js';
import { createFakeClock } from '../testing/fake-clock.js';

const message = (eventId: string) => ({
  eventId,
  eventType: 'order.placed',
  listener: 'mail',
  tenantId: 'acme',
  orderingKey: `acme/order/${eventId}`,
  payload: '{}',
  availableAt: 0,
});

describe('createOutboxAdmin', () => {
  it('replays a dead letter, due at the admin clock, from attempt 1', async () => {
    const clock = createFakeClock(1_000);
    const store = createMemoryOutboxStore();
    await store.append([message('e1')]);
    const [claimed] = await store.claim({ owner: 'r', limit: 1, leaseMs: 100, now: clock.now() });
    await store.markFailed(claimed!.id, { owner: 'r', error: 'boom', retryAt: null, now: clock.now() });
    const admin = createOutboxAdmin({ store, clock });
    const dead = await admin.deadLetters({ listener: 'mail' });
    expect(dead.map((m) => m.eventId)).toEqual(['e1']);
    await clock.advance(5_000);
    expect(await admin.replay(dead.map((m) => m.id))).toBe(1);
    expect(await admin.deadLetters()).toEqual([]);
    const [again] = await store.claim({ owner: 'r', limit: 1, leaseMs: 100, now: clock.now() });
    expect(again).toMatchObject({ eventId: 'e1', attempts: 1, availableAt: 6_000 });
  });

  it('refuses a missing store, naming the factory and what to pass', () => {
    const error = (() => {
      try {
        createOutboxAdmin({} as never);
      } catch (caught) {
        return caught;
      }
    })();
    expect(isInvalidOptionError(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/^createOutboxAdmin: option "store" is required/);
  });

  it('refuses a negative age for purging delivered messages', async () => {
    const admin = createOutboxAdmin({ store: createMemoryOutboxStore() });
    await expect(admin.purgeDelivered({ olderThanMs: -1 })).rejects.toThrow(/olderThanMs/);
  });
});
