import type { CountryCode } from '../../domain/phone-number.js';
import type { Customer } from '../../domain/customer.js';
import { Id } from '../../domain/common.js';
import { Origin } from '../../domain/origin.js';
import { trustedRecord } from '../../domain/trusted-record.js';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { isDuplicateRecordError, isVersionConflictError } from '../../errors/store-errors.js';
import { parseWith } from '../../errors/validation-error.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { OperationOptions } from '../../util/abort.js';
import { checkFunctionOption, requireOption } from '../../util/options.js';
import { uuidv7 } from '../../util/uuid.js';
import type { CustomerEventDraft } from './customer-events.js';
import { normalizeContact, type CustomerContactInput, type NormalizedContact } from './customer-input.js';
import { mergeCustomers, type MergeCustomersResult } from './customer-merge.js';

/** Options of {@link createCustomerService}. */
export interface CustomerServiceOptions {
  readonly customers: CustomerRepository;
  /** @default systemClock */
  readonly clock?: Clock;
  /**
   * Makes customer ids.
   * @default UUID v7 on the clock
   */
  readonly ids?: () => string;
  /**
   * Country assumed for phone numbers written without a country code: one for all tenants, or
   * looked up per tenant. A call's own `defaultCountry` wins.
   * @default none: such numbers are rejected
   */
  readonly defaultCountry?: CountryCode | ((tenantId: string) => CountryCode | undefined);
  /**
   * Makes `merge` atomic: every write of a merge commits or rolls back together. Without it a
   * merge that fails half-way leaves some customers merged and the survivor's totals not updated.
   * @default none
   */
  readonly unitOfWork?: UnitOfWork;
}

/** Options of {@link CustomerService.findOrCreate}. */
export interface FindOrCreateCustomerOptions extends OperationOptions {
  /** Where the request came from; becomes `source` of `customer.created`. */
  readonly origin: Origin;
  /** The voice call the customer was identified in, for `customer.identified`. @default null */
  readonly callId?: string | null;
  /** Country for phone numbers without a country code. @default the service's `defaultCountry` */
  readonly defaultCountry?: CountryCode;
  /**
   * The repository to read and write through, e.g. a unit of work's (`tx.customers`), so the
   * customer commits with the caller's other writes. @default the service's `customers`
   */
  readonly customers?: CustomerRepository;
}

/** What {@link CustomerService.findOrCreate} did. */
export interface FindOrCreateCustomerResult {
  readonly customer: Customer;
  /** `created` for a new customer, `identified` for a known one. */
  readonly outcome: 'created' | 'identified';
  /** Which contact matched a known customer; `null` when created. */
  readonly matchedBy: 'phone' | 'email' | null;
  /** `customer.created` or `customer.identified`, for the caller to publish. */
  readonly events: readonly CustomerEventDraft[];
}

/**
 * Finds, creates and merges customers. It does not publish: it answers the events to publish
 * (`events`), so that the caller (the booking service) writes them to the outbox in the same
 * transaction as the change that caused them, with its own correlation.
 */
export interface CustomerService {
  /**
   * The customer with this phone (first) or email, with fields it lacked filled in from `input`;
   * or a new customer. Safe under concurrency: a parallel create of the same phone or email
   * answers the customer that won.
   * @throws {@link ValidationError} naming the bad field; {@link VersionConflictError} when the
   * customer kept changing under two attempts.
   */
  findOrCreate(
    tenantId: string,
    input: CustomerContactInput,
    options: FindOrCreateCustomerOptions,
  ): Promise<FindOrCreateCustomerResult>;
  /**
   * Merges duplicates into `survivorId`: marks them `mergedInto` the survivor, adds their
   * statistics to it and fills its empty contact fields. Ids already merged into the survivor are
   * skipped, so repeating a merge is harmless.
   * @throws {@link ValidationError} for bad ids or a customer merged elsewhere;
   * {@link NotFoundError} for an unknown customer.
   */
  merge(
    tenantId: string,
    survivorId: string,
    mergedIds: readonly string[],
    options?: OperationOptions,
  ): Promise<MergeCustomersResult>;
}

const FILLABLE = ['phone', 'email', 'name', 'locale'] as const;

/**
 * Creates the {@link CustomerService}.
 *
 * @throws {@link InvalidOptionError} for a missing repository or a bad option.
 * @example
 * ```ts
 * const customers = createCustomerService({ customers: createMemoryCustomerRepository(), defaultCountry: 'DE' });
 * const { customer, events } = await customers.findOrCreate('acme', { phone: '030 1234 5678', name: 'Ana' }, { origin: 'voice' });
 * ```
 */
export function createCustomerService(options: CustomerServiceOptions): CustomerService {
  const defaultRepository = requireOption(
    'createCustomerService',
    options,
    'customers',
    'a CustomerRepository, e.g. createMemoryCustomerRepository()',
    (value) => typeof (value as Partial<CustomerRepository>).findByPhone === 'function',
  );
  const clock = options.clock ?? systemClock;
  const details = { factory: 'createCustomerService' };
  checkFunctionOption('ids', options.ids, false, details);
  const newId = options.ids ?? (() => uuidv7(clock.now()));
  const { defaultCountry, unitOfWork } = options;
  if (
    defaultCountry !== undefined &&
    typeof defaultCountry !== 'function' &&
    !/^[A-Z]{2}$/.test(defaultCountry)
  ) {
    throw new InvalidOptionError(
      'defaultCountry',
      defaultCountry,
      'an ISO 3166 country code like DE, or a function',
      details,
    );
  }
  const countryOf = (tenantId: string, override?: CountryCode): CountryCode | undefined =>
    override ?? (typeof defaultCountry === 'function' ? defaultCountry(tenantId) : defaultCountry);
  const now = (): string => new Date(clock.now()).toISOString();

  const findMatch = async (
    repository: CustomerRepository,
    tenantId: string,
    contact: NormalizedContact,
    opts: OperationOptions,
  ): Promise<{ customer: Customer; by: 'phone' | 'email' } | null> => {
    if (contact.phone !== null) {
      const byPhone = await repository.findByPhone(tenantId, contact.phone, opts);
      if (byPhone) return { customer: byPhone, by: 'phone' };
    }
    if (contact.email !== null) {
      const byEmail = await repository.findByEmail(tenantId, contact.email, opts);
      if (byEmail) return { customer: byEmail, by: 'email' };
    }
    return null;
  };

  /** Fields `customer` lacks that `contact` has; contacts owned by another customer are left out. */
  const fillsFor = async (
    repository: CustomerRepository,
    customer: Customer,
    contact: NormalizedContact,
    opts: OperationOptions,
  ) => {
    const fills: Partial<Pick<Customer, (typeof FILLABLE)[number]>> = {};
    for (const field of FILLABLE) {
      const value = contact[field];
      if (customer[field] !== null || value === null) continue;
      if (field === 'phone' || field === 'email') {
        const owner =
          field === 'phone'
            ? await repository.findByPhone(customer.tenantId, value, opts)
            : await repository.findByEmail(customer.tenantId, value, opts);
        if (owner && owner.id !== customer.id) continue;
      }
      fills[field] = value;
    }
    return fills;
  };

  /**
   * A new customer from checked contact details, marked trusted (the repository writes it without
   * parsing it again) when its id and tenant are ones the schema takes.
   */
  const newCustomer = (tenantId: string, contact: NormalizedContact): Customer => {
    const id = newId();
    const at = now();
    const customer: Customer = {
      id,
      tenantId,
      ...contact,
      mergedInto: null,
      stats: { bookings: 0, cancellations: 0, noShows: 0 },
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    return Id.safeParse(id).success && Id.safeParse(tenantId).success ? trustedRecord(customer) : customer;
  };

  const createdResult = (
    customer: Customer,
    opts: FindOrCreateCustomerOptions,
  ): FindOrCreateCustomerResult => ({
    customer,
    outcome: 'created',
    matchedBy: null,
    events: [{ type: 'customer.created', data: { customerId: customer.id, source: opts.origin } }],
  });

  const attempt = async (
    tenantId: string,
    contact: NormalizedContact,
    opts: FindOrCreateCustomerOptions,
  ): Promise<FindOrCreateCustomerResult> => {
    const repository = opts.customers ?? defaultRepository;
    if (repository.insertIfAbsent) {
      // New customers first: one statement when nobody has the phone or email yet; a refused
      // insert wrote nothing, and the known customer is looked up as below.
      const created = newCustomer(tenantId, contact);
      if (await repository.insertIfAbsent(created, opts)) return createdResult(created, opts);
    }
    const match = await findMatch(repository, tenantId, contact, opts);
    if (match) {
      const identified: CustomerEventDraft = {
        type: 'customer.identified',
        data: { customerId: match.customer.id, by: match.by, callId: opts.callId ?? null },
      };
      const fills = await fillsFor(repository, match.customer, contact, opts);
      let customer = match.customer;
      if (Object.keys(fills).length > 0) {
        customer = { ...customer, ...fills, version: customer.version + 1, updatedAt: now() };
        await repository.update(customer, match.customer.version, opts);
      }
      return { customer, outcome: 'identified', matchedBy: match.by, events: [identified] };
    }
    // Refused above with no match now (the holder was merged or removed meanwhile), or a
    // repository without insertIfAbsent: a plain insert, which reports what is in the way.
    const created = newCustomer(tenantId, contact);
    await repository.insert(created, opts);
    return createdResult(created, opts);
  };

  return {
    async findOrCreate(tenantId, input, opts) {
      parseWith(Origin, opts?.origin, 'customer origin');
      const contact = normalizeContact(input, countryOf(tenantId, opts.defaultCountry));
      try {
        return await attempt(tenantId, contact, opts);
      } catch (error) {
        // Someone else created or changed the customer between our read and write: read again.
        if (!isDuplicateRecordError(error) && !isVersionConflictError(error)) throw error;
        return attempt(tenantId, contact, opts);
      }
    },

    async merge(tenantId, survivorId, mergedIds, opts = {}) {
      const run = (customers: CustomerRepository): Promise<MergeCustomersResult> =>
        mergeCustomers(customers, tenantId, survivorId, mergedIds, now(), opts);
      return unitOfWork ? unitOfWork.run((stores) => run(stores.customers), opts) : run(defaultRepository);
    },
  };
}
