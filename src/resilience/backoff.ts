import { checkFunctionOption, checkNumberOption, numberOption } from '../util/options.js';

/**
 * How long to wait before attempt `n` (1 after the first failure, 2 after the second, ...). Used
 * by {@link retry} between attempts and by the circuit breaker for a growing open period.
 *
 * @example
 * ```ts
 * const backoff: Backoff = { delay: (n) => n * 1_000 }; // linear
 * ```
 */
export interface Backoff {
  /** Milliseconds to wait after the `n`-th failure (`n` ≥ 1). */
  delay(n: number): number;
}

/** Options of {@link exponentialBackoff}. */
export interface ExponentialBackoffOptions {
  /** The first delay, before jitter. @default 1_000 */
  readonly initialDelayMs?: number;
  /** No delay exceeds this (applied before jitter). @default 30_000 */
  readonly maxDelayMs?: number;
  /** Each delay is this many times the one before. @default 2 */
  readonly factor?: number;
  /**
   * Share of each delay that is randomised, from 0 (exact delays) to 1 ("full jitter": anywhere
   * from 0 to the delay). Jitter keeps many clients that failed together from retrying together.
   * @default 0.5
   */
  readonly jitter?: number;
  /** Source of randomness in [0, 1); replace it for deterministic tests. @default Math.random */
  readonly random?: () => number;
}

/**
 * Exponential backoff with jitter and a maximum delay: `initialDelayMs × factor^(n-1)`, capped at
 * `maxDelayMs`, of which a `jitter` share is randomised downwards.
 *
 * @throws {@link InvalidOptionError} for an option out of range.
 * @example
 * ```ts
 * const backoff = exponentialBackoff({ initialDelayMs: 200, maxDelayMs: 10_000 });
 * backoff.delay(1); // 100..200
 * backoff.delay(3); // 400..800
 * ```
 */
export function exponentialBackoff(options: ExponentialBackoffOptions = {}): Backoff {
  const details = { factory: 'exponentialBackoff' };
  const initialDelayMs = numberOption(
    'initialDelayMs',
    options.initialDelayMs,
    1_000,
    { max: 86_400_000 },
    details,
  );
  const maxDelayMs = numberOption(
    'maxDelayMs',
    options.maxDelayMs,
    Math.max(30_000, initialDelayMs),
    { min: initialDelayMs, max: 86_400_000 },
    details,
  );
  const factor = numberOption('factor', options.factor, 2, { min: 1, max: 100 }, details);
  const jitter = numberOption('jitter', options.jitter, 0.5, { max: 1 }, details);
  checkFunctionOption('random', options.random, false, details);
  const random = options.random ?? Math.random;
  return {
    delay(n: number): number {
      const base = Math.min(maxDelayMs, initialDelayMs * factor ** Math.max(0, n - 1));
      return Math.round(base - base * jitter * random());
    },
  };
}

/**
 * The same delay every time.
 *
 * @throws {@link InvalidOptionError} for a negative or non-finite delay.
 * @example
 * ```ts
 * const breaker = circuitBreaker({ openDuration: constantBackoff(30_000) });
 * ```
 */
export function constantBackoff(delayMs: number): Backoff {
  const delay = checkNumberOption('delayMs', delayMs, { max: 86_400_000 }, { factory: 'constantBackoff' });
  return { delay: () => delay };
}
