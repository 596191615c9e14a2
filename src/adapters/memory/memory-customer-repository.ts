import { Customer } from '../../domain/customer.js';
import {
  DuplicateRecordError,
  isDuplicateRecordError,
  VersionConflictError,
} from '../../errors/store-errors.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { requireTenantId } from '../../util/tenant-id.js';
import { createMemoryDatabase, type StoreAccess } from './memory-database.js';
import { checkExpectedVersion, copyIn, copyOut, requireVersion } from './memory-records.js';
import { customerSchema, type CustomerTable } from './memory-indexes.js';

/** Throws when an unmerged `candidate` shares its phone or email with another unmerged customer. */
function assertContactsFree(table: CustomerTable, candidate: Customer): void {
  const other = (index: 'phone' | 'email', key: string): boolean =>
    table.lookup(index, candidate.tenantId, key).some((found) => found.id !== candidate.id);
  const [phone] = customerSchema.lookups.phone(candidate);
  if (phone !== undefined && other('phone', phone))
    throw new DuplicateRecordError({ entity: 'Customer', field: 'phone', value: phone });
  const [email] = customerSchema.lookups.email(candidate);
  if (email !== undefined && other('email', email))
    throw new DuplicateRecordError({ entity: 'Customer', field: 'email', value: candidate.email! });
}

/** The unmerged customer found under `key` (the index holds unmerged customers only). */
function findUnmerged(
  table: CustomerTable,
  tenantId: string,
  index: 'phone' | 'email',
  key: string,
): Customer | null {
  const found = table.lookup(index, requireTenantId(tenantId), key)[0];
  return found ? copyOut(found) : null;
}

/**
 * A {@link CustomerRepository} over the memory tables reached through `access`.
 *
 * @internal
 */
export function customerRepositoryOn(access: StoreAccess): CustomerRepository {
  return {
    async insert(customer: Customer, options: OperationOptions = {}): Promise<void> {
      throwIfAborted(options.signal);
      const record = copyIn(Customer, customer, 'Customer');
      requireVersion('Customer', record.version, 1);
      await access.write(({ customers }) => {
        if (customers.get(record.tenantId, record.id))
          throw new DuplicateRecordError({ entity: 'Customer', field: 'id', value: record.id });
        assertContactsFree(customers, record);
        customers.put(record);
      }, options.signal);
    },

    async insertIfAbsent(customer: Customer, options: OperationOptions = {}): Promise<boolean> {
      throwIfAborted(options.signal);
      const record = copyIn(Customer, customer, 'Customer');
      requireVersion('Customer', record.version, 1);
      return access.write(({ customers }) => {
        if (customers.get(record.tenantId, record.id)) return false;
        try {
          assertContactsFree(customers, record);
        } catch (error) {
          if (isDuplicateRecordError(error)) return false;
          throw error;
        }
        customers.put(record);
        return true;
      }, options.signal);
    },

    async update(customer: Customer, expectedVersion: number, options: OperationOptions = {}): Promise<void> {
      throwIfAborted(options.signal);
      checkExpectedVersion(expectedVersion);
      const record = copyIn(Customer, customer, 'Customer');
      requireVersion('Customer', record.version, expectedVersion + 1);
      await access.write(({ customers }) => {
        const stored = customers.get(record.tenantId, record.id);
        if (stored?.version !== expectedVersion) {
          throw new VersionConflictError({
            entity: 'Customer',
            id: record.id,
            expectedVersion,
            actualVersion: stored?.version ?? null,
          });
        }
        assertContactsFree(customers, record);
        customers.put(record);
      }, options.signal);
    },

    async get(tenantId: string, id: string, options: OperationOptions = {}): Promise<Customer | null> {
      throwIfAborted(options.signal);
      const stored = access.read().customers.get(requireTenantId(tenantId), id);
      return stored ? copyOut(stored) : null;
    },

    async findByPhone(
      tenantId: string,
      phone: string,
      options: OperationOptions = {},
    ): Promise<Customer | null> {
      throwIfAborted(options.signal);
      return findUnmerged(access.read().customers, tenantId, 'phone', phone);
    },

    async findByEmail(
      tenantId: string,
      email: string,
      options: OperationOptions = {},
    ): Promise<Customer | null> {
      throwIfAborted(options.signal);
      return findUnmerged(access.read().customers, tenantId, 'email', email.toLowerCase());
    },
  };
}

/**
 * The embedded {@link CustomerRepository}, kept in process memory. Phone and email uniqueness
 * among unmerged customers is checked and the record written in one synchronous step under the
 * store's write lock; emails are stored as given and compared lower-case. Phones and emails are
 * indexed, so neither the check nor a look-up visits other customers.
 *
 * @example
 * ```ts
 * declare const tenantId: string;
 * // ---cut---
 * const customers = createMemoryCustomerRepository();
 * const known = await customers.findByPhone(tenantId, '+493012345678');
 * ```
 */
export function createMemoryCustomerRepository(): CustomerRepository {
  return customerRepositoryOn(createMemoryDatabase().access);
}
