import { describe, expect, it } from 'vitest';
import { createMemoryCustomerRepository } from '../../adapters/memory/memory-customer-repository.js';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import type { Customer } from '../../domain/customer.js';
import { isTrustedRecord } from '../../domain/trusted-record.js';
import { isDuplicateRecordError, isVersionConflictError } from '../../errors/store-errors.js';
import { isValidationError } from '../../errors/validation-error.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { createCustomerService } from './customer-service.js';

let counter = 0;
const ids = (): string => `customer-${(counter += 1)}`;
const clock = createFakeClock();

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

/** A repository whose next `times` updates lose a race: someone else bumps the customer first. */
function racingRepository(inner: CustomerRepository, times: number): CustomerRepository {
  let left = times;
  return {
    ...inner,
    async update(customer, expectedVersion, options) {
      if (left > 0) {
        left -= 1;
        const current = (await inner.get(customer.tenantId, customer.id))!;
        const bumped = {
          ...current,
          stats: { ...current.stats, bookings: current.stats.bookings + 1 },
          version: current.version + 1,
        };
        await inner.update(bumped, current.version);
      }
      return inner.update(customer, expectedVersion, options);
    },
  };
}

describe('customer service: findOrCreate', () => {
  it('creates a customer with a normalised phone and a lower-case email, and asks to publish customer.created', async () => {
    const service = createCustomerService({
      customers: createMemoryCustomerRepository(),
      clock,
      ids,
      defaultCountry: 'DE',
    });
    const result = await service.findOrCreate(
      'tenant-a',
      { phone: '030 1234 5678', email: ' Ana@Example.COM ', name: ' Ana ', locale: 'de-de' },
      { origin: 'voice' },
    );
    expect(result.outcome).toBe('created');
    expect(result.customer).toMatchObject({
      phone: '+493012345678',
      email: 'ana@example.com',
      name: 'Ana',
      locale: 'de-DE',
      version: 1,
    });
    expect(result.events).toEqual([
      { type: 'customer.created', data: { customerId: result.customer.id, source: 'voice' } },
    ]);
  });

  it('identifies a known customer by phone however the number is written', async () => {
    const service = createCustomerService({
      customers: createMemoryCustomerRepository(),
      clock,
      ids,
      defaultCountry: 'DE',
    });
    const { customer } = await service.findOrCreate(
      'tenant-a',
      { phone: '+49 30 1234-5678' },
      { origin: 'api' },
    );
    const again = await service.findOrCreate(
      'tenant-a',
      { phone: '0049 30 12345678' },
      { origin: 'voice', callId: 'call-1' },
    );
    expect(again).toMatchObject({
      outcome: 'identified',
      matchedBy: 'phone',
      customer: { id: customer.id, version: 1 },
    });
    expect(again.events).toEqual([
      { type: 'customer.identified', data: { customerId: customer.id, by: 'phone', callId: 'call-1' } },
    ]);
  });

  it('identifies by email when the phone is unknown, and fills in what the customer lacked', async () => {
    const service = createCustomerService({ customers: createMemoryCustomerRepository(), clock, ids });
    const { customer } = await service.findOrCreate(
      'tenant-a',
      { email: 'ana@example.com' },
      { origin: 'api' },
    );
    const again = await service.findOrCreate(
      'tenant-a',
      { email: 'ANA@example.com', phone: '+493012345678', name: 'Ana' },
      { origin: 'voice' },
    );
    expect(again).toMatchObject({
      outcome: 'identified',
      matchedBy: 'email',
      customer: { id: customer.id, phone: '+493012345678', name: 'Ana', version: 2 },
    });
    const third = await service.findOrCreate(
      'tenant-a',
      { phone: '+493012345678', name: 'Someone Else' },
      { origin: 'api' },
    );
    expect(third.customer).toMatchObject({ id: customer.id, name: 'Ana', version: 2 });
  });

  it('matches by phone before email and never takes an email that belongs to another customer', async () => {
    const service = createCustomerService({ customers: createMemoryCustomerRepository(), clock, ids });
    const byPhone = await service.findOrCreate('tenant-a', { phone: '+493012345678' }, { origin: 'api' });
    const byEmail = await service.findOrCreate('tenant-a', { email: 'ana@example.com' }, { origin: 'api' });
    const both = await service.findOrCreate(
      'tenant-a',
      { phone: '+493012345678', email: 'ana@example.com' },
      { origin: 'api' },
    );
    expect(both).toMatchObject({ matchedBy: 'phone', customer: { id: byPhone.customer.id, email: null } });
    expect(byEmail.customer.id).not.toBe(byPhone.customer.id);
  });

  it('keeps tenants apart', async () => {
    const service = createCustomerService({ customers: createMemoryCustomerRepository(), clock, ids });
    const a = await service.findOrCreate('tenant-a', { phone: '+493012345678' }, { origin: 'api' });
    const b = await service.findOrCreate('tenant-b', { phone: '+493012345678' }, { origin: 'api' });
    expect(b.outcome).toBe('created');
    expect(b.customer.id).not.toBe(a.customer.id);
  });

  it('reads national numbers with the tenant default country, which a call may override', async () => {
    const service = createCustomerService({
      customers: createMemoryCustomerRepository(),
      clock,
      ids,
      defaultCountry: (tenantId) => (tenantId === 'tenant-us' ? 'US' : undefined),
    });
    const us = await service.findOrCreate('tenant-us', { phone: '(213) 373-4253' }, { origin: 'api' });
    expect(us.customer.phone).toBe('+12133734253');
    const error = await failure(
      service.findOrCreate('tenant-de', { phone: '030 1234 5678' }, { origin: 'api' }),
    );
    expect(isValidationError(error) && error.context.issues).toEqual([
      {
        path: 'phone',
        message: 'is not a valid phone number (include the country code, e.g. +49…, or set defaultCountry)',
      },
    ]);
    const de = await service.findOrCreate(
      'tenant-de',
      { phone: '030 1234 5678' },
      { origin: 'api', defaultCountry: 'DE' },
    );
    expect(de.customer.phone).toBe('+493012345678');
  });

  it('names the bad field of invalid input', async () => {
    const service = createCustomerService({ customers: createMemoryCustomerRepository(), clock, ids });
    const pathsOf = async (
      input: Parameters<typeof service.findOrCreate>[1],
      origin = 'api',
    ): Promise<string[]> => {
      const error = await failure(service.findOrCreate('tenant-a', input, { origin: origin as 'api' }));
      expect(isValidationError(error)).toBe(true);
      return isValidationError(error) ? error.context.issues.map((issue) => issue.path) : [];
    };
    expect(await pathsOf({ email: 'not-an-email' })).toEqual(['email']);
    expect(await pathsOf({ name: 'Ana', phone: '  ', email: '' })).toEqual(['phone']);
    expect(await pathsOf({ phone: '+49 30', locale: 'en_US_bad!' })).toEqual(['phone', 'locale']);
    expect(await pathsOf({ email: 'ana@example.com', name: 'x'.repeat(201) })).toEqual(['name']);
    expect(await pathsOf({ email: 'ana@example.com' }, 'fax')).toEqual(['']);
  });

  it('answers the one customer that won when the same phone is created concurrently', async () => {
    const service = createCustomerService({ customers: createMemoryCustomerRepository(), clock, ids });
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        service.findOrCreate('tenant-a', { phone: '+493012345678' }, { origin: 'voice' }),
      ),
    );
    expect(new Set(results.map((r) => r.customer.id)).size).toBe(1);
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
    expect(
      results
        .filter((r) => r.outcome === 'identified')
        .every((r) => r.events[0]?.type === 'customer.identified'),
    ).toBe(true);
  });

  it('retries a fill-in once when the customer changed meanwhile, and gives up after a second conflict', async () => {
    const inner = createMemoryCustomerRepository();
    const seeded = await createCustomerService({ customers: inner, clock, ids }).findOrCreate(
      'tenant-a',
      { email: 'ana@example.com' },
      { origin: 'api' },
    );
    const once = createCustomerService({ customers: racingRepository(inner, 1), clock, ids });
    const filled = await once.findOrCreate(
      'tenant-a',
      { email: 'ana@example.com', name: 'Ana' },
      { origin: 'api' },
    );
    expect(filled.customer).toMatchObject({
      id: seeded.customer.id,
      name: 'Ana',
      stats: { bookings: 1 },
      version: 3,
    });
    const twice = createCustomerService({ customers: racingRepository(inner, 2), clock, ids });
    const error = await failure(
      twice.findOrCreate('tenant-a', { email: 'ana@example.com', phone: '+493012345678' }, { origin: 'api' }),
    );
    expect(isVersionConflictError(error)).toBe(true);
  });

  it('rejects a missing repository and a malformed default country', () => {
    expect(() => createCustomerService({} as never)).toThrow(
      /^createCustomerService: option "customers" is required/,
    );
    let caught: unknown;
    try {
      createCustomerService({
        customers: createMemoryCustomerRepository(),
        defaultCountry: 'germany' as never,
      });
    } catch (error) {
      caught = error;
    }
    expect(isInvalidOptionError(caught)).toBe(true);
  });
});

/**
 * A memory repository that also inserts unless taken (as the Postgres one does), counting the
 * calls the service makes and keeping what it was given to insert.
 */
function insertFirstRepository() {
  const inner = createMemoryCustomerRepository();
  const calls: string[] = [];
  const inserted: Customer[] = [];
  const repository: CustomerRepository = {
    ...inner,
    async insertIfAbsent(customer, options) {
      calls.push('insertIfAbsent');
      inserted.push(customer);
      try {
        await inner.insert(customer, options);
        return true;
      } catch (error) {
        if (isDuplicateRecordError(error)) return false;
        throw error;
      }
    },
    findByPhone: (...args) => (calls.push('findByPhone'), inner.findByPhone(...args)),
    findByEmail: (...args) => (calls.push('findByEmail'), inner.findByEmail(...args)),
  };
  return { repository, calls, inserted };
}

describe('customer service: findOrCreate on a repository that inserts unless taken', () => {
  it('creates a new customer with one insert and no lookup, handing the repository a trusted record', async () => {
    const { repository, calls, inserted } = insertFirstRepository();
    const service = createCustomerService({ customers: repository, clock, ids });
    const result = await service.findOrCreate(
      'tenant-a',
      { phone: '+493012345678', email: 'ana@example.com' },
      { origin: 'voice' },
    );
    expect(result).toMatchObject({ outcome: 'created', matchedBy: null });
    expect(result.events).toEqual([
      { type: 'customer.created', data: { customerId: result.customer.id, source: 'voice' } },
    ]);
    expect(calls).toEqual(['insertIfAbsent']);
    expect(isTrustedRecord(inserted[0])).toBe(true);
  });

  it('does not trust a record whose id or tenant the schema would refuse', async () => {
    const { repository, inserted } = insertFirstRepository();
    const service = createCustomerService({ customers: repository, clock, ids: () => 'x'.repeat(201) });
    await failure(service.findOrCreate('tenant-a', { phone: '+493012345678' }, { origin: 'voice' }));
    expect(isTrustedRecord(inserted[0])).toBe(false);
  });

  it('identifies a known customer by phone, or by email filling in the phone, after the insert is refused', async () => {
    const { repository, calls } = insertFirstRepository();
    const service = createCustomerService({ customers: repository, clock, ids });
    const ana = await service.findOrCreate('tenant-a', { email: 'ana@example.com' }, { origin: 'voice' });
    const byEmail = await service.findOrCreate(
      'tenant-a',
      { phone: '+493012345678', email: 'ANA@example.com', name: 'Ana' },
      { origin: 'voice' },
    );
    expect(byEmail).toMatchObject({ outcome: 'identified', matchedBy: 'email' });
    expect(byEmail.customer).toMatchObject({ id: ana.customer.id, phone: '+493012345678', name: 'Ana' });
    calls.length = 0;
    const byPhone = await service.findOrCreate(
      'tenant-a',
      { phone: '030 1234 5678' },
      {
        origin: 'voice',
        defaultCountry: 'DE',
      },
    );
    expect(byPhone).toMatchObject({ outcome: 'identified', matchedBy: 'phone' });
    expect(byPhone.customer.id).toBe(ana.customer.id);
    expect(calls).toEqual(['insertIfAbsent', 'findByPhone']);
  });

  it('answers the one customer that won when the same phone is created concurrently', async () => {
    const { repository } = insertFirstRepository();
    const service = createCustomerService({ customers: repository, clock, ids });
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        service.findOrCreate('tenant-a', { phone: '+493012345678' }, { origin: 'voice' }),
      ),
    );
    expect(new Set(results.map((r) => r.customer.id)).size).toBe(1);
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
  });
});
