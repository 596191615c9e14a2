import type { Customer, CustomerStats } from '../../domain/customer.js';
import { NotFoundError, isVersionConflictError } from '../../errors/store-errors.js';
import { ValidationError } from '../../errors/validation-error.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import type { OperationOptions } from '../../util/abort.js';
import type { CustomerEventDraft } from './customer-events.js';

/** What {@link CustomerService.merge} did. */
export interface MergeCustomersResult {
  /** The survivor after the merge: summed statistics, and contact fields it lacked filled in. */
  readonly survivor: Customer;
  /** Ids merged by this call (already-merged ones are left out). */
  readonly mergedIds: readonly string[];
  /** `customer.merged`, or nothing when every id was already merged into the survivor. */
  readonly events: readonly CustomerEventDraft[];
}

const addStats = (a: CustomerStats, b: CustomerStats): CustomerStats => ({
  bookings: a.bookings + b.bookings,
  cancellations: a.cancellations + b.cancellations,
  noShows: a.noShows + b.noShows,
});

const FILLABLE = ['name', 'email', 'phone', 'locale'] as const;

/** Updates `id` with `change(current)`, re-reading and retrying once on a version conflict. */
async function updateWithRetry(
  customers: CustomerRepository,
  tenantId: string,
  id: string,
  change: (current: Customer) => Customer,
  options: OperationOptions,
): Promise<Customer> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await customers.get(tenantId, id, options);
    if (!current) throw new NotFoundError({ entity: 'Customer', id, tenantId });
    const next = change(current);
    try {
      await customers.update(next, current.version, options);
      return next;
    } catch (error) {
      if (attempt >= 2 || !isVersionConflictError(error)) throw error;
    }
  }
}

/**
 * Merges `mergedIds` into `survivorId` on `customers`: marks each merged customer, then adds
 * their statistics to the survivor and fills the survivor's empty contact fields from them.
 * Merged customers are marked first because phone and email are unique among unmerged customers.
 *
 * @internal
 */
export async function mergeCustomers(
  customers: CustomerRepository,
  tenantId: string,
  survivorId: string,
  mergedIds: readonly string[],
  now: string,
  options: OperationOptions,
): Promise<MergeCustomersResult> {
  if (typeof survivorId !== 'string' || survivorId === '') {
    throw new ValidationError('customer merge', [{ path: 'survivorId', message: 'must be a customer id' }]);
  }
  const ids: readonly string[] = Array.isArray(mergedIds) ? mergedIds : [];
  if (ids.length === 0 || ids.some((id) => typeof id !== 'string' || id === '')) {
    throw new ValidationError('customer merge', [
      { path: 'mergedIds', message: 'must list at least one customer id' },
    ]);
  }
  if (new Set(ids).size !== ids.length || ids.includes(survivorId)) {
    throw new ValidationError('customer merge', [
      { path: 'mergedIds', message: 'must not repeat an id nor include the survivor' },
    ]);
  }
  const survivor = await customers.get(tenantId, survivorId, options);
  if (!survivor) throw new NotFoundError({ entity: 'Customer', id: survivorId, tenantId });
  if (survivor.mergedInto !== null) {
    throw new ValidationError('customer merge', [
      { path: 'survivorId', message: `was itself merged into ${survivor.mergedInto}` },
    ]);
  }
  const toMerge: string[] = [];
  for (const [index, id] of ids.entries()) {
    const customer = await customers.get(tenantId, id, options);
    if (!customer) throw new NotFoundError({ entity: 'Customer', id, tenantId });
    if (customer.mergedInto === survivorId) continue;
    if (customer.mergedInto !== null) {
      throw new ValidationError('customer merge', [
        { path: `mergedIds.${index}`, message: `was already merged into ${customer.mergedInto}` },
      ]);
    }
    toMerge.push(id);
  }
  if (toMerge.length === 0) return { survivor, mergedIds: [], events: [] };

  const marked: Customer[] = [];
  for (const id of toMerge) {
    marked.push(
      await updateWithRetry(
        customers,
        tenantId,
        id,
        (current) => {
          if (current.mergedInto !== null) {
            throw new ValidationError('customer merge', [
              { path: 'mergedIds', message: `${id} was merged into ${current.mergedInto} meanwhile` },
            ]);
          }
          return { ...current, mergedInto: survivorId, version: current.version + 1, updatedAt: now };
        },
        options,
      ),
    );
  }
  const updated = await updateWithRetry(
    customers,
    tenantId,
    survivorId,
    (current) => {
      const next: Customer = { ...current, version: current.version + 1, updatedAt: now };
      for (const customer of marked) {
        next.stats = addStats(next.stats, customer.stats);
        for (const field of FILLABLE) if (next[field] === null) next[field] = customer[field];
      }
      return next;
    },
    options,
  );
  return {
    survivor: updated,
    mergedIds: toMerge,
    events: [{ type: 'customer.merged', data: { survivorId, mergedIds: toMerge } }],
  };
}
