import { InvalidOptionError, isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { bulkhead, type BulkheadOptions } from '../../resilience/bulkhead.js';
import type { Policy } from '../../resilience/policy.js';
import { hasMethods } from '../../util/options.js';

/**
 * The default admission limits of one service instance.
 *
 * A command spends most of its time waiting on the calendar (100-500 ms) and holds a database
 * connection only for its short transactions (a few ms each), so 64 running commands keep about
 * a quarter of a 20-connection pool busy, leaving the rest for the relay and reads, and send the
 * calendar at most 64 requests at once. A queue as long as the running set makes an admitted
 * command wait at most about one service time, so it answers within about twice the service time
 * even under overload; every command beyond that is refused at once, and a refused caller is asked
 * to come back after about one slow calendar call (1 s).
 *
 * @internal
 */
export const ADMISSION_DEFAULTS: Readonly<Required<BulkheadOptions>> = Object.freeze({
  maxConcurrent: 64,
  maxQueue: 64,
  retryAfterMs: 1_000,
});

const EXPECTED =
  'an object { maxConcurrent?, maxQueue?, retryAfterMs? }, a Policy (an object with execute()), or false';

/**
 * The admission policy for the `admission` option of `factory`: a bulkhead with
 * {@link ADMISSION_DEFAULTS} for what is not given, the caller's policy, or `undefined` for `false`.
 *
 * @throws {@link InvalidOptionError} naming `factory` and `admission.<option>` for a bad value.
 * @internal
 */
export function admissionPolicy(admission: unknown, factory: string): Policy | undefined {
  if (admission === false) return undefined;
  if (admission === undefined) return bulkhead(ADMISSION_DEFAULTS);
  if (typeof admission !== 'object' || admission === null || Array.isArray(admission)) {
    throw new InvalidOptionError('admission', admission, EXPECTED, { factory });
  }
  if (hasMethods('execute')(admission)) return admission as Policy;
  const { maxConcurrent, maxQueue, retryAfterMs } = admission as BulkheadOptions;
  try {
    return bulkhead({
      maxConcurrent: maxConcurrent ?? ADMISSION_DEFAULTS.maxConcurrent,
      maxQueue: maxQueue ?? ADMISSION_DEFAULTS.maxQueue,
      retryAfterMs: retryAfterMs ?? ADMISSION_DEFAULTS.retryAfterMs,
    });
  } catch (error) {
    if (!isInvalidOptionError(error)) throw error;
    const { option, value, expected } = error.context;
    throw new InvalidOptionError(`admission.${option}`, value, expected, { factory });
  }
}
