import { abortReason, onAbort, throwIfAborted } from '../util/abort.js';
import { toLogged } from './log-values.js';
import { runAttempt, runSignal, type AttemptOutcome } from './run-attempt.js';
import type { SagaRunDeps, RunnableSaga } from './saga-run.js';
import type { SagaJoin } from './coordinator-types.js';
import type { SagaRecord } from './saga-store.js';
import { NonRetryableError, StepTimeoutError } from './step-errors.js';
import { completeStep, isFinalState } from './transitions.js';

/** How a local start ended. @internal */
export type LocalStart =
  /** The saga was created with its first step done, in the transaction of that step's effect. */
  | { readonly kind: 'started'; readonly record: SagaRecord }
  /** The first attempt of the first step failed; nothing was written. */
  | { readonly kind: 'failed'; readonly outcome: AttemptOutcome & { readonly ok: false } }
  /** The transactions do not carry the saga store; nothing was written. */
  | { readonly kind: 'not_joined' }
  /** A saga with this id exists; nothing was written. */
  | { readonly kind: 'exists' }
  /** The caller's `join.start` threw (its error); nothing was written. */
  | { readonly kind: 'refused'; readonly error: unknown };

/** Thrown inside the transaction to roll it back; never leaves this module. */
class RollBack extends Error {}
class JoinRefused extends RollBack {}
const NOT_JOINED = new RollBack('the transactions do not carry the saga store');
const EXISTS = new RollBack('a saga with this id exists');

/**
 * Starts a saga whose first step is local in one transaction: the step's effect and the new
 * saga record, with that step already completed, commit together. A crash before the commit
 * leaves nothing behind, so the caller starting again simply starts anew.
 *
 * @param fresh The initial record (first step started, lease taken).
 * @internal
 */
export async function startLocally(
  deps: SagaRunDeps,
  saga: RunnableSaga,
  fresh: SagaRecord,
  signal: AbortSignal | undefined,
  join: SagaJoin | undefined,
): Promise<LocalStart> {
  const { clock, owner, leaseMs, transactions } = deps;
  const step = saga.steps[0]!;
  const controller = new AbortController();
  const unlink = onAbort(signal, () => controller.abort(abortReason(signal!)));
  const timeoutError = () =>
    new StepTimeoutError({
      sagaId: fresh.id,
      saga: fresh.name,
      step: step.name,
      timeoutMs: step.timeoutMs ?? 0,
      attempt: 1,
      compensation: false,
    });
  try {
    const outcome = await runAttempt(
      clock,
      runSignal(controller.signal),
      (stepSignal) =>
        transactions!.run(
          async (tx) => {
            if (!tx.sagas) throw NOT_JOINED;
            if (join?.start) {
              try {
                await join.start(tx as never);
              } catch (error) {
                throw new JoinRefused('join.start refused the saga', { cause: error });
              }
            }
            const value = await step.run({
              sagaId: fresh.id,
              saga: fresh.name,
              tenantId: fresh.tenantId,
              input: fresh.input,
              results: {},
              signal: stepSignal,
              attempt: 1,
              tx,
            } as Parameters<typeof step.run>[0]);
            let output;
            try {
              output = toLogged(value, `output of step "${step.name}" of saga "${saga.name}"`);
            } catch (error) {
              throw new NonRetryableError(error);
            }
            // An attempt abandoned (timed out, aborted) must not record anything.
            throwIfAborted(stepSignal);
            const now = clock.now();
            const done = completeStep(fresh, 0, output, now);
            const final = isFinalState(done.state);
            const record: SagaRecord = {
              ...done,
              leaseOwner: final ? null : owner,
              leaseExpiresAt: final ? null : now + leaseMs,
              updatedAt: now,
            };
            const created = await tx.sagas.create(record, { signal: stepSignal });
            if (!created.created) throw EXISTS;
            if (record.state === 'completed') await join?.end?.(tx as never, created.record);
            return created.record;
          },
          { signal: stepSignal },
        ),
      step.timeoutMs,
      timeoutError,
    );
    if (outcome.ok) return { kind: 'started', record: outcome.value as SagaRecord };
    if (outcome.error === NOT_JOINED) return { kind: 'not_joined' };
    if (outcome.error === EXISTS) return { kind: 'exists' };
    if (outcome.error instanceof JoinRefused) return { kind: 'refused', error: outcome.error.cause };
    return { kind: 'failed', outcome };
  } finally {
    unlink();
  }
}
