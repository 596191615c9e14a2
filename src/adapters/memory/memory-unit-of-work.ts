import type { OutboxMessageInput, OutboxScrubFilter, OutboxStore } from '../../ports/outbox-store.js';
import type { TransactionalStores, UnitOfWork } from '../../ports/unit-of-work.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import type { MemoryDatabase, MemoryRecords, OpenTransaction, StoreAccess } from './memory-database.js';
import { createOverlayTable } from './memory-overlay-table.js';
import { checkOutboxInputs } from './outbox-input.js';
import { UnitOfWorkMisuseError } from './unit-of-work-misuse-error.js';

/** A scrub of committed outbox messages, applied when the unit of work commits. */
interface StagedScrub {
  readonly filter: OutboxScrubFilter;
  readonly rewrite: (payload: string) => string;
}

/** Builds the stores of a unit of work over its staged access and staging outbox. @internal */
export type StoresOn = (access: StoreAccess, outbox: OutboxStore) => TransactionalStores;

/**
 * An outbox whose appends are staged until the unit of work commits. The relay's operations
 * (claim, settle, list, replay, purge) act on the committed store: relays never run inside a unit of work.
 */
function stagingOutbox(
  committed: OutboxStore,
  staged: OutboxMessageInput[],
  scrubs: StagedScrub[],
  assertOpen: () => void,
): OutboxStore {
  return {
    async scrub(filter, rewrite, options = {}): Promise<number> {
      throwIfAborted(options.signal);
      assertOpen();
      const keys = new Set(filter.orderingKeys);
      let changed = 0;
      staged.forEach((message, index) => {
        if (message.tenantId !== filter.tenantId || !keys.has(message.orderingKey)) return;
        const payload = rewrite(message.payload);
        if (payload === message.payload) return;
        changed += 1;
        if (!options.dryRun) staged[index] = { ...message, payload };
      });
      // The committed messages are rewritten at commit; counted now, as they stand.
      changed += await committed.scrub(filter, rewrite, { dryRun: true });
      if (!options.dryRun) scrubs.push({ filter, rewrite });
      return changed;
    },
    async append(messages: readonly OutboxMessageInput[], options: OperationOptions = {}): Promise<void> {
      throwIfAborted(options.signal);
      assertOpen();
      checkOutboxInputs(messages);
      staged.push(...messages.map((message) => ({ ...message })));
    },
    claim: (request) => committed.claim(request),
    markDelivered: (id, owner, options) => committed.markDelivered(id, owner, options),
    markFailed: (id, failure) => committed.markFailed(id, failure),
    list: (query) => committed.list(query),
    replay: (ids, options) => committed.replay(ids, options),
    purge: (options) => committed.purge(options),
  };
}

/**
 * A {@link UnitOfWork} over the memory database: units of work run one at a time, holding the
 * database's write lock (serialisable isolation), and stage their writes over the committed
 * tables. Outside readers see only committed records; on success the staged records and outbox
 * messages are applied in one step, on a throw they are dropped.
 *
 * @internal
 */
export function memoryUnitOfWork(
  database: MemoryDatabase,
  outbox: OutboxStore,
  storesOn: StoresOn,
): UnitOfWork {
  return {
    async run<T>(
      work: (stores: TransactionalStores) => Promise<T>,
      options: OperationOptions = {},
    ): Promise<T> {
      throwIfAborted(options.signal);
      const transaction: OpenTransaction = { database, closed: false };
      const assertOpen = (): void => {
        if (transaction.closed) throw new UnitOfWorkMisuseError({ reason: 'closed' });
      };
      return database.exclusive(
        async () => {
          const staged = {
            appointments: createOverlayTable(database.records.appointments),
            customers: createOverlayTable(database.records.customers),
            calls: createOverlayTable(database.records.calls),
          };
          const messages: OutboxMessageInput[] = [];
          const scrubs: StagedScrub[] = [];
          const access: StoreAccess = {
            read(): MemoryRecords {
              assertOpen();
              return staged;
            },
            async write(change, signal) {
              throwIfAborted(signal);
              assertOpen();
              return change(staged);
            },
          };
          try {
            const result = await work(storesOn(access, stagingOutbox(outbox, messages, scrubs, assertOpen)));
            transaction.closed = true;
            // Every rewrite runs once as a dry run first: one that throws leaves everything as it was.
            for (const { filter, rewrite } of scrubs) await outbox.scrub(filter, rewrite, { dryRun: true });
            for (const { filter, rewrite } of scrubs) await outbox.scrub(filter, rewrite);
            if (messages.length > 0) await outbox.append(messages);
            staged.appointments.commit();
            staged.customers.commit();
            staged.calls.commit();
            return result;
          } finally {
            transaction.closed = true;
          }
        },
        transaction,
        options.signal,
      );
    },
  };
}
