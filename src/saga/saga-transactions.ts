import type { OperationOptions } from '../util/abort.js';
import type { SagaStore } from './saga-store.js';

/**
 * What a transaction of {@link SagaTransactions} hands its work: the stores of the database, and,
 * when the saga log lives in that database too, the saga store writing through the same
 * transaction.
 */
export interface SagaTransactionScope {
  /**
   * The saga store, bound to this transaction, when the saga log lives in the transaction's
   * database. The coordinator then records a local step's completion in the transaction that
   * made its effect (exactly once); without it, the completion is written after the commit.
   */
  readonly sagas?: SagaStore | undefined;
}

/**
 * Opens the transactions that local saga steps run in (`localStep` in {@link defineSaga}): a
 * unit of work over the application's database. Give it to `createSagaCoordinator({
 * transactions })`. `createPostgresStores().unitOfWork` is one: its transactions carry the saga
 * store of `createPostgresStores().sagas`.
 *
 * @example
 * ```ts
 * declare const sql: SqlClient;
 * declare const holdSaga: RegisteredSaga;
 * // ---cut---
 * const stores = createPostgresStores({ sql });
 * const coordinator = createSagaCoordinator({
 *   store: stores.sagas,
 *   transactions: stores.unitOfWork,
 *   sagas: [holdSaga],
 * });
 * ```
 */
export interface SagaTransactions<Tx extends SagaTransactionScope = SagaTransactionScope> {
  /** Runs `work` in one transaction: everything it wrote commits if it resolves, nothing if it throws. */
  run<T>(work: (tx: Tx) => Promise<T>, options?: OperationOptions): Promise<T>;
}
