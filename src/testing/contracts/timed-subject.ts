import { createFakeClock, type FakeClock } from '../fake-clock.js';
import type { ContractSubject, ContractTestApi } from './test-api.js';

/** What a {@link TimedContractFactory} receives: the fake clock of the current test. */
export interface TimedContractContext {
  /** A fresh fake clock; give it to adapters whose time runs on a `Clock`. */
  readonly clock: FakeClock;
}

/**
 * A subject whose expiry the suite must be able to drive. Adapters on a `Clock` leave `advance`
 * out (the suite then advances the context's fake clock); adapters on a server's own time (Redis
 * `PX`) pass a real wait, and the suite keeps its short TTLs small (tens of milliseconds).
 */
export interface TimedContractSubject<T> extends ContractSubject<T> {
  /**
   * Lets `ms` milliseconds pass as the adapter sees time.
   * @default advances the context's fake clock by `ms`
   */
  readonly advance?: (ms: number) => Promise<void>;
}

/** Makes a fresh, empty adapter for each test of a suite that checks expiry (TTLs). */
export type TimedContractFactory<T> = (
  context: TimedContractContext,
) => Promise<TimedContractSubject<T> | T> | TimedContractSubject<T> | T;

/** The subject of the current test and how to let time pass for it. */
export interface TimedSubjectHandle<T> {
  readonly subject: () => T;
  readonly advance: (ms: number) => Promise<void>;
}

/**
 * Registers hooks that create a fresh timed subject (with a fresh fake clock) before each test
 * and clean it up after.
 *
 * @internal
 */
export function useTimedSubject<T>(
  api: ContractTestApi,
  factory: TimedContractFactory<T>,
): TimedSubjectHandle<T> {
  let current: (TimedContractSubject<T> & { readonly clock: FakeClock }) | undefined;
  api.beforeEach(async () => {
    const clock = createFakeClock();
    const made = await factory({ clock });
    current = isTimedSubject<T>(made) ? { ...made, clock } : { subject: made, clock };
  });
  api.afterEach(async () => {
    await current?.cleanup?.();
    current = undefined;
  });
  const use = (): TimedContractSubject<T> & { readonly clock: FakeClock } => {
    if (!current) throw new Error('contract subject used outside a test');
    return current;
  };
  return {
    subject: () => use().subject,
    advance: async (ms) => {
      const made = use();
      await (made.advance ? made.advance(ms) : made.clock.advance(ms));
    },
  };
}

const SUBJECT_KEYS = new Set(['subject', 'cleanup', 'advance']);

function isTimedSubject<T>(value: unknown): value is TimedContractSubject<T> {
  return (
    typeof value === 'object' &&
    value !== null &&
    'subject' in value &&
    Object.keys(value).every((k) => SUBJECT_KEYS.has(k))
  );
}
