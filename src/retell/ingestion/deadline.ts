import type { Clock } from '../../ports/clock.js';

/** What a piece of work that missed its deadline resolves to. @internal */
export const LATE: unique symbol = Symbol('late');

/** A deadline that work is raced against. @internal */
export interface Deadline {
  /**
   * `work`'s value, or {@link LATE} when the deadline passes first. The work is not cancelled:
   * it goes on (a listing it started can fill a cache for the next call).
   */
  race<T>(work: Promise<T>): Promise<T | typeof LATE>;
  /** Clears the timer once the answer is sent. */
  clear(): void;
}

/**
 * A deadline `ms` from now on `clock`; one timer, however many pieces of work race it. The timer
 * keeps the process alive: an answer waits on it.
 *
 * @internal
 */
export function createDeadline(clock: Clock, ms: number): Deadline {
  let fire!: () => void;
  const passed = new Promise<typeof LATE>((resolve) => {
    fire = () => resolve(LATE);
  });
  const timer = clock.setTimer(fire, ms);
  return {
    race: (work) => Promise.race([work, passed]),
    clear: () => timer.clear(),
  };
}
