import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { SagaQuery, SagaRecord, SagaStore } from './saga-store.js';
import type { OperationOptions } from '../util/abort.js';
import type { Disposable } from '../util/disposable.js';
import type { SagaDefinition, SagaStep } from './define-saga.js';
import type { SagaEventListener } from './saga-events.js';
import type { SagaCompletion } from './saga-outcome.js';
import type { SagaTransactions } from './saga-transactions.js';

/** A saga definition of any input and output type, as a coordinator registers it. */
export interface RegisteredSaga {
  readonly name: string;
  readonly steps: readonly SagaStep[];
  readonly parseInput: ((input: unknown) => unknown) | undefined;
}

/** Options of {@link createSagaCoordinator}. */
export interface SagaCoordinatorOptions {
  /** The durable log (the memory store, or `createPostgresSagaStore` from `bookingkit/postgres`). */
  readonly store: SagaStore;
  /**
   * Every saga this coordinator may start or recover. Recovery after a restart finds a saga's
   * code by its name, so register every saga whose runs may be in the store.
   */
  readonly sagas: readonly RegisteredSaga[];
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** This worker's identity in leases; unique per process. @default `saga-<uuid v7>` */
  readonly owner?: string;
  /**
   * How long a saga stays reserved to this worker after each write. A worker that dies holds its
   * sagas this long before `recover()` elsewhere takes them over; long steps renew it every
   * third of it. @default 30_000
   */
  readonly leaseMs?: number;
  /** A listener for every saga event, subscribed at creation (the same as `onEvent`). @default none */
  readonly events?: SagaEventListener;
  /**
   * Opens the transactions that local steps (`localStep`) run in, e.g. `createPostgresStores().
   * unitOfWork`. When its transactions carry the saga store (`tx.sagas`), a local step's
   * completion is written in the transaction that made its effect, a saga whose first step is
   * local is created in that same transaction, and a remote step followed by a local one has its
   * completion written with it. Required when a saga has a local step. @default none
   */
  readonly transactions?: SagaTransactions;
}

/** Options of `coordinator.start`. */
export interface SagaStartOptions extends OperationOptions {
  /**
   * Identity of the run and its idempotency key: starting the same id again returns the first
   * run's result instead of running it twice. @default a new UUID v7
   */
  readonly sagaId?: string;
  /** The tenant the run belongs to; stored, listed and put on bus events. @default null */
  readonly tenantId?: string | null;
  /**
   * The caller's own writes to commit with the saga's (needs `transactions`): `start` runs in the
   * transaction that creates the saga (with its first step, when that step is local and the
   * transactions carry the saga store; else in a transaction of its own just before), `end` in
   * the transaction that records the saga completed. If `start` throws, the saga is not started
   * and `start()` rejects with that error. A saga resumed by `recover()` runs neither. @default none
   */
  readonly join?: SagaJoin;
}

/** Writes of the caller that commit with a saga's first and last log writes (see {@link SagaStartOptions.join}). */
export interface SagaJoin<Tx = never> {
  /** Runs in the transaction that creates the saga. */
  readonly start?: (tx: Tx) => Promise<void>;
  /** Runs in the transaction that records the saga `completed`. */
  readonly end?: (tx: Tx, record: SagaRecord) => Promise<void>;
}

/** Options of `coordinator.recover`. */
export interface SagaRecoveryOptions extends OperationOptions {
  /** Sagas claimed and driven concurrently per round. @default 10 */
  readonly batchSize?: number;
}

/** What `recover()` did: how many sagas it took over, and how each ended. */
export interface SagaRecoveryReport {
  readonly claimed: number;
  readonly completed: number;
  readonly compensated: number;
  readonly failed: number;
  readonly compensationFailed: number;
  /** Stopped before a final state (lease lost to another worker, store error): still live. */
  readonly interrupted: number;
}

/** Runs sagas with a durable log, compensation and crash recovery. */
export interface SagaCoordinator {
  /** This worker's identity in leases. */
  readonly owner: string;
  /**
   * Runs a saga to its end, or returns the end of the run already logged under `sagaId`.
   *
   * Resolves with the step outputs when the saga completed. Rejects with a
   * {@link SagaCompensatedError} when a step failed and was undone, and with a
   * {@link SagaFailedError} when it could not be undone (manual review). A run that is live in
   * another worker is not run twice: `start` rejects with a {@link SagaInProgressError} (or, once
   * that worker's lease expired, takes the run over and finishes it).
   *
   * @throws {@link SagaNotRegisteredError}, `ValidationError` (input), {@link SagaIdConflictError},
   * {@link SagaLeaseLostError}, a store error, or the caller's abort reason (in the last two cases the
   * run stays live, and `recover` finishes it once this worker's lease has expired).
   */
  start<Input, Results extends object>(
    saga: SagaDefinition<Input, Results>,
    input: NoInfer<Input>,
    options?: SagaStartOptions,
  ): Promise<SagaCompletion<Results>>;
  /**
   * Takes over every live saga (of the registered names) whose lease expired, because its worker
   * died, and drives each to a final state: re-running the step that was in progress (steps must
   * be idempotent), or continuing its compensation. Call it at start-up and then periodically.
   */
  recover(options?: SagaRecoveryOptions): Promise<SagaRecoveryReport>;
  /** The logged record of a saga, or `undefined`. */
  get(sagaId: string, options?: OperationOptions): Promise<SagaRecord | undefined>;
  /** Lists logged sagas, e.g. those in `compensation_failed` for operators. */
  list(query?: SagaQuery): Promise<SagaRecord[]>;
  /** Subscribes to every saga event; dispose to unsubscribe. */
  onEvent(listener: SagaEventListener): Disposable;
}
