import type { FakeClock } from '../../src/testing/fake-clock.js';

/**
 * Resolves `promise` while moving the fake clock `stepMs` at a time (at most `maxRounds` times, then
 * it waits for the promise as it is), yielding a real millisecond between moves so that I/O the clock does not drive makes progress: for waits on
 * the clock (a duplicate waiting for its twin, a retry's backoff).
 *
 * @example
 * ```ts
 * const answers = await settleOnClock(clock, Promise.all([deliver(), deliver()]));
 * ```
 */
export async function settleOnClock<T>(
  clock: FakeClock,
  promise: Promise<T>,
  { stepMs = 50, maxRounds = 2_000 }: { readonly stepMs?: number; readonly maxRounds?: number } = {},
): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => undefined);
  for (let round = 0; !done && round < maxRounds; round += 1) {
    await clock.advance(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return tracked;
}
