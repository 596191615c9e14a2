import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { numberOption } from '../util/options.js';
import type { Backoff } from './backoff.js';

/** How a vendor client retries its reads, as its `retry` option takes it. @internal */
export interface ReadRetryOptions {
  readonly maxAttempts?: number;
  readonly backoff?: Backoff;
  readonly maxRetryAfterMs?: number;
}

/**
 * Checks a vendor client's `retry` option and fills in the defaults: 3 attempts, `backoff`
 * when none is given, and waits for a 429 of up to a minute.
 *
 * @param details - Names the factory in errors, e.g. `{ factory: 'createRetellClient' }`.
 * @throws {@link InvalidOptionError} naming `retry.<field>` and the bad value.
 * @internal
 */
export function resolveReadRetry(
  retry: ReadRetryOptions | undefined,
  backoff: Backoff,
  details: { readonly factory: string },
): Required<ReadRetryOptions> {
  const given = retry ?? {};
  if (given.backoff !== undefined && typeof given.backoff?.delay !== 'function')
    throw new InvalidOptionError(
      'retry.backoff',
      given.backoff,
      'a Backoff, e.g. exponentialBackoff()',
      details,
    );
  return {
    maxAttempts: numberOption(
      'retry.maxAttempts',
      given.maxAttempts,
      3,
      { min: 1, max: 10, integer: true },
      details,
    ),
    backoff: given.backoff ?? backoff,
    maxRetryAfterMs: numberOption(
      'retry.maxRetryAfterMs',
      given.maxRetryAfterMs,
      60_000,
      { max: 3_600_000 },
      details,
    ),
  };
}
