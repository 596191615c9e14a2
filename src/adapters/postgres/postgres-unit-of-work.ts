import { appointmentRepository } from './postgres-appointment-repository.js';
import { callRepository } from './postgres-call-repository.js';
import { customerRepository } from './postgres-customer-repository.js';
import { outboxStore } from './postgres-outbox-store.js';
import { sagaStore } from './postgres-saga-store.js';
import { idempotencyStore } from './postgres-idempotency-store.js';
import type { PostgresClockedStoreOptions } from './postgres-store-options.js';
import {
  clockOption,
  createSqlContext,
  openTransactionScope,
  refuseNested,
  runAsUnit,
  type SqlContext,
} from './sql-context.js';
import type { Clock } from '../../ports/clock.js';
import type { OutboxStore } from '../../ports/outbox-store.js';
import type { TransactionalStores, UnitOfWork } from '../../ports/unit-of-work.js';
import type { SagaStore } from '../../saga/saga-store.js';
import type { IdempotencyStore } from '../../idempotency/idempotency-store.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';

/**
 * The Postgres stores over one context: the shared ones (autocommit) or a transaction's.
 *
 * @internal
 */
export function storesOn(
  context: SqlContext,
  clock: Clock,
): TransactionalStores & PostgresTransactionStores & { readonly outbox: OutboxStore } {
  // Each store is made on first use: a transaction uses a few of them (a book's first one the
  // idempotency store, customers, appointments and the saga log), and making one builds its
  // statements.
  let appointments: ReturnType<typeof appointmentRepository> | undefined;
  let customers: ReturnType<typeof customerRepository> | undefined;
  let calls: ReturnType<typeof callRepository> | undefined;
  let outbox: OutboxStore | undefined;
  let sagas: SagaStore | undefined;
  let idempotency: IdempotencyStore | undefined;
  return {
    get appointments() {
      return (appointments ??= appointmentRepository(context));
    },
    get customers() {
      return (customers ??= customerRepository(context));
    },
    get calls() {
      return (calls ??= callRepository(context, clock));
    },
    get outbox() {
      return (outbox ??= outboxStore(context, clock));
    },
    get sagas() {
      return (sagas ??= sagaStore(context));
    },
    get idempotency() {
      return (idempotency ??= idempotencyStore(context));
    },
  };
}

/**
 * What a Postgres unit of work covers beyond the {@link TransactionalStores}: the saga log, so
 * that a saga coordinator given the unit of work as its `transactions` records a local step's
 * completion in the transaction of its effect, and the idempotency store, so that a command's
 * claim and result commit with its first and last writes.
 */
export interface PostgresTransactionStores {
  /** The saga store, writing through the transaction. */
  readonly sagas: SagaStore;
  /** The idempotency store, writing through the transaction. */
  readonly idempotency: IdempotencyStore;
}

/**
 * The unit of work over an existing (autocommit) {@link SqlContext}.
 *
 * @internal
 */
export function unitOfWorkOn(context: SqlContext, clock: Clock): UnitOfWork<PostgresTransactionStores> {
  const base = context.sql;
  return {
    async run<T>(
      work: (stores: TransactionalStores & PostgresTransactionStores) => Promise<T>,
      options: OperationOptions = {},
    ): Promise<T> {
      throwIfAborted(options.signal);
      refuseNested(base);
      return base.transaction((tx) =>
        runAsUnit(base, async () => {
          const scope = openTransactionScope(tx, context.schema);
          let result: T;
          try {
            result = await work(storesOn(scope.context, clock));
          } catch (error) {
            try {
              scope.close();
            } catch {
              // The work's own error is the one to report.
            }
            throw error;
          }
          scope.close();
          return result;
        }),
      );
    },
  };
}

/**
 * Creates a Postgres {@link UnitOfWork}: `run` opens a transaction (`sql.transaction`) and hands
 * the work appointment, customer and call repositories and an outbox store bound to it, so a
 * state change and the outbox messages of its events commit or roll back together.
 *
 * Inside `run`, use only the stores passed to the work: a write through shared stores on the same
 * client, or a nested `run`, is refused with a `UnitOfWorkMisuseError` (it would bypass the
 * transaction, and on PGlite wait for it forever). A write the stores refuse (a slot conflict, a
 * duplicate) leaves the transaction usable, as with the memory stores: each write runs under a
 * savepoint. If the work swallows a failed statement of the transaction, `run` rejects with that
 * error instead of committing.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a missing client, an invalid schema name or clock.
 * @example
 * ```ts
 * declare const pool: PgPoolLike;
 * declare const confirmed: Appointment;
 * declare const appointment: Appointment;
 * declare const bus: EventBus<BookingEvents>;
 * declare const bookedEvent: DomainEvent<BookingEvents, 'appointment.booked'>;
 * // ---cut---
 * const unitOfWork = createPostgresUnitOfWork({ sql: pgClient(pool) });
 * await unitOfWork.run(async (tx) => {
 *   await tx.appointments.update(confirmed, appointment.version);
 *   await tx.outbox.append(bus.toOutboxMessages(bookedEvent));
 * });
 * ```
 */
export function createPostgresUnitOfWork(
  options: PostgresClockedStoreOptions,
): UnitOfWork<PostgresTransactionStores> {
  return unitOfWorkOn(
    createSqlContext(options, 'createPostgresUnitOfWork'),
    clockOption(options.clock, 'createPostgresUnitOfWork'),
  );
}
