import { describe, expect, it } from 'vitest';
import { createMemoryStores } from '../../adapters/memory/memory-stores.js';
import { VersionConflictError, isNotFoundError, isVersionConflictError } from '../../errors/store-errors.js';
import { isValidationError } from '../../errors/validation-error.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
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

describe('customer service: merge', () => {
  async function threeCustomers() {
    const stores = createMemoryStores({ clock });
    const service = createCustomerService({
      customers: stores.customers,
      clock,
      ids,
      unitOfWork: stores.unitOfWork,
    });
    const survivor = (await service.findOrCreate('tenant-a', { phone: '+493012345678' }, { origin: 'api' }))
      .customer;
    const dupe = (
      await service.findOrCreate('tenant-a', { email: 'ana@example.com', name: 'Ana' }, { origin: 'api' })
    ).customer;
    const other = (
      await service.findOrCreate('tenant-a', { email: 'ana.m@example.com', locale: 'de' }, { origin: 'api' })
    ).customer;
    for (const [customer, stats] of [
      [survivor, { bookings: 2, cancellations: 1, noShows: 0 }],
      [dupe, { bookings: 3, cancellations: 0, noShows: 1 }],
      [other, { bookings: 1, cancellations: 1, noShows: 1 }],
    ] as const) {
      await stores.customers.update({ ...customer, stats, version: customer.version + 1 }, customer.version);
    }
    return { stores, service, survivor, dupe, other };
  }

  it('marks the duplicates, sums their statistics into the survivor and fills its empty fields', async () => {
    const { stores, service, survivor, dupe, other } = await threeCustomers();
    const result = await service.merge('tenant-a', survivor.id, [dupe.id, other.id]);
    expect(result.survivor).toMatchObject({
      id: survivor.id,
      phone: '+493012345678',
      email: 'ana@example.com',
      name: 'Ana',
      locale: 'de',
      stats: { bookings: 6, cancellations: 2, noShows: 2 },
    });
    expect(result.events).toEqual([
      { type: 'customer.merged', data: { survivorId: survivor.id, mergedIds: [dupe.id, other.id] } },
    ]);
    expect((await stores.customers.get('tenant-a', dupe.id))?.mergedInto).toBe(survivor.id);
    expect((await stores.customers.findByEmail('tenant-a', 'ana@example.com'))?.id).toBe(survivor.id);
    const again = await service.merge('tenant-a', survivor.id, [dupe.id]);
    expect(again.events).toEqual([]);
    expect(again.survivor.stats.bookings).toBe(6);
  });

  it('refuses bad ids, unknown customers and customers merged elsewhere', async () => {
    const { service, survivor, dupe, other } = await threeCustomers();
    expect(isValidationError(await failure(service.merge('tenant-a', survivor.id, [])))).toBe(true);
    expect(isValidationError(await failure(service.merge('tenant-a', survivor.id, [survivor.id])))).toBe(
      true,
    );
    expect(isValidationError(await failure(service.merge('tenant-a', survivor.id, [dupe.id, dupe.id])))).toBe(
      true,
    );
    expect(isNotFoundError(await failure(service.merge('tenant-a', survivor.id, ['nobody'])))).toBe(true);
    expect(isNotFoundError(await failure(service.merge('tenant-b', survivor.id, [dupe.id])))).toBe(true);
    await service.merge('tenant-a', other.id, [dupe.id]);
    const elsewhere = await failure(service.merge('tenant-a', survivor.id, [dupe.id]));
    expect(isValidationError(elsewhere) && elsewhere.context.issues[0]?.path).toBe('mergedIds.0');
    const mergedSurvivor = await failure(service.merge('tenant-a', dupe.id, [survivor.id]));
    expect(isValidationError(mergedSurvivor) && mergedSurvivor.context.issues[0]?.path).toBe('survivorId');
  });

  it('writes nothing when a merge inside a unit of work fails half-way', async () => {
    const { stores, survivor, dupe } = await threeCustomers();
    const failing: UnitOfWork = {
      run: (work, options) =>
        stores.unitOfWork.run(
          (tx) =>
            work({
              ...tx,
              customers: {
                ...tx.customers,
                update: async (customer, expected, opts) => {
                  if (customer.id === survivor.id)
                    throw new VersionConflictError({
                      entity: 'Customer',
                      id: customer.id,
                      expectedVersion: expected,
                      actualVersion: null,
                    });
                  return tx.customers.update(customer, expected, opts);
                },
              },
            }),
          options,
        ),
    };
    const service = createCustomerService({ customers: stores.customers, clock, ids, unitOfWork: failing });
    expect(isVersionConflictError(await failure(service.merge('tenant-a', survivor.id, [dupe.id])))).toBe(
      true,
    );
    expect((await stores.customers.get('tenant-a', dupe.id))?.mergedInto).toBeNull();
  });
});
