import type { OutboxStore } from '../../ports/outbox-store.js';
import type { PostgresClockedStoreOptions } from './postgres-store-options.js';
import { storesOn, unitOfWorkOn, type PostgresTransactionStores } from './postgres-unit-of-work.js';
import { clockOption, createSqlContext } from './sql-context.js';
import type { TransactionalStores, UnitOfWork } from '../../ports/unit-of-work.js';
import type { SagaStore } from '../../saga/saga-store.js';
import type { IdempotencyStore } from '../../idempotency/idempotency-store.js';
import type { ReconciliationCursorStore } from '../../ports/reconciliation-cursor-store.js';
import { reconciliationCursorStore } from './postgres-reconciliation-cursor-store.js';

/** The Postgres stores of one schema, and the unit of work that spans them. */
export interface PostgresStores extends TransactionalStores {
  /** The whole outbox: the bus writes to it, the relay delivers from it, operators inspect it. */
  readonly outbox: OutboxStore;
  /**
   * The saga log in the same schema. Give it to the booking service (or a saga coordinator) with
   * this `unitOfWork`, and local saga steps record their completion in their own transaction.
   */
  readonly sagas: SagaStore;
  /**
   * The idempotency store in the same schema. Given to the booking service as its `idempotency`
   * with this `unitOfWork`, a book claims its key in its first transaction and stores its answer
   * in its last.
   */
  readonly idempotency: IdempotencyStore;
  /** Transactions over the repositories, the outbox, the saga log and the idempotency store. */
  readonly unitOfWork: UnitOfWork<PostgresTransactionStores>;
  /** Each tenant's reconciliation cursor (outside the unit of work: saved after a run). */
  readonly reconciliationCursors: ReconciliationCursorStore;
}

/**
 * Creates the durable storage of a booking backend on Postgres (or PGlite): appointment,
 * customer and call repositories, an outbox store, the saga log, and a {@link UnitOfWork} whose
 * transactions cover all five. Run `migrate` first, with the same schema.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a missing client, an invalid schema name or clock.
 * @example
 * ```ts
 * declare const appointment: Appointment;
 * declare const bus: EventBus<BookingEvents>;
 * declare const requestedEvent: DomainEvent<BookingEvents, 'appointment.requested'>;
 * // ---cut---
 * import pg from 'pg';
 * const sql = pgClient(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await migrate(sql, { schema: 'booking' });
 * const stores = createPostgresStores({ sql, schema: 'booking' });
 * await stores.unitOfWork.run(async (tx) => {
 *   await tx.appointments.insert(appointment);
 *   await tx.outbox.append(bus.toOutboxMessages(requestedEvent));
 * });
 * ```
 */
export function createPostgresStores(options: PostgresClockedStoreOptions): PostgresStores {
  const context = createSqlContext(options, 'createPostgresStores');
  const clock = clockOption(options.clock, 'createPostgresStores');
  return {
    ...storesOn(context, clock),
    unitOfWork: unitOfWorkOn(context, clock),
    reconciliationCursors: reconciliationCursorStore(context),
  };
}
