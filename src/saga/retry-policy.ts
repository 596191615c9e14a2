import type { InvalidOptionDetails } from '../errors/invalid-option-error.js';
import { checkFunctionOption, numberOption, type NumberBounds } from '../util/options.js';
import { isNonRetryableError, isRetryableByDefault } from './step-errors.js';

/**
 * How a step's run (or its compensation) is retried: exponential backoff on the coordinator's
 * clock, `initialDelayMs * factor^(attempt - 1)` capped at `maxDelayMs`.
 */
export interface SagaRetryOptions {
  /** Runs in all, the first included; 1 disables retries. @default 3 for steps, 5 for compensations */
  readonly maxAttempts?: number;
  /** Wait before the first retry. @default 100 for steps, 1_000 for compensations */
  readonly initialDelayMs?: number;
  /** Growth of the wait per retry. @default 2 */
  readonly factor?: number;
  /** Longest wait between two attempts. @default 30_000 */
  readonly maxDelayMs?: number;
  /**
   * Decides whether a failure is worth another attempt (called only while attempts remain). A
   * `NonRetryableError` is never retried, whatever this says.
   * @default retries everything but `NonRetryableError`, `ValidationError` and `InvalidOptionError`
   */
  readonly shouldRetry?: (error: unknown, attempt: number) => boolean;
}

/** {@link SagaRetryOptions} with every default applied, as a step definition holds them. */
export interface SagaRetryPolicy {
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
  readonly shouldRetry: (error: unknown, attempt: number) => boolean;
}

/** @internal */
export const STEP_RETRY_DEFAULTS: Omit<SagaRetryPolicy, 'shouldRetry'> = Object.freeze({
  maxAttempts: 3,
  initialDelayMs: 100,
  factor: 2,
  maxDelayMs: 30_000,
});

/** @internal */
export const COMPENSATION_RETRY_DEFAULTS: Omit<SagaRetryPolicy, 'shouldRetry'> = Object.freeze({
  maxAttempts: 5,
  initialDelayMs: 1_000,
  factor: 2,
  maxDelayMs: 30_000,
});

/**
 * Validates retry options eagerly (messages name `prefix.option`, and `details.factory` when given)
 * and fills in the defaults.
 *
 * @internal
 */
export function toRetryPolicy(
  prefix: string,
  options: SagaRetryOptions | undefined,
  defaults: Omit<SagaRetryPolicy, 'shouldRetry'>,
  details: InvalidOptionDetails = {},
): SagaRetryPolicy {
  const given = options ?? {};
  checkFunctionOption(`${prefix}.shouldRetry`, given.shouldRetry, false, details);
  const custom = given.shouldRetry;
  const number = (option: keyof typeof defaults, bounds: NumberBounds): number =>
    numberOption(`${prefix}.${option}`, given[option], defaults[option], bounds, details);
  return Object.freeze({
    maxAttempts: number('maxAttempts', { integer: true, min: 1, max: 1_000 }),
    initialDelayMs: number('initialDelayMs', { max: 86_400_000 }),
    factor: number('factor', { min: 1, max: 100 }),
    maxDelayMs: number('maxDelayMs', { max: 86_400_000 }),
    shouldRetry: custom
      ? (error: unknown, attempt: number) => !isNonRetryableError(error) && custom(error, attempt)
      : isRetryableByDefault,
  });
}

/**
 * The wait before attempt `attempt + 1`, after attempt `attempt` failed.
 *
 * @internal
 */
export function retryDelay(policy: SagaRetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** Math.max(0, attempt - 1));
}
