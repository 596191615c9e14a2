import { InvalidOptionError, type InvalidOptionDetails } from '../errors/invalid-option-error.js';
import { systemClock } from '../ports/clock.js';
import { silentLogger } from '../ports/logger.js';
import type { JsonValue, SagaRecord, SagaState, SagaStore } from './saga-store.js';
import { throwIfAborted } from '../util/abort.js';
import { checkFunctionOption, checkStringOption, numberOption, requireOption } from '../util/options.js';
import { uuidv7 } from '../util/uuid.js';
import type {
  RegisteredSaga,
  SagaCoordinator,
  SagaCoordinatorOptions,
  SagaJoin,
} from './coordinator-types.js';
import { SagaNotRegisteredError } from './definition-errors.js';
import { canonicalJson, toLogged } from './log-values.js';
import { SagaIdConflictError, SagaInProgressError } from './saga-errors.js';
import { createSagaEventHub, type SagaEvent } from './saga-events.js';
import { toOutcome } from './saga-outcome.js';
import { finalEvents } from './final-events.js';
import { startLocally } from './local-start.js';
import type { AttemptOutcome } from './run-attempt.js';
import { driveSaga, type SagaRunDeps, type SagaRunResult } from './saga-run.js';
import type { SagaTransactions } from './saga-transactions.js';
import { initialRecord, isFinalState } from './transitions.js';

export type {
  SagaJoin,
  RegisteredSaga,
  SagaCoordinator,
  SagaCoordinatorOptions,
  SagaRecoveryOptions,
  SagaRecoveryReport,
  SagaStartOptions,
} from './coordinator-types.js';

interface InFlight {
  readonly name: string;
  /** The logged input; compared in canonical form only when the same id is started again. */
  readonly input: JsonValue;
  readonly tenantId: string | null;
  readonly run: Promise<SagaRunResult>;
}

/**
 * Creates a saga coordinator over a {@link SagaStore}.
 *
 * @throws {@link InvalidOptionError} for a missing store, an empty or duplicated saga, or an out-of-range option.
 * @example
 * ```ts
 * declare const transfer: SagaDefinition<{ from: string; to: string; cents: number }, { debit: { entryId: string } }>;
 * declare const requestId: string;
 * // ---cut---
 * const coordinator = createSagaCoordinator({ store: createMemorySagaStore(), sagas: [transfer] });
 * await coordinator.recover(); // finish what a previous process left behind
 * const { output } = await coordinator.start(transfer, { from: 'a', to: 'b', cents: 500 }, { sagaId: requestId });
 * console.log(output.debit.entryId);
 * ```
 */
export function createSagaCoordinator(options: SagaCoordinatorOptions): SagaCoordinator {
  const store = requireOption(
    'createSagaCoordinator',
    options,
    'store',
    'a SagaStore, e.g. createMemorySagaStore()',
    (value) =>
      (['create', 'get', 'save', 'claim', 'list'] as const).every(
        (method) => typeof (value as Partial<SagaStore>)[method] === 'function',
      ),
  );
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const details = { factory: 'createSagaCoordinator' };
  const owner =
    options.owner === undefined
      ? `saga-${uuidv7()}`
      : checkStringOption('owner', options.owner, 200, details);
  const leaseMs = numberOption('leaseMs', options.leaseMs, 30_000, { min: 1, max: 86_400_000 }, details);
  const registry = toRegistry(options.sagas, details);
  const names = [...registry.keys()];
  const hub = createSagaEventHub(logger);
  if (options.events !== undefined) {
    if (typeof options.events !== 'function')
      throw new InvalidOptionError('events', options.events, 'a function', details);
    hub.subscribe(options.events);
  }
  const transactions = transactionsOption(options.transactions, registry, details);
  const deps: SagaRunDeps = {
    store,
    clock,
    logger,
    owner,
    leaseMs,
    emit: (event: SagaEvent) => hub.emit(event),
    transactions,
  };
  const inflight = new Map<string, InFlight>();
  /** Whether the transactions carry the saga store; learnt from the first local start. */
  let joined: boolean | undefined;

  const track = (
    sagaId: string,
    identity: Omit<InFlight, 'run'>,
    run: Promise<SagaRunResult>,
  ): Promise<SagaRunResult> => {
    inflight.set(sagaId, { ...identity, run });
    const untrack = (): void => {
      if (inflight.get(sagaId)?.run === run) inflight.delete(sagaId);
    };
    run.then(untrack, untrack);
    return run;
  };

  const conflict = (
    sagaId: string,
    saga: string,
    stored: Omit<InFlight, 'run'>,
    input: JsonValue,
    tenantId: string | null,
  ): void => {
    const field =
      stored.name !== saga
        ? 'name'
        : canonicalJson(stored.input) !== canonicalJson(input)
          ? 'input'
          : stored.tenantId !== tenantId
            ? 'tenantId'
            : null;
    if (field) throw new SagaIdConflictError({ sagaId, saga, storedSaga: stored.name, field });
  };

  const begin = async (
    saga: RegisteredSaga,
    sagaId: string,
    input: JsonValue,
    tenantId: string | null,
    signal: AbortSignal | undefined,
    join: SagaJoin | undefined,
  ): Promise<SagaRunResult> => {
    const now = clock.now();
    const fresh = {
      ...initialRecord({
        id: sagaId,
        name: saga.name,
        tenantId,
        input,
        stepNames: saga.steps.map((s) => s.name),
        now,
      }),
      leaseOwner: owner,
      leaseExpiresAt: now + leaseMs,
    };
    const base = { sagaId, saga: saga.name, tenantId };
    let firstOutcome: AttemptOutcome | undefined;
    if (transactions && saga.steps[0]!.local && joined !== false) {
      const local = await startLocally(deps, saga, fresh, signal, join);
      switch (local.kind) {
        case 'started': {
          joined = true;
          const time = clock.now();
          const first = saga.steps[0]!.name;
          hub.emit({ type: 'started', ...base, time: now });
          hub.emit({ type: 'step_started', ...base, time, step: first, attempt: 1 });
          hub.emit({ type: 'step_completed', ...base, time, step: first, attempt: 1 });
          if (isFinalState(local.record.state)) {
            for (const event of finalEvents(local.record, { ...base, time })) hub.emit(event);
            return { record: local.record, errors: new Map() };
          }
          return driveSaga(deps, saga, local.record, {
            ownStart: { compensation: false, index: 1 },
            signal,
            join,
          });
        }
        case 'refused':
          throw local.error;
        case 'not_joined':
          joined = false;
          break;
        case 'failed':
          throwIfAborted(signal);
          firstOutcome = local.outcome;
          break;
        case 'exists':
          break;
      }
    }
    let made: { record: SagaRecord; created: boolean } | undefined;
    if (join?.start) {
      // Not created with its first step: the caller's writes commit with the saga's creation when
      // the transactions carry the saga log, else on their own just before it.
      const start = join.start;
      made = await transactions!.run(
        async (tx) => {
          await start(tx as never);
          return tx.sagas ? tx.sagas.create(fresh, { signal }) : undefined;
        },
        { signal },
      );
    }
    const { record, created } = made ?? (await store.create(fresh, { signal }));
    if (created) {
      hub.emit({ type: 'started', ...base, time: now });
      return driveSaga(deps, saga, record, {
        ownStart: { compensation: false, index: 0, ...(firstOutcome ? { outcome: firstOutcome } : {}) },
        signal,
        join,
      });
    }
    conflict(sagaId, saga.name, record, input, tenantId);
    if (isFinalState(record.state)) return { record, errors: new Map() };
    const [claimed] = await store.claim({
      owner,
      leaseMs,
      now: clock.now(),
      names: [saga.name],
      limit: 1,
      id: sagaId,
      signal,
    });
    if (!claimed) {
      const latest = (await store.get(sagaId, { signal })) ?? record;
      if (isFinalState(latest.state)) return { record: latest, errors: new Map() };
      throw new SagaInProgressError({
        sagaId,
        saga: saga.name,
        leaseOwner: latest.leaseOwner,
        leaseExpiresAt: latest.leaseExpiresAt,
      });
    }
    return resume(saga, claimed, signal);
  };

  const resume = (saga: RegisteredSaga, record: SagaRecord, signal?: AbortSignal): Promise<SagaRunResult> => {
    hub.emit({
      type: 'resumed',
      sagaId: record.id,
      saga: record.name,
      tenantId: record.tenantId,
      time: clock.now(),
      state: record.state === 'compensating' ? 'compensating' : 'running',
      recoveries: record.recoveries,
    });
    return driveSaga(deps, saga, record, { ownStart: null, signal });
  };

  return {
    owner,

    async start(saga, input, startOptions = {}) {
      if (registry.get(saga.name) !== saga)
        throw new SagaNotRegisteredError({ saga: saga.name, registered: names });
      throwIfAborted(startOptions.signal);
      const logged = toLogged(
        saga.parseInput ? saga.parseInput(input) : input,
        `input of saga "${saga.name}"`,
      );
      const sagaId =
        startOptions.sagaId === undefined
          ? uuidv7(clock.now())
          : checkStringOption('sagaId', startOptions.sagaId, 200);
      const tenantId =
        startOptions.tenantId == null ? null : checkStringOption('tenantId', startOptions.tenantId, 200);
      const running = inflight.get(sagaId);
      if (running) conflict(sagaId, saga.name, running, logged, tenantId);
      const run =
        running?.run ??
        track(
          sagaId,
          { name: saga.name, input: logged, tenantId },
          begin(
            saga,
            sagaId,
            logged,
            tenantId,
            startOptions.signal,
            joinOption(startOptions.join, transactions),
          ),
        );
      const result = await run;
      return toOutcome(result.record, result.errors);
    },

    async recover(recoverOptions = {}) {
      const batchSize = numberOption('batchSize', recoverOptions.batchSize, 10, {
        integer: true,
        min: 1,
        max: 1_000,
      });
      const counts: Record<SagaState, number> = {
        running: 0,
        compensating: 0,
        completed: 0,
        compensated: 0,
        failed: 0,
        compensation_failed: 0,
      };
      let claimedTotal = 0;
      let interrupted = 0;
      for (;;) {
        throwIfAborted(recoverOptions.signal);
        const claimed = await store.claim({
          owner,
          leaseMs,
          now: clock.now(),
          names,
          limit: batchSize,
          signal: recoverOptions.signal,
        });
        claimedTotal += claimed.length;
        const runs = claimed.map((record) =>
          track(
            record.id,
            { name: record.name, input: record.input, tenantId: record.tenantId },
            resume(registry.get(record.name)!, record, recoverOptions.signal),
          ),
        );
        for (const [i, settled] of (await Promise.allSettled(runs)).entries()) {
          if (settled.status === 'fulfilled') counts[settled.value.record.state] += 1;
          else {
            interrupted += 1;
            const reason: unknown = settled.reason;
            logger.warn(
              { err: reason, sagaId: claimed[i]!.id },
              'saga recovery stopped before the saga ended',
            );
          }
        }
        if (claimed.length < batchSize) break;
      }
      return {
        claimed: claimedTotal,
        completed: counts.completed,
        compensated: counts.compensated,
        failed: counts.failed,
        compensationFailed: counts.compensation_failed,
        interrupted,
      };
    },

    get: (sagaId, getOptions) => store.get(sagaId, getOptions),
    list: (query) => store.list(query),
    onEvent: (listener) => hub.subscribe(listener),
  };
}

function joinOption(
  join: SagaJoin | undefined,
  transactions: SagaTransactions | undefined,
): SagaJoin | undefined {
  if (join === undefined) return undefined;
  if (typeof join !== 'object' || join === null)
    throw new InvalidOptionError('join', join, 'an object with start and/or end functions');
  checkFunctionOption('join.start', join.start, false);
  checkFunctionOption('join.end', join.end, false);
  if (!transactions)
    throw new InvalidOptionError('join', join, 'left out: the coordinator has no transactions to join', {
      factory: 'createSagaCoordinator',
    });
  return join;
}

function transactionsOption(
  value: SagaTransactions | undefined,
  registry: ReadonlyMap<string, RegisteredSaga>,
  details: InvalidOptionDetails,
): SagaTransactions | undefined {
  if (value === undefined) {
    for (const saga of registry.values()) {
      const local = saga.steps.find((step) => step.local);
      if (local)
        throw new InvalidOptionError(
          'transactions',
          value,
          `a unit of work for the local step "${local.name}" of saga "${saga.name}", e.g. createPostgresStores().unitOfWork`,
          details,
        );
    }
    return undefined;
  }
  if (typeof (value as Partial<SagaTransactions> | null)?.run !== 'function')
    throw new InvalidOptionError('transactions', value, 'a unit of work (an object with run(work))', details);
  return value;
}

function toRegistry(
  sagas: readonly RegisteredSaga[] | undefined,
  details: InvalidOptionDetails,
): ReadonlyMap<string, RegisteredSaga> {
  if (!Array.isArray(sagas))
    throw new InvalidOptionError('sagas', sagas, 'an array of saga definitions (defineSaga)', details);
  const registry = new Map<string, RegisteredSaga>();
  sagas.forEach((saga: RegisteredSaga | undefined, i) => {
    if (typeof saga?.name !== 'string' || !Array.isArray(saga.steps)) {
      throw new InvalidOptionError(`sagas[${i}]`, saga, 'a saga definition made by defineSaga()', details);
    }
    if (saga.steps.length === 0)
      throw new InvalidOptionError(`sagas[${i}].steps`, saga.steps, 'at least one step', details);
    if (registry.has(saga.name))
      throw new InvalidOptionError(`sagas[${i}].name`, saga.name, 'a name used by one saga only', details);
    registry.set(saga.name, saga);
  });
  return registry;
}
