import assert from 'node:assert/strict';
import type { Customer } from '../../domain/customer.js';
import { isVersionConflictError } from '../../errors/store-errors.js';
import { isValidationError } from '../../errors/validation-error.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import type { CustomerStatsStore } from '../../ports/customer-stats-store.js';
import { aCustomer } from '../fixtures.js';
import { abortedSignal, rejectsWith, settleAll } from './assertions.js';
import { refusesInvalidTenantIds } from './tenant-scope.js';
import { useSubject, type ContractFactory, type ContractTestApi } from './test-api.js';

/** What {@link customerStatsStoreContract} tests: the store, and the customers it counts for. */
export interface CustomerStatsStoreFixture {
  /** The store under test. */
  readonly stats: CustomerStatsStore;
  /** The repository of the same storage, to seed customers and read their `stats` back. */
  readonly customers: CustomerRepository;
}

/**
 * The {@link CustomerStatsStore} contract: every adapter must pass it. Each event id counts once
 * per tenant, however often and however concurrently it is applied; a change lands on the
 * survivor of merged customers; an update raises the customer's version (so a writer holding an
 * older copy gets a conflict instead of overwriting the counters); a change that is refused
 * (unknown customer, invalid counters) records nothing, so the event can still count later.
 *
 * @example
 * ```ts
 * import { describe, it, beforeEach, afterEach } from 'vitest';
 * import { customerStatsStoreContract } from 'bookingkit/testing';
 * customerStatsStoreContract({ describe, it, beforeEach, afterEach }, 'memory', () => {
 *   const customers = createMemoryCustomerRepository();
 *   return { stats: createMemoryCustomerStatsStore({ customers }), customers };
 * });
 * ```
 */
export function customerStatsStoreContract(
  api: ContractTestApi,
  name: string,
  factory: ContractFactory<CustomerStatsStoreFixture>,
): void {
  api.describe(`CustomerStatsStore contract: ${name}`, () => {
    const fixture = useSubject(api, factory);
    const stats = () => fixture().stats;
    const seed = async (overrides: Partial<Customer> = {}): Promise<Customer> => {
      const customer = aCustomer(overrides);
      await fixture().customers.insert(customer);
      return customer;
    };
    const read = async (customer: Customer): Promise<Customer> => {
      const found = await fixture().customers.get(customer.tenantId, customer.id);
      assert.ok(found, `customer ${customer.id} is gone`);
      return found;
    };

    api.it('adds a change to the counters it names and leaves the others', async () => {
      const customer = await seed({ stats: { bookings: 2, cancellations: 1, noShows: 0 } });
      assert.equal(
        await stats().apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: 1, noShows: 2 } }),
        'applied',
      );
      assert.equal(
        await stats().apply('tenant-a', customer.id, { eventId: 'e2', delta: { cancellations: 1 } }),
        'applied',
      );
      assert.equal(await stats().apply('tenant-a', customer.id, { eventId: 'e3', delta: {} }), 'applied');
      const after = await read(customer);
      assert.deepEqual(after.stats, { bookings: 3, cancellations: 2, noShows: 2 });
      assert.deepEqual({ ...after, stats: customer.stats, version: 1 }, customer, 'nothing else changed');
    });

    api.it('refuses a missing, empty or non-string tenant id and records nothing', async () => {
      const customer = await seed();
      const change = { eventId: 'e1', delta: { bookings: 1 } };
      await refusesInvalidTenantIds((tenantId) => stats().apply(tenantId, customer.id, change));
      assert.equal(await stats().apply('tenant-a', customer.id, change), 'applied');
      assert.deepEqual((await read(customer)).stats, {
        ...customer.stats,
        bookings: customer.stats.bookings + 1,
      });
    });

    api.it('counts an event once: a redelivery answers duplicate and changes nothing', async () => {
      const customer = await seed();
      const other = await seed();
      assert.equal(
        await stats().apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: 1 } }),
        'applied',
      );
      const once = await read(customer);
      assert.equal(
        await stats().apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: 1 } }),
        'duplicate',
      );
      assert.equal(
        await stats().apply('tenant-a', other.id, { eventId: 'e1', delta: { cancellations: 5 } }),
        'duplicate',
      );
      assert.deepEqual(await read(customer), once);
      assert.deepEqual(await read(other), other);
    });

    api.it('counts an event delivered many times at once exactly once', async () => {
      const customer = await seed();
      const { values, errors } = await settleAll(
        Array.from({ length: 10 }, () =>
          stats().apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: 1 } }),
        ),
      );
      assert.deepEqual(errors, []);
      assert.deepEqual([...values].sort(), ['applied', ...Array.from({ length: 9 }, () => 'duplicate')]);
      assert.equal((await read(customer)).stats.bookings, 1);
    });

    api.it('loses no count when many events for one customer arrive at once', async () => {
      const customer = await seed();
      const { values, errors } = await settleAll(
        Array.from({ length: 20 }, (_, i) =>
          stats().apply('tenant-a', customer.id, {
            eventId: `e${i}`,
            delta: i % 2 === 0 ? { bookings: 1 } : { cancellations: 1 },
          }),
        ),
      );
      assert.deepEqual(errors, []);
      assert.ok(values.every((outcome) => outcome === 'applied'));
      const after = await read(customer);
      assert.deepEqual(after.stats, { bookings: 10, cancellations: 10, noShows: 0 });
      assert.equal(after.version, 21, 'each change raised the version');
    });

    api.it('raises the version, so a writer holding an older copy cannot overwrite the counts', async () => {
      const customer = await seed();
      const stale = await read(customer);
      await stats().apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: 1 } });
      await rejectsWith(
        fixture().customers.update({ ...stale, name: 'Renamed', version: 2 }, 1),
        isVersionConflictError,
        'VersionConflictError',
      );
      const current = await read(customer);
      await fixture().customers.update({ ...current, name: 'Renamed', version: 3 }, 2);
      await stats().apply('tenant-a', customer.id, { eventId: 'e2', delta: { bookings: 1 } });
      assert.deepEqual(await read(customer), {
        ...customer,
        name: 'Renamed',
        stats: { bookings: 2, cancellations: 0, noShows: 0 },
        version: 4,
      });
    });

    api.it('answers not_found for an unknown customer or another tenant’s, and records nothing', async () => {
      const customer = await seed();
      assert.equal(
        await stats().apply('tenant-a', 'nobody', { eventId: 'e1', delta: { bookings: 1 } }),
        'not_found',
      );
      assert.equal(
        await stats().apply('tenant-b', customer.id, { eventId: 'e1', delta: { bookings: 1 } }),
        'not_found',
      );
      assert.deepEqual(await read(customer), customer);
      assert.equal(
        await stats().apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: 1 } }),
        'applied',
        'a refused event counts once its customer is found',
      );
    });

    api.it('keeps tenants apart: one event id counts in each tenant', async () => {
      const ofA = await seed();
      const ofB = await seed({ tenantId: 'tenant-b' });
      assert.equal(
        await stats().apply('tenant-a', ofA.id, { eventId: 'e1', delta: { bookings: 1 } }),
        'applied',
      );
      assert.equal(
        await stats().apply('tenant-b', ofB.id, { eventId: 'e1', delta: { bookings: 1 } }),
        'applied',
      );
      assert.equal((await read(ofA)).stats.bookings, 1);
      assert.equal((await read(ofB)).stats.bookings, 1);
    });

    api.it('applies a change for a merged customer to the survivor, along a chain of merges', async () => {
      const survivor = await seed({ stats: { bookings: 4, cancellations: 0, noShows: 0 } });
      const middle = await seed({ mergedInto: survivor.id });
      const first = await seed({ mergedInto: middle.id });
      assert.equal(
        await stats().apply('tenant-a', first.id, { eventId: 'e1', delta: { bookings: 1 } }),
        'applied',
      );
      assert.equal(
        await stats().apply('tenant-a', middle.id, { eventId: 'e2', delta: { noShows: 1 } }),
        'applied',
      );
      assert.deepEqual((await read(survivor)).stats, { bookings: 5, cancellations: 0, noShows: 1 });
      assert.deepEqual(await read(first), first);
      assert.deepEqual(await read(middle), middle);
      assert.equal(
        await stats().apply('tenant-a', first.id, { eventId: 'e1', delta: { bookings: 1 } }),
        'duplicate',
      );
    });

    api.it('answers not_found for a customer merged into one that does not exist', async () => {
      const orphan = await seed({ mergedInto: 'customer-gone' });
      assert.equal(
        await stats().apply('tenant-a', orphan.id, { eventId: 'e1', delta: { bookings: 1 } }),
        'not_found',
      );
      assert.deepEqual(await read(orphan), orphan);
    });

    api.it('refuses a change that leaves a counter negative or fractional, and records nothing', async () => {
      const customer = await seed({ stats: { bookings: 1, cancellations: 0, noShows: 0 } });
      await rejectsWith(
        stats().apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: -2 } }),
        isValidationError,
        'ValidationError',
      );
      await rejectsWith(
        stats().apply('tenant-a', customer.id, { eventId: 'e2', delta: { noShows: 0.5 } }),
        isValidationError,
        'ValidationError',
      );
      assert.deepEqual(await read(customer), customer);
      assert.equal(
        await stats().apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: -1 } }),
        'applied',
        'a correction that keeps the counter at zero or more is allowed',
      );
      assert.equal((await read(customer)).stats.bookings, 0);
    });

    api.it('rejects at once when the signal is already aborted', async () => {
      const customer = await seed();
      await assert.rejects(
        stats().apply(
          'tenant-a',
          customer.id,
          { eventId: 'e1', delta: { bookings: 1 } },
          { signal: abortedSignal() },
        ),
        /stop/,
      );
      assert.deepEqual(await read(customer), customer);
      assert.equal(
        await stats().apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: 1 } }),
        'applied',
      );
    });
  });
}
