import { AsyncLocalStorage } from 'node:async_hooks';
import { systemClock, type Clock } from '../../ports/clock.js';
import { throwIfAborted } from '../../util/abort.js';
import {
  appointmentSchema,
  callSchema,
  customerSchema,
  type AppointmentTable,
  type CallTable,
  type CustomerTable,
} from './memory-indexes.js';
import { createTenantTable } from './memory-table.js';
import { UnitOfWorkMisuseError } from './unit-of-work-misuse-error.js';
import { createWriteLock, type WaitLimit } from './write-lock.js';

/** Default longest wait for the write lock. @internal */
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

/** Settings of the memory database. @internal */
export interface MemoryDatabaseOptions {
  readonly clock: Clock;
  /** Longest wait for the write lock. */
  readonly lockTimeoutMs: number;
}

/** The tables of the memory stores. @internal */
export interface MemoryRecords {
  readonly appointments: AppointmentTable;
  readonly customers: CustomerTable;
  readonly calls: CallTable;
}

/**
 * How a memory repository reaches its tables: the committed tables directly, or a unit of work's
 * staged view of them.
 *
 * @internal
 */
export interface StoreAccess {
  /** The tables to read. */
  read(): MemoryRecords;
  /**
   * Runs `change` with exclusive write access. `change` is synchronous, so a check and the write
   * it guards are never separated by an await.
   */
  write<T>(change: (records: MemoryRecords) => T, signal?: AbortSignal): Promise<T>;
}

/** A unit of work in progress, as the database tracks it. @internal */
export interface OpenTransaction {
  readonly database: MemoryDatabase;
  closed: boolean;
}

/**
 * Shared state of the memory stores: committed tables, and one write lock that serialises every
 * write and every unit of work.
 *
 * @internal
 */
export interface MemoryDatabase {
  readonly records: MemoryRecords;
  /** Writes straight to the committed tables, one at a time. */
  readonly access: StoreAccess;
  /** Runs `work` holding the write lock, so nothing else writes while it runs. */
  exclusive<T>(work: () => Promise<T>, transaction: OpenTransaction, signal?: AbortSignal): Promise<T>;
}

/** Which unit of work (if any) the current async call chain runs in. */
const running = new AsyncLocalStorage<OpenTransaction>();

/** @internal */
export function createMemoryDatabase(
  options: MemoryDatabaseOptions = { clock: systemClock, lockTimeoutMs: DEFAULT_LOCK_TIMEOUT_MS },
): MemoryDatabase {
  const lock = createWriteLock();
  const limit: WaitLimit = {
    clock: options.clock,
    ms: options.lockTimeoutMs,
    error: () => new UnitOfWorkMisuseError({ reason: 'lock_timeout', lockTimeoutMs: options.lockTimeoutMs }),
  };
  const records: MemoryRecords = {
    appointments: createTenantTable(appointmentSchema),
    customers: createTenantTable(customerSchema),
    calls: createTenantTable(callSchema),
  };

  // A write or unit of work started from inside an open unit of work of this database would wait
  // for the lock that unit of work holds: refuse it instead of hanging.
  const refuseNested = (): void => {
    const current = running.getStore();
    if (current && current.database === database && !current.closed)
      throw new UnitOfWorkMisuseError({ reason: 'nested' });
  };

  const database: MemoryDatabase = {
    records,
    access: {
      read: () => records,
      async write(change, signal) {
        throwIfAborted(signal);
        refuseNested();
        const release = await lock.acquire(signal, limit);
        try {
          return change(records);
        } finally {
          release();
        }
      },
    },
    async exclusive(work, transaction, signal) {
      throwIfAborted(signal);
      refuseNested();
      const release = await lock.acquire(signal, limit);
      try {
        return await running.run(transaction, work);
      } finally {
        transaction.closed = true;
        release();
      }
    },
  };
  return database;
}
