import { systemClock, type Clock } from '../../ports/clock.js';
import type { OutboxStore } from '../../ports/outbox-store.js';
import { numberOption } from '../../util/options.js';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import type { TransactionalStores, UnitOfWork } from '../../ports/unit-of-work.js';
import { appointmentRepositoryOn } from './memory-appointment-repository.js';
import { callRepositoryOn } from './memory-call-repository.js';
import { customerRepositoryOn } from './memory-customer-repository.js';
import { createMemoryDatabase, DEFAULT_LOCK_TIMEOUT_MS } from './memory-database.js';
import { createMemoryOutboxStore, type MemoryOutboxStoreOptions } from './memory-outbox-store.js';
import { createMemoryReconciliationCursorStore } from './memory-reconciliation-cursor-store.js';
import type { ReconciliationCursorStore } from '../../ports/reconciliation-cursor-store.js';
import { memoryUnitOfWork, type StoresOn } from './memory-unit-of-work.js';

/** Options of {@link createMemoryStores}. */
export interface MemoryStoresOptions {
  /**
   * Times the wait for the write lock.
   * @default systemClock
   */
  readonly clock?: Clock;
  /**
   * Longest a write or unit of work waits for the write lock before it rejects with a
   * `UnitOfWorkMisuseError` (reason `lock_timeout`); a unit of work holds the lock while it runs.
   * @default 30000
   */
  readonly lockTimeoutMs?: number;
  /**
   * Options of the outbox store.
   * @default {}
   */
  readonly outbox?: MemoryOutboxStoreOptions;
}

/** The memory stores, sharing one state, and the unit of work that spans them. */
export interface MemoryStores extends TransactionalStores {
  /** The whole outbox: the bus writes to it, the relay delivers from it, operators inspect it. */
  readonly outbox: OutboxStore;
  readonly unitOfWork: UnitOfWork;
  /** Each tenant's reconciliation cursor (outside the unit of work: saved after a run). */
  readonly reconciliationCursors: ReconciliationCursorStore;
}

/**
 * Creates the embedded storage of a booking backend: appointment, customer and call
 * repositories, an outbox store, and a {@link UnitOfWork} whose transactions cover all four;
 * and the tenants' reconciliation cursors.
 *
 * Writes are serialised by one write lock, and a unit of work holds it while it runs, so units
 * of work never see each other's writes (serialisable isolation); its writes are staged and
 * applied only when the work resolves, so outside readers never see uncommitted records. Inside
 * `run`, use the stores passed to the work: a write through these shared stores from inside a
 * running unit of work is refused with a `UnitOfWorkMisuseError` rather than left to deadlock,
 * and a write that waits longer than `lockTimeoutMs` for the lock rejects the same way. Of the
 * outbox, `append` takes part in the transaction; the relay's operations (`claim`, `mark*`,
 * `list`, `replay`) act on the committed messages, as relays never run inside a unit of work.
 *
 * @throws {@link InvalidOptionError} for a bad `clock` or `lockTimeoutMs`.
 *
 * @example
 * ```ts
 * declare const clock: Clock;
 * declare const appointment: Appointment;
 * declare const bus: EventBus<BookingEvents>;
 * declare const bookedEvent: DomainEvent<BookingEvents, 'appointment.booked'>;
 * // ---cut---
 * const stores = createMemoryStores({ clock });
 * await stores.unitOfWork.run(async (tx) => {
 *   await tx.appointments.insert(appointment);
 *   await tx.outbox.append(bus.toOutboxMessages(bookedEvent));
 * });
 * ```
 */
export function createMemoryStores(options: MemoryStoresOptions = {}): MemoryStores {
  const factory = 'createMemoryStores';
  const lockTimeoutMs = numberOption(
    'lockTimeoutMs',
    options.lockTimeoutMs,
    DEFAULT_LOCK_TIMEOUT_MS,
    { min: 1, integer: true },
    { factory },
  );
  const clock = options.clock ?? systemClock;
  if (typeof clock?.setTimer !== 'function')
    throw new InvalidOptionError('clock', clock, 'a Clock, e.g. systemClock', { factory });
  const database = createMemoryDatabase({ clock, lockTimeoutMs });
  const outbox = createMemoryOutboxStore(options.outbox ?? {});
  const storesOn: StoresOn = (access, outboxStore: OutboxStore) => ({
    appointments: appointmentRepositoryOn(access),
    customers: customerRepositoryOn(access),
    calls: callRepositoryOn(access, clock),
    outbox: outboxStore,
  });
  return {
    ...storesOn(database.access, outbox),
    outbox,
    unitOfWork: memoryUnitOfWork(database, outbox, storesOn),
    reconciliationCursors: createMemoryReconciliationCursorStore(),
  };
}
