import { isVersionConflictError } from '../errors/store-errors.js';
import { sleep, type Clock, type TimerHandle } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { JsonValue, SagaRecord, SagaStore } from './saga-store.js';
import { onAbort, abortReason, throwIfAborted } from '../util/abort.js';
import type { SagaStep } from './define-saga.js';
import { SagaDefinitionChangedError } from './definition-errors.js';
import { serializeError, toLogged } from './log-values.js';
import { retryDelay } from './retry-policy.js';
import { runAttempt, runSignal, type AttemptOutcome } from './run-attempt.js';
import { SagaLeaseLostError } from './saga-errors.js';
import { traceAttempt } from './saga-telemetry.js';
import type { SagaEvent } from './saga-events.js';
import { finalEvents } from './final-events.js';
import { NonRetryableError, StepInDoubtError, StepTimeoutError } from './step-errors.js';
import type { SagaJoin } from './coordinator-types.js';
import type { SagaTransactions } from './saga-transactions.js';
import * as t from './transitions.js';

/** What a saga run needs from its coordinator. @internal */
export interface SagaRunDeps {
  readonly store: SagaStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly owner: string;
  readonly leaseMs: number;
  readonly emit: (event: SagaEvent) => void;
  /** Opens the transactions of local steps; required when a saga has one. */
  readonly transactions: SagaTransactions | undefined;
}

/** Where a run starts: the step (or compensation) whose start this worker itself logged. @internal */
export interface OwnStart {
  readonly compensation: boolean;
  readonly index: number;
  /** The outcome of the step's first attempt, when it was already made (a local start that failed). */
  readonly outcome?: AttemptOutcome;
}

/** The definition as a run needs it. @internal */
export interface RunnableSaga {
  readonly name: string;
  readonly steps: readonly SagaStep[];
}

/** What one attempt of a local step answers: its logged output, and the record if it was written with it. */
interface LocalResult {
  readonly output: JsonValue;
  readonly saved: SagaRecord | null;
}

/** A finished run: the final record, and the live errors of failed steps by step name. @internal */
export interface SagaRunResult {
  readonly record: SagaRecord;
  readonly errors: ReadonlyMap<string, unknown>;
}

/**
 * Drives one saga, whose lease this worker holds, from its logged state to a final state. Every
 * transition is one store write, made before the next action; the lease is renewed by each write
 * and, during long steps, by a timer. `fresh` tells that the first step was started by this
 * worker (not found started in the log, where it would be in doubt).
 *
 * @throws {@link SagaLeaseLostError} when another worker took the saga over.
 * @throws the caller's abort reason, or a store error; the saga then stays live for recovery.
 * @internal
 */
export async function driveSaga(
  deps: SagaRunDeps,
  saga: RunnableSaga,
  claimed: SagaRecord,
  options: {
    readonly ownStart: OwnStart | null;
    readonly signal?: AbortSignal | undefined;
    /** The caller's writes to commit with the saga's completion. */
    readonly join?: SagaJoin | undefined;
  },
): Promise<SagaRunResult> {
  const { store, clock, logger, owner, leaseMs, emit, transactions } = deps;
  const run = new AbortController();
  const running = runSignal(run.signal);
  const unlinkCaller = onAbort(options.signal, () => run.abort(abortReason(options.signal!)));
  const errors = new Map<string, unknown>();
  const canCompensate = (index: number): boolean => saga.steps[index]?.compensate !== undefined;
  let current = claimed;
  /** The step run or compensation this worker itself logged as started, so it is not in doubt. */
  let ownStart: OwnStart | null = options.ownStart;
  let queue: Promise<unknown> = Promise.resolve();
  /** Changes made in memory (`defer`) since the last write began. */
  let deferred: Array<(record: SagaRecord) => SagaRecord> = [];
  let renewal: TimerHandle | undefined;

  const base = () => ({
    sagaId: current.id,
    saga: current.name,
    tenantId: current.tenantId,
    time: clock.now(),
  });

  const scheduleRenewal = (): void => {
    renewal?.clear();
    if (t.isFinalState(current.state)) return;
    renewal = clock.setTimer(
      () => {
        commit((record) => record).catch((error: unknown) => {
          if (!run.signal.aborted)
            logger.warn({ err: error, sagaId: current.id }, 'saga lease renewal failed; will try again');
        });
      },
      Math.max(1, Math.floor(leaseMs / 3)),
      // Renewal only guards the lease while the run's own work is pending; it awaits nothing.
      { background: true },
    );
  };

  /** Writes `change(current)` through `target` with a fresh lease; a version conflict means the lease is lost. */
  const write = async (
    target: SagaStore,
    change: (record: SagaRecord) => SagaRecord,
  ): Promise<SagaRecord> => {
    throwIfAborted(run.signal);
    const now = clock.now();
    // `current` holds every change deferred so far: this write carries them.
    deferred = [];
    const next = change(current);
    const final = t.isFinalState(next.state);
    const record = {
      ...next,
      leaseOwner: final ? null : owner,
      leaseExpiresAt: final ? null : now + leaseMs,
      updatedAt: now,
    };
    try {
      return await target.save(record, { owner, signal: options.signal });
    } catch (error) {
      if (!isVersionConflictError(error)) throw error;
      const lost = new SagaLeaseLostError(
        { sagaId: current.id, saga: current.name, owner },
        { cause: error },
      );
      run.abort(lost);
      throw lost;
    }
  };

  /** Runs `work` after the writes before it and before those after it (lease renewals included). */
  const serialised = <T>(work: () => Promise<T>): Promise<T> => {
    const turn = queue.then(work);
    queue = turn.catch(() => undefined);
    return turn;
  };

  /**
   * Takes `saved` (what a write stored) as the record, with the changes deferred while that write
   * was under way applied on top: a lease renewal that began before a deferral must not undo it.
   */
  const adopt = (saved: SagaRecord): void => {
    current = deferred.reduce((record, change) => change(record), saved);
  };

  /** Writes the next record (serialised with lease renewals); a version conflict means the lease is lost. */
  const commit = (change: (record: SagaRecord) => SagaRecord): Promise<SagaRecord> =>
    serialised(async () => {
      adopt(await write(store, change));
      scheduleRenewal();
      return current;
    });

  /**
   * Changes the record in memory only: the change is written by the next write, which for a
   * local step is the one in its transaction. Used where a lost change is harmless: a crash
   * before that write leaves the log as it was, and the step is run again (it is idempotent).
   */
  const defer = (change: (record: SagaRecord) => SagaRecord): void => {
    current = change(current);
    deferred.push(change);
  };

  const context = (index: number, attempt: number, signal: AbortSignal) => ({
    sagaId: current.id,
    saga: current.name,
    tenantId: current.tenantId,
    input: current.input,
    results: t.resultsBefore(current, index),
    signal,
    attempt,
  });

  const attempt = (index: number, compensation: boolean, attemptNo: number): Promise<AttemptOutcome> => {
    const step = saga.steps[index]!;
    const timeoutMs = compensation ? step.compensationTimeoutMs : step.timeoutMs;
    const timeoutError = () =>
      new StepTimeoutError({
        sagaId: current.id,
        saga: current.name,
        step: step.name,
        timeoutMs: timeoutMs ?? 0,
        attempt: attemptNo,
        compensation,
      });
    const call = (signal: AbortSignal, tx?: unknown): unknown => {
      const base =
        tx === undefined ? context(index, attemptNo, signal) : { ...context(index, attemptNo, signal), tx };
      return compensation
        ? step.compensate!({
            ...base,
            output: current.steps[index]!.output,
            reason: current.error ?? { name: 'Error', message: 'unknown failure', code: null },
          })
        : step.run(base);
    };
    return traceAttempt(current, step.name, compensation, attemptNo, () =>
      step.local
        ? runAttempt(
            clock,
            running,
            (signal) => runLocal(index, compensation, signal, call),
            timeoutMs,
            timeoutError,
          )
        : runAttempt(clock, running, (signal) => call(signal), timeoutMs, timeoutError),
    );
  };

  /**
   * One attempt of a local step (or its compensation) in a transaction. When the transaction
   * carries the saga store, the step's completion is written in it too, so that both commit or
   * neither does; the attempt then answers the stored record as `saved`.
   */
  const runLocal = (
    index: number,
    compensation: boolean,
    signal: AbortSignal,
    call: (signal: AbortSignal, tx: unknown) => unknown,
  ): Promise<LocalResult> =>
    serialised(() =>
      transactions!.run(
        async (tx): Promise<LocalResult> => {
          const output = logOutput(index, await call(signal, tx));
          if (!tx.sagas) return { output, saved: null };
          // An attempt abandoned (timed out) must not record anything: roll its transaction back.
          throwIfAborted(signal);
          const saved = await write(tx.sagas, (record) =>
            compensation
              ? t.completeCompensation(record, index, clock.now(), canCompensate)
              : t.completeStep(record, index, output, clock.now()),
          );
          if (saved.state === 'completed') await options.join?.end?.(tx as never, saved);
          return { output, saved };
        },
        { signal: options.signal },
      ),
    );

  /** Runs the caller's `join.end` when the saga completed by a write outside a local step's transaction. */
  const endOutside = async (): Promise<void> => {
    const end = options.join?.end;
    if (!end || current.state !== 'completed' || !transactions) return;
    const record = current;
    await transactions.run((tx) => end(tx as never, record), { signal: options.signal });
  };

  const afterTurn = (): void => {
    if (t.isFinalState(current.state)) {
      for (const event of finalEvents(current, base())) emit(event);
      return;
    }
    const compensation = current.state === 'compensating';
    const index = compensation
      ? t.nextCompensation(current, canCompensate)
      : current.steps.findIndex((s) => s.status !== 'completed');
    ownStart = { compensation, index };
  };

  const failStep = async (index: number, error: unknown): Promise<void> => {
    errors.set(saga.steps[index]!.name, error);
    await commit((record) => t.failStep(record, index, serializeError(error), clock.now(), canCompensate));
    afterTurn();
  };

  /** The step's output as the log keeps it; an output that is not JSON fails the step for good. */
  const logOutput = (index: number, value: unknown): JsonValue => {
    try {
      return toLogged(value, `output of step "${saga.steps[index]!.name}" of saga "${saga.name}"`);
    } catch (error) {
      throw new NonRetryableError(error);
    }
  };

  /** A finished step, logged: now, or (a remote step followed by a local one) with that step's completion. */
  const completeStep = async (index: number, outcome: { readonly value: unknown }): Promise<void> => {
    const step = saga.steps[index]!;
    if (step.local) {
      const { output, saved } = outcome.value as LocalResult;
      if (saved) {
        adopt(saved);
        scheduleRenewal();
      } else {
        await commit((record) => t.completeStep(record, index, output, clock.now()));
        await endOutside();
      }
      return;
    }
    const output = outcome.value as JsonValue;
    // The next step commits its effect with its log entry: this completion can ride along with it.
    // A crash before then runs this (idempotent) step again, as a crash before its own write would.
    if (saga.steps[index + 1]?.local && step.idempotent)
      defer((record) => t.completeStep(record, index, output, clock.now()));
    else {
      await commit((record) => t.completeStep(record, index, output, clock.now()));
      await endOutside();
    }
  };

  const runStep = async (index: number): Promise<void> => {
    const step = saga.steps[index]!;
    let firstOutcome =
      ownStart?.compensation === false && ownStart.index === index ? ownStart.outcome : undefined;
    if (ownStart?.compensation !== false || ownStart.index !== index) {
      const entry = current.steps[index]!;
      if (entry.status === 'started' && !step.idempotent) {
        await failStep(
          index,
          new StepInDoubtError({
            sagaId: current.id,
            saga: current.name,
            step: step.name,
            attempts: entry.attempts,
          }),
        );
        return;
      }
      // A local step needs no start entry: its effect commits with its completion.
      if (step.local) defer((record) => t.restartStep(record, index, clock.now(), null));
      else await commit((record) => t.restartStep(record, index, clock.now(), null));
    }
    ownStart = null;
    for (;;) {
      const attemptNo = current.steps[index]!.attempts;
      emit({ type: 'step_started', ...base(), step: step.name, attempt: attemptNo });
      let outcome = firstOutcome ?? (await attempt(index, false, attemptNo));
      firstOutcome = undefined;
      throwIfAborted(run.signal);
      if (outcome.ok && !step.local) {
        try {
          outcome = { ok: true, value: logOutput(index, outcome.value) };
        } catch (error) {
          outcome = { ok: false, error };
        }
      }
      if (outcome.ok) {
        await completeStep(index, outcome);
        emit({ type: 'step_completed', ...base(), step: step.name, attempt: attemptNo });
        afterTurn();
        return;
      }
      const error = outcome.error;
      const willRetry = attemptNo < step.retry.maxAttempts && step.retry.shouldRetry(error, attemptNo);
      emit({
        type: 'step_failed',
        ...base(),
        step: step.name,
        attempt: attemptNo,
        error: serializeError(error),
        willRetry,
      });
      if (!willRetry) {
        await failStep(index, error);
        return;
      }
      const delay = retryDelay(step.retry, attemptNo);
      await commit((record) => t.restartStep(record, index, clock.now() + delay, serializeError(error)));
      await sleep(clock, delay, { signal: run.signal });
    }
  };

  const compensateStep = async (index: number): Promise<void> => {
    const step = saga.steps[index]!;
    if (ownStart?.compensation !== true || ownStart.index !== index) {
      if (step.local) defer((record) => t.restartCompensation(record, index, null));
      else await commit((record) => t.restartCompensation(record, index, null));
    }
    ownStart = null;
    for (;;) {
      const attemptNo = current.steps[index]!.compensationAttempts;
      emit({ type: 'compensation_started', ...base(), step: step.name, attempt: attemptNo });
      const outcome = await attempt(index, true, attemptNo);
      throwIfAborted(run.signal);
      if (outcome.ok) {
        const saved = step.local ? (outcome.value as LocalResult).saved : null;
        if (saved) {
          adopt(saved);
          scheduleRenewal();
        } else await commit((record) => t.completeCompensation(record, index, clock.now(), canCompensate));
        emit({ type: 'step_compensated', ...base(), step: step.name, attempt: attemptNo });
        afterTurn();
        return;
      }
      const error = serializeError(outcome.error);
      const policy = step.compensationRetry;
      const willRetry = attemptNo < policy.maxAttempts && policy.shouldRetry(outcome.error, attemptNo);
      emit({ type: 'compensation_failed', ...base(), step: step.name, attempt: attemptNo, error, willRetry });
      if (!willRetry) {
        await commit((record) => t.failCompensation(record, index, error, clock.now()));
        afterTurn();
        return;
      }
      const delay = retryDelay(policy, attemptNo);
      await commit((record) => t.restartCompensation(record, index, error));
      await sleep(clock, delay, { signal: run.signal });
    }
  };

  try {
    scheduleRenewal(); // the record was just written (created or claimed) with a fresh lease
    const stored = current.steps.map((s) => s.name);
    const defined = saga.steps.map((s) => s.name);
    if (stored.join('\u0000') !== defined.join('\u0000')) {
      const error = new SagaDefinitionChangedError({
        sagaId: current.id,
        saga: current.name,
        storedSteps: stored,
        definedSteps: defined,
      });
      await commit((record) => t.abandon(record, serializeError(error)));
      afterTurn();
    }
    while (!t.isFinalState(current.state)) {
      if (current.state === 'running') {
        const index = current.steps.findIndex((s) => s.status !== 'completed');
        if (index < 0) {
          await commit((record) => ({ ...record, state: 'completed' }));
          await endOutside();
          afterTurn();
        } else await runStep(index);
      } else {
        const index = t.nextCompensation(current, canCompensate);
        if (index < 0) {
          await commit((record) => ({
            ...record,
            state: record.error?.code === 'SAGA_STEP_IN_DOUBT' ? 'failed' : 'compensated',
          }));
          afterTurn();
        } else await compensateStep(index);
      }
    }
    return { record: current, errors };
  } finally {
    renewal?.clear();
    unlinkCaller();
  }
}
