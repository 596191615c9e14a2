import { AsyncLocalStorage } from 'node:async_hooks';
import { InvalidOptionError, isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { bulkhead, type Bulkhead, type BulkheadOptions } from '../../resilience/bulkhead.js';
import { contextFor, type ExecuteOptions, type Policy, type PolicyContext } from '../../resilience/policy.js';
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

/** An admission control, as {@link reentrantAdmission} makes it. @internal */
export interface Admission extends Policy {
  /**
   * Throws the refusal that a command sent now would get (`BulkheadRejectedError`: every slot
   * taken, the line full), without taking a slot; does nothing for a caller that this admission
   * admitted already, or when the policy cannot tell (one without `throwIfFull`, as a `Bulkhead`
   * has). A front end calls it before work of its own for a request (reading and validating the
   * body), so that under overload a refusal costs next to nothing.
   */
  throwIfFull(): void;
}

/** One admitted call that is still running, and the admitted calls it runs inside. */
interface AdmittedCall {
  /** The policy that admitted it (the one under the admission wrapper). */
  readonly policy: Policy;
  readonly outer: AdmittedCall | undefined;
  /** Cleared when the call ends: work it left behind is admitted again. */
  running: boolean;
}

/** The admitted calls the current async context runs inside. */
const admittedCalls = new AsyncLocalStorage<AdmittedCall>();
/** The admission of each policy, so that one policy has one admission whoever wraps it. */
const admissionOf = new WeakMap<Policy, Admission>();
const admissions = new WeakSet<Policy>();

function isAdmittedBy(policy: Policy): boolean {
  for (let call = admittedCalls.getStore(); call; call = call.outer) {
    if (call.running && call.policy === policy) return true;
  }
  return false;
}

/**
 * `policy` as an admission control that a caller can hold around more than the command: a call
 * made while an earlier call admitted by the same policy is still running (in its async context)
 * runs at once in that call's slot, instead of asking for a second one.
 *
 * This is what lets a front end admit a request before it does any work of its own for it: the
 * REST API admits a POST before it claims the request's `Idempotency-Key`, so that a refused
 * request writes nothing and answers 503 at once, and the command the request then sends to the
 * service passes the service's admission in the request's slot. Without it the request would hold
 * one slot and wait for a second: with every slot held by such requests, none could proceed (a
 * deadlock), and each request would count twice against the limit. The slot is the caller's only
 * while its call runs: work it leaves behind (a timer, a promise nobody awaits) is admitted
 * again, like any other caller.
 *
 * Wrapping is idempotent and shared: the same `policy` always gives the same admission, and an
 * admission is returned as it is.
 *
 * @internal
 */
export function reentrantAdmission(policy: Policy): Admission {
  if (admissions.has(policy)) return policy as Admission;
  const known = admissionOf.get(policy);
  if (known) return known;
  const { throwIfFull } = policy as Partial<Pick<Bulkhead, 'throwIfFull'>>;
  const admission: Admission = {
    throwIfFull() {
      if (typeof throwIfFull === 'function' && !isAdmittedBy(policy)) throwIfFull.call(policy);
    },
    async execute<T>(
      fn: (context: PolicyContext) => PromiseLike<T> | T,
      options: ExecuteOptions = {},
    ): Promise<T> {
      if (isAdmittedBy(policy)) return fn(contextFor(options.signal));
      return policy.execute<T>((context) => {
        const call: AdmittedCall = { policy, outer: admittedCalls.getStore(), running: true };
        return admittedCalls.run(call, async () => {
          try {
            return await fn(context);
          } finally {
            call.running = false;
          }
        });
      }, options);
    },
  };
  admissionOf.set(policy, admission);
  admissions.add(admission);
  return admission;
}

/**
 * The admission policy for the `admission` option of `factory`: a bulkhead with
 * {@link ADMISSION_DEFAULTS} for what is not given, the caller's policy, or `undefined` for `false`;
 * made re-entrant (see {@link reentrantAdmission}), so that a caller already admitted by it (the
 * REST API) sends its command in its own slot.
 *
 * @throws {@link InvalidOptionError} naming `factory` and `admission.<option>` for a bad value.
 * @internal
 */
export function admissionPolicy(admission: unknown, factory: string): Admission | undefined {
  if (admission === false) return undefined;
  if (admission === undefined) return reentrantAdmission(bulkhead(ADMISSION_DEFAULTS));
  if (typeof admission !== 'object' || admission === null || Array.isArray(admission)) {
    throw new InvalidOptionError('admission', admission, EXPECTED, { factory });
  }
  if (hasMethods('execute')(admission)) return reentrantAdmission(admission as Policy);
  const { maxConcurrent, maxQueue, retryAfterMs } = admission as BulkheadOptions;
  try {
    return reentrantAdmission(
      bulkhead({
        maxConcurrent: maxConcurrent ?? ADMISSION_DEFAULTS.maxConcurrent,
        maxQueue: maxQueue ?? ADMISSION_DEFAULTS.maxQueue,
        retryAfterMs: retryAfterMs ?? ADMISSION_DEFAULTS.retryAfterMs,
      }),
    );
  } catch (error) {
    if (!isInvalidOptionError(error)) throw error;
    const { option, value, expected } = error.context;
    throw new InvalidOptionError(`admission.${option}`, value, expected, { factory });
  }
}
