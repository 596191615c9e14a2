import { describe, expect, it } from 'vitest';
import { createMemorySagaStore } from '../adapters/memory/memory-saga-store.js';
import { createFakeClock } from '../testing/fake-clock.js';
import { createSagaCoordinator } from './coordinator.js';
import { defineSaga } from './define-saga.js';

/** Resolves when `signal` aborts: a step that only waits on its signal. */
const untilAborted = (signal: AbortSignal): Promise<never> =>
  new Promise<never>((_resolve, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
  );

describe('saga timers', () => {
  it('keeps a process alive for step timeouts and retry waits, never for lease renewal', async () => {
    const clock = createFakeClock(0);
    let attempts = 0;
    const saga = defineSaga<null>({ name: 'waits' }).step('slow', {
      run: ({ signal }) => {
        attempts += 1;
        return attempts === 1 ? untilAborted(signal) : 'done';
      },
      timeoutMs: 1_000,
      retry: { maxAttempts: 2, initialDelayMs: 500 },
      compensate: () => undefined,
    });
    const coordinator = createSagaCoordinator({
      store: createMemorySagaStore(),
      sagas: [saga],
      clock,
      leaseMs: 30_000,
    });
    const run = coordinator.start(saga, null);
    await clock.advance(0);
    expect([clock.pendingTimers, clock.backgroundTimers], 'step timeout and renewal').toEqual([2, 1]);
    await clock.advance(1_000);
    expect([clock.pendingTimers, clock.backgroundTimers], 'retry wait and renewal').toEqual([2, 1]);
    await clock.advance(500);
    await expect(run).resolves.toMatchObject({ output: { slow: 'done' } });
    expect(attempts).toBe(2);
    expect(clock.pendingTimers).toBe(0);
  });
});
