import type { Customer } from '../domain/customer.js';
import type { OperationOptions } from '../util/abort.js';

/**
 * Customers of every tenant, scoped by `tenantId`. Within a tenant, `phone` and `email` are
 * unique among customers not merged into another (`mergedInto === null`).
 *
 * @example
 * ```ts
 * declare const customers: CustomerRepository;
 * declare const tenantId: string;
 * // ---cut---
 * const known = await customers.findByPhone(tenantId, '+493012345678');
 * ```
 */
export interface CustomerRepository {
  /**
   * Stores a new customer (version 1).
   * @throws {@link DuplicateRecordError} when the id, or the phone or email of an unmerged customer, exists.
   */
  insert(customer: Customer, options?: OperationOptions): Promise<void>;
  /**
   * Stores a new customer (version 1) unless its id, or the phone or email of an unmerged
   * customer, exists: `false` then, with nothing written and no error. Optional: a repository
   * that has it lets the customer service create a new customer in one statement, looking the
   * known one up only when the insert is refused.
   */
  insertIfAbsent?(customer: Customer, options?: OperationOptions): Promise<boolean>;
  /**
   * Replaces a customer still at `expectedVersion`.
   * @throws {@link VersionConflictError}; {@link DuplicateRecordError} as for insert.
   */
  update(customer: Customer, expectedVersion: number, options?: OperationOptions): Promise<void>;
  get(tenantId: string, id: string, options?: OperationOptions): Promise<Customer | null>;
  /** The unmerged customer with this E.164 phone, or `null`. */
  findByPhone(tenantId: string, phone: string, options?: OperationOptions): Promise<Customer | null>;
  /** The unmerged customer with this email (compared lower-case), or `null`. */
  findByEmail(tenantId: string, email: string, options?: OperationOptions): Promise<Customer | null>;
}
