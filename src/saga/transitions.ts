/**
 * The saga log's transitions, as pure functions from one record to the next. Each is written by
 * the coordinator in one store write; where two facts follow each other with nothing in between
 * (a step completed and the next one starts), they are folded into the same write.
 *
 * @internal
 * @module
 */
import type { JsonValue, SagaRecord, SagaState, SagaStepEntry, SerializedError } from './saga-store.js';

/** Final states: no worker holds a lease on them. */
const FINAL_STATES: ReadonlySet<SagaState> = new Set([
  'completed',
  'compensated',
  'failed',
  'compensation_failed',
]);

/** @internal */
export function isFinalState(state: SagaState): boolean {
  return FINAL_STATES.has(state);
}

function withStep(record: SagaRecord, index: number, change: Partial<SagaStepEntry>): SagaRecord {
  const steps = record.steps.slice();
  steps[index] = { ...steps[index]!, ...change };
  return { ...record, steps };
}

/** A fresh record: the run is logged with its first step already started (one write). @internal */
export function initialRecord(args: {
  id: string;
  name: string;
  tenantId: string | null;
  input: JsonValue;
  stepNames: readonly string[];
  now: number;
}): SagaRecord {
  const steps: SagaStepEntry[] = args.stepNames.map((name, index) => ({
    name,
    status: index === 0 ? 'started' : 'pending',
    attempts: index === 0 ? 1 : 0,
    output: null,
    error: null,
    compensationAttempts: 0,
    startedAt: index === 0 ? args.now : null,
    finishedAt: null,
  }));
  return {
    id: args.id,
    name: args.name,
    tenantId: args.tenantId,
    state: 'running',
    input: args.input,
    steps,
    failedStep: null,
    error: null,
    leaseOwner: null,
    leaseExpiresAt: null,
    recoveries: 0,
    version: 1,
    createdAt: args.now,
    updatedAt: args.now,
  };
}

/** Another run of step `index` begins (a re-run after a crash, or a retry that waits `delayMs`). @internal */
export function restartStep(
  record: SagaRecord,
  index: number,
  now: number,
  error: SerializedError | null,
): SagaRecord {
  const entry = record.steps[index]!;
  return withStep(record, index, {
    status: 'started',
    attempts: entry.attempts + 1,
    startedAt: now,
    error: error ?? entry.error,
  });
}

/** Step `index` completed; the next one starts, or the saga is completed. @internal */
export function completeStep(record: SagaRecord, index: number, output: JsonValue, now: number): SagaRecord {
  const done = withStep(record, index, { status: 'completed', output, finishedAt: now });
  const next = done.steps[index + 1];
  if (next === undefined) return { ...done, state: 'completed' };
  return withStep(done, index + 1, {
    status: 'started',
    attempts: next.attempts + 1,
    startedAt: now,
    error: null,
  });
}

/**
 * Step `index` failed for good: the saga turns to compensation and its first compensation starts
 * (or, with nothing to undo, the saga ends). @internal
 */
export function failStep(
  record: SagaRecord,
  index: number,
  error: SerializedError,
  now: number,
  canCompensate: (index: number) => boolean,
): SagaRecord {
  const failed = withStep(record, index, { status: 'failed', error, finishedAt: now });
  return beginNextCompensation(
    { ...failed, state: 'compensating', failedStep: failed.steps[index]!.name, error },
    canCompensate,
  );
}

/** The step whose compensation is in progress, or the next one to compensate, or -1. @internal */
export function nextCompensation(record: SagaRecord, canCompensate: (index: number) => boolean): number {
  for (let i = record.steps.length - 1; i >= 0; i -= 1) {
    const status = record.steps[i]!.status;
    if (status === 'compensating' || (status === 'completed' && canCompensate(i))) return i;
  }
  return -1;
}

/** Another run of the compensation of step `index` begins. @internal */
export function restartCompensation(
  record: SagaRecord,
  index: number,
  error: SerializedError | null,
): SagaRecord {
  const entry = record.steps[index]!;
  return withStep(record, index, {
    status: 'compensating',
    compensationAttempts: entry.compensationAttempts + 1,
    error: error ?? entry.error,
  });
}

/** Step `index` was compensated; the next compensation starts, or the saga ends. @internal */
export function completeCompensation(
  record: SagaRecord,
  index: number,
  now: number,
  canCompensate: (index: number) => boolean,
): SagaRecord {
  return beginNextCompensation(
    withStep(record, index, { status: 'compensated', finishedAt: now }),
    canCompensate,
  );
}

/** The compensation of step `index` gave up: the saga needs an operator. @internal */
export function failCompensation(
  record: SagaRecord,
  index: number,
  error: SerializedError,
  now: number,
): SagaRecord {
  return {
    ...withStep(record, index, { status: 'compensation_failed', error, finishedAt: now }),
    state: 'compensation_failed',
  };
}

/** The run cannot go on (its definition changed): it ends `failed`, untouched. @internal */
export function abandon(record: SagaRecord, error: SerializedError): SagaRecord {
  return { ...record, state: 'failed', error };
}

function beginNextCompensation(record: SagaRecord, canCompensate: (index: number) => boolean): SagaRecord {
  const index = nextCompensation(record, canCompensate);
  if (index < 0)
    return { ...record, state: record.error?.code === 'SAGA_STEP_IN_DOUBT' ? 'failed' : 'compensated' };
  return restartCompensation(record, index, null);
}

/** The outputs of the steps before `index`, by name (as logged). @internal */
export function resultsBefore(record: SagaRecord, index: number): Record<string, JsonValue> {
  const results: Record<string, JsonValue> = {};
  for (let i = 0; i < index; i += 1) {
    const entry = record.steps[i]!;
    results[entry.name] = entry.output;
  }
  return results;
}
