import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockServiceContract } from '../../testing/contracts/lock.contract.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { createMemoryLockService } from './memory-lock-service.js';

lockServiceContract({ describe, it, beforeEach, afterEach }, 'memory', ({ clock }) =>
  createMemoryLockService({ clock }),
);

describe('createMemoryLockService', () => {
  it('holds a lease for exactly its TTL on the clock', async () => {
    const clock = createFakeClock();
    const locks = createMemoryLockService({ clock });
    expect(await locks.acquire('job', { ttlMs: 1_000 })).not.toBeNull();
    await clock.advance(999);
    expect(await locks.acquire('job', { ttlMs: 1_000 })).toBeNull();
    await clock.advance(1);
    expect(await locks.acquire('job', { ttlMs: 1_000 })).not.toBeNull();
  });

  it('starts no timers', async () => {
    const clock = createFakeClock();
    await createMemoryLockService({ clock }).acquire('job', { ttlMs: 1_000 });
    expect(clock.pendingTimers).toBe(0);
  });
});
