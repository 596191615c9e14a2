import { LRUCache } from 'lru-cache';
import type { Customer, CustomerStats } from '../../domain/customer.js';
import { isVersionConflictError } from '../../errors/store-errors.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import type {
  CustomerStatsChange,
  CustomerStatsOutcome,
  CustomerStatsStore,
} from '../../ports/customer-stats-store.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { numberOption, requireOption } from '../../util/options.js';
import { requireTenantId } from '../../util/tenant-id.js';

/** Options of {@link createMemoryCustomerStatsStore}. */
export interface MemoryCustomerStatsStoreOptions {
  /** Where the customers (and their `stats`) are kept. */
  readonly customers: CustomerRepository;
  /**
   * How many applied event ids are remembered, over all tenants (least recently applied go
   * first); a redelivery older than that would count again.
   * @default 100000
   */
  readonly rememberEvents?: number;
}

/** Longest chain of merges followed to the surviving customer. */
const MAX_MERGE_HOPS = 10;
/** Attempts of one update when other writers keep changing the customer. */
const MAX_ATTEMPTS = 5;

const add = (stats: CustomerStats, delta: Partial<CustomerStats>): CustomerStats => ({
  bookings: stats.bookings + (delta.bookings ?? 0),
  cancellations: stats.cancellations + (delta.cancellations ?? 0),
  noShows: stats.noShows + (delta.noShows ?? 0),
});

/**
 * The embedded {@link CustomerStatsStore}: counters live on the customers of `customers`
 * (optimistic updates, retried on a version conflict); applied event ids are remembered in
 * process memory. Both are lost together when the process ends, which keeps "applied once" true
 * with the memory repository; over a durable repository use a store that records event ids in
 * the same transaction.
 *
 * @throws `InvalidOptionError` naming `createMemoryCustomerStatsStore` for a missing repository or a
 *   bad `rememberEvents`.
 * @example
 * ```ts
 * declare const stores: MemoryStores;
 * // ---cut---
 * const stats = createMemoryCustomerStatsStore({ customers: stores.customers });
 * ```
 */
export function createMemoryCustomerStatsStore(options: MemoryCustomerStatsStoreOptions): CustomerStatsStore {
  const factory = 'createMemoryCustomerStatsStore';
  const customers = requireOption(
    factory,
    options,
    'customers',
    'a CustomerRepository, e.g. stores.customers from createMemoryStores()',
    (value) => typeof (value as Partial<CustomerRepository>).update === 'function',
  );
  const max = numberOption(
    'rememberEvents',
    options.rememberEvents,
    100_000,
    { min: 1, max: 100_000_000, integer: true },
    { factory },
  );
  const applied = new LRUCache<string, true>({ max });
  /** Applies run one at a time, so two deliveries of one event cannot both pass the check. */
  let queue: Promise<unknown> = Promise.resolve();

  const survivorOf = async (
    tenantId: string,
    id: string,
    opts: OperationOptions,
  ): Promise<Customer | null> => {
    let customer = await customers.get(tenantId, id, opts);
    for (let hops = 0; customer?.mergedInto && hops < MAX_MERGE_HOPS; hops += 1) {
      customer = await customers.get(tenantId, customer.mergedInto, opts);
    }
    return customer;
  };

  const applyNow = async (
    tenantId: string,
    customerId: string,
    change: CustomerStatsChange,
    opts: OperationOptions,
  ): Promise<CustomerStatsOutcome> => {
    const key = JSON.stringify([tenantId, change.eventId]);
    if (applied.has(key)) return 'duplicate';
    for (let attempt = 1; ; attempt += 1) {
      const customer = await survivorOf(tenantId, customerId, opts);
      if (!customer) return 'not_found';
      try {
        await customers.update(
          { ...customer, stats: add(customer.stats, change.delta), version: customer.version + 1 },
          customer.version,
          opts,
        );
        applied.set(key, true);
        return 'applied';
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isVersionConflictError(error)) throw error;
      }
    }
  };

  return {
    async apply(tenantId, customerId, change, opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      const tenant = requireTenantId(tenantId);
      const run = queue.then(() => applyNow(tenant, customerId, change, opts));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
