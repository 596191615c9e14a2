import type { z } from 'zod';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { parseWith } from '../errors/validation-error.js';
import type { SerializedError } from './saga-store.js';
import { checkFunctionOption, checkStringOption, numberOption, requireOption } from '../util/options.js';
import {
  COMPENSATION_RETRY_DEFAULTS,
  STEP_RETRY_DEFAULTS,
  toRetryPolicy,
  type SagaRetryOptions,
  type SagaRetryPolicy,
} from './retry-policy.js';

/** The name errors about a saga definition's options start with. */
const FACTORY = 'defineSaga';
/** Longest saga or step name. */
const MAX_NAME_LENGTH = 200;

/**
 * What a step's output looks like to later steps: the value as the log stores it (JSON), where a
 * step that returns nothing (`void`/`undefined`) is `null`.
 */
export type LoggedOutput<Output> = [Output] extends [void]
  ? null
  : undefined extends Output
    ? Exclude<Output, undefined> | null
    : Output;

/** The outputs of no steps yet. */
export type NoResults = Record<never, never>;

/** The outputs of a saga's steps once step `Name`, with output `Output`, is added to `Results`. */
export type WithStepOutput<Results, Name extends string, Output> = {
  readonly [K in keyof Results | Name]: K extends Name
    ? LoggedOutput<Output>
    : K extends keyof Results
      ? Results[K]
      : never;
};

/** What a step's `run` receives. */
export interface SagaStepContext<Input, Results> {
  readonly sagaId: string;
  /** The saga's name. */
  readonly saga: string;
  readonly tenantId: string | null;
  /** The saga's input (as logged). */
  readonly input: Input;
  /** The outputs of every step before this one, by step name (as logged). */
  readonly results: Results;
  /** Aborted on timeout (with a `StepTimeoutError`), lost lease or the caller's abort. */
  readonly signal: AbortSignal;
  /** 1 for the first run, 2 for the first retry (or the re-run after a crash), and so on. */
  readonly attempt: number;
}

/** What a step's `compensate` receives. */
export interface SagaCompensationContext<Input, Results, Output> extends SagaStepContext<Input, Results> {
  /** This step's own output, the thing to undo. */
  readonly output: Output;
  /** Why the saga is compensating: the failed step's error, as logged. */
  readonly reason: SerializedError;
}

/** What a local step's `run` receives: a step's context and the transaction to write through. */
export interface SagaLocalStepContext<Input, Results, Tx> extends SagaStepContext<Input, Results> {
  /** The open transaction (the coordinator's `transactions`); write through it only. */
  readonly tx: Tx;
}

/** What a local step's `compensate` receives. */
export interface SagaLocalCompensationContext<Input, Results, Output, Tx> extends SagaCompensationContext<
  Input,
  Results,
  Output
> {
  /** The open transaction; write through it only. */
  readonly tx: Tx;
}

/**
 * A local step: its effect is a write to the database that the saga log lives in, made through
 * the transaction it is given. The coordinator opens that transaction (its `transactions`
 * option) and, when the transaction also carries the saga store, records the step's completion
 * in it: the effect and its log entry commit together, so the step takes effect exactly once
 * and is never in doubt after a crash. Its compensation runs the same way.
 *
 * When the transaction does not carry the saga store, the completion is written after the
 * commit, and a crash in between runs the step again: write it so that a second run finds its
 * own effect (a duplicate-key insert answered by what is there).
 */
export interface SagaLocalStepOptions<Input, Results, Output, Tx> {
  /** Does the work through `tx`; its resolved value (JSON) is logged and passed to later steps. */
  readonly run: (context: SagaLocalStepContext<Input, Results, Tx>) => Output | Promise<Output>;
  /** Undoes the work through `tx` after a later step failed. @default none */
  readonly compensate?: (
    context: SagaLocalCompensationContext<Input, Results, LoggedOutput<Output>, Tx>,
  ) => unknown;
  /** @default { maxAttempts: 3, initialDelayMs: 100, factor: 2, maxDelayMs: 30_000 } */
  readonly retry?: SagaRetryOptions;
  /** @default { maxAttempts: 5, initialDelayMs: 1_000, factor: 2, maxDelayMs: 30_000 } */
  readonly compensationRetry?: SagaRetryOptions;
  /** Longest time one run (its transaction included) may take. @default no limit */
  readonly timeoutMs?: number;
  /** Longest time one compensation attempt may take. @default no limit */
  readonly compensationTimeoutMs?: number;
}

/**
 * One step of a saga.
 *
 * **Steps and compensations must be idempotent.** The log records a step's start before it runs
 * and its completion after; if the process dies in between, recovery cannot know whether the step
 * took effect and runs it again. Make the effect conditional on a key derived from `sagaId` and
 * the step (an `ON CONFLICT DO NOTHING` insert, an idempotency key sent to an API, a lookup before
 * a create), or declare `idempotent: false`.
 */
export interface SagaStepOptions<Input, Results, Output> {
  /** Does the work; its resolved value (JSON) is logged and passed to later steps. */
  readonly run: (context: SagaStepContext<Input, Results>) => Output | Promise<Output>;
  /** Undoes the work after a later step failed. Omit it for a step with nothing to undo. @default none */
  readonly compensate?: (context: SagaCompensationContext<Input, Results, LoggedOutput<Output>>) => unknown;
  /** @default { maxAttempts: 3, initialDelayMs: 100, factor: 2, maxDelayMs: 30_000 } */
  readonly retry?: SagaRetryOptions;
  /** @default { maxAttempts: 5, initialDelayMs: 1_000, factor: 2, maxDelayMs: 30_000 } */
  readonly compensationRetry?: SagaRetryOptions;
  /** Longest time one run may take; its `signal` is then aborted and the attempt fails. @default no limit */
  readonly timeoutMs?: number;
  /** Longest time one compensation attempt may take. @default no limit */
  readonly compensationTimeoutMs?: number;
  /**
   * Whether running the step again after a crash is safe. When `false`, a run interrupted by a
   * crash is not repeated: the steps before it are compensated and the saga ends `failed` (with a
   * manual-review event), since the interrupted run's effect is unknown. @default true
   */
  readonly idempotent?: boolean;
}

/** A step as the coordinator runs it: the options, validated, with defaults applied. */
export interface SagaStep {
  readonly name: string;
  readonly run: (context: SagaStepContext<unknown, Record<string, unknown>>) => unknown;
  readonly compensate:
    ((context: SagaCompensationContext<unknown, Record<string, unknown>, unknown>) => unknown) | undefined;
  readonly retry: SagaRetryPolicy;
  readonly compensationRetry: SagaRetryPolicy;
  readonly timeoutMs: number | undefined;
  readonly compensationTimeoutMs: number | undefined;
  readonly idempotent: boolean;
  /** A local step ({@link SagaLocalStepOptions}): run, and compensated, in a transaction. */
  readonly local: boolean;
}

/**
 * A saga: a name and an ordered list of steps. Built with {@link defineSaga} and `.step(...)`;
 * every call returns a new, frozen definition. Register it with the coordinator that runs it.
 */
export interface SagaDefinition<Input = unknown, Results extends object = NoResults, Tx = unknown> {
  /** Unique among the sagas of one coordinator; stored with every run. */
  readonly name: string;
  readonly steps: readonly SagaStep[];
  /** Validates (and parses) the input given to `start`, when the saga was defined with a schema. */
  readonly parseInput: ((input: unknown) => Input) | undefined;
  /**
   * Appends a step. Its `run` sees the outputs of the steps before it in `results`, typed.
   *
   * @throws {@link InvalidOptionError} for a duplicate or empty name, or an invalid option.
   */
  step<const Name extends string, Output>(
    name: Name & (Name extends keyof Results ? never : unknown),
    options: SagaStepOptions<Input, Results, Output>,
  ): SagaDefinition<Input, WithStepOutput<Results, Name, Output>, Tx>;
  /**
   * Appends a local step ({@link SagaLocalStepOptions}): one that writes only to the saga log's
   * own database, through the transaction `tx` it is given, so that its effect and its log entry
   * commit together. The coordinator must be given `transactions`.
   *
   * @throws {@link InvalidOptionError} for a duplicate or empty name, or an invalid option.
   */
  localStep<const Name extends string, Output>(
    name: Name & (Name extends keyof Results ? never : unknown),
    options: SagaLocalStepOptions<Input, Results, Output, Tx>,
  ): SagaDefinition<Input, WithStepOutput<Results, Name, Output>, Tx>;
  /** @internal Carries the type parameters; never set. */
  readonly '~types'?: { readonly input: Input; readonly results: Results };
}

/** Options of {@link defineSaga}. */
export interface DefineSagaOptions<Input> {
  /** The saga's name: stored with every run and used to find the code again after a restart. */
  readonly name: string;
  /** zod schema of the input; `start` validates it (throwing a `ValidationError`). @default no validation */
  readonly input?: z.ZodType<Input>;
}

/** The input type of a saga definition. */
export type SagaInput<D> = D extends SagaDefinition<infer Input, object> ? Input : never;

/** The output of a completed saga: every step's output, by step name. */
export type SagaResults<D> = D extends SagaDefinition<unknown, infer Results> ? Results : never;

/**
 * Starts a saga definition; add its steps with `.step(name, { run, compensate, retry, timeoutMs })`.
 * Each step's `run` receives `{ input, results, signal, attempt, sagaId }`, where `results` holds
 * the outputs of the steps before it, typed. Outputs must be JSON: they are logged, and a resumed
 * saga reads them back from the log. Steps and compensations must be idempotent (see
 * {@link SagaStepOptions}).
 *
 * A builder rather than a `steps: [...]` array, because TypeScript can type each step's `results`
 * from the earlier steps' outputs only one call at a time.
 *
 * @throws {@link InvalidOptionError} naming `defineSaga` for a missing or empty name, or an input
 *   that is not a zod schema; `.step()` throws it for a bad step.
 * @example
 * ```ts
 * interface Ledger {
 *   debit(account: string, cents: number, options: { key: string }): Promise<{ entryId: string }>;
 *   credit(account: string, cents: number, options: { after: string }): Promise<{ entryId: string }>;
 *   reverse(entryId: string): Promise<void>;
 * }
 * declare const ledger: Ledger;
 * // ---cut---
 * const transfer = defineSaga<{ from: string; to: string; cents: number }>({ name: 'transfer' })
 *   .step('debit', {
 *     run: ({ input, sagaId }) => ledger.debit(input.from, input.cents, { key: `${sagaId}:debit` }), // { entryId }
 *     compensate: ({ output }) => ledger.reverse(output.entryId),
 *   })
 *   .step('credit', {
 *     run: ({ input, results }) => ledger.credit(input.to, input.cents, { after: results.debit.entryId }),
 *     retry: { maxAttempts: 5 },
 *     timeoutMs: 10_000,
 *   });
 * ```
 */
export function defineSaga<Input = unknown, Tx = unknown>(
  options: DefineSagaOptions<Input>,
): SagaDefinition<Input, NoResults, Tx> {
  const details = { factory: FACTORY };
  requireOption(FACTORY, options, 'name', `a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
  const name = checkStringOption('name', options.name, MAX_NAME_LENGTH, details);
  const schema = options.input;
  if (schema !== undefined && typeof (schema as { safeParse?: unknown }).safeParse !== 'function') {
    throw new InvalidOptionError('input', schema, 'a zod schema', details);
  }
  const parseInput = schema
    ? (input: unknown): Input => parseWith(schema, input, `input of saga "${name}"`)
    : undefined;
  return build<Input, NoResults, Tx>(name, parseInput, []);
}

type AnyStepOptions = SagaStepOptions<unknown, Record<string, unknown>, unknown>;

function build<Input, Results extends object, Tx>(
  name: string,
  parseInput: ((input: unknown) => Input) | undefined,
  steps: readonly SagaStep[],
): SagaDefinition<Input, Results, Tx> {
  const append = (stepName: string, stepOptions: AnyStepOptions, local: boolean) =>
    build(name, parseInput, Object.freeze([...steps, toStep(steps, stepName, stepOptions, local)]));
  const definition: SagaDefinition<Input, Results, Tx> = {
    name,
    steps,
    parseInput,
    step: ((stepName: string, stepOptions: AnyStepOptions) =>
      append(stepName, stepOptions, false)) as SagaDefinition<Input, Results, Tx>['step'],
    localStep: ((stepName: string, stepOptions: AnyStepOptions) =>
      append(stepName, stepOptions, true)) as SagaDefinition<Input, Results, Tx>['localStep'],
  };
  return Object.freeze(definition);
}

function toStep(
  existing: readonly SagaStep[],
  name: string,
  options: AnyStepOptions,
  local: boolean,
): SagaStep {
  const index = existing.length;
  const details = { factory: FACTORY };
  checkStringOption(`steps[${index}].name`, name, MAX_NAME_LENGTH, details);
  if (existing.some((step) => step.name === name)) {
    throw new InvalidOptionError(
      `steps[${index}].name`,
      name,
      'a step name not used before in this saga',
      details,
    );
  }
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError(`steps.${name}`, options, 'an object with a run function', details);
  const prefix = `steps.${name}`;
  checkFunctionOption(`${prefix}.run`, options.run, true, details);
  checkFunctionOption(`${prefix}.compensate`, options.compensate, false, details);
  if (options.idempotent !== undefined && typeof options.idempotent !== 'boolean') {
    throw new InvalidOptionError(`${prefix}.idempotent`, options.idempotent, 'a boolean', details);
  }
  const timeout = (option: string, value: number | undefined): number | undefined =>
    value === undefined
      ? undefined
      : numberOption(`${prefix}.${option}`, value, 0, { min: 1, max: 86_400_000 }, details);
  return Object.freeze({
    name,
    run: options.run,
    compensate: options.compensate,
    retry: toRetryPolicy(`${prefix}.retry`, options.retry, STEP_RETRY_DEFAULTS, details),
    compensationRetry: toRetryPolicy(
      `${prefix}.compensationRetry`,
      options.compensationRetry,
      COMPENSATION_RETRY_DEFAULTS,
      details,
    ),
    timeoutMs: timeout('timeoutMs', options.timeoutMs),
    compensationTimeoutMs: timeout('compensationTimeoutMs', options.compensationTimeoutMs),
    // A local step commits its effect with its log entry: it is never in doubt.
    idempotent: local || (options.idempotent ?? true),
    local,
  });
}
