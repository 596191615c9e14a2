import assert from 'node:assert/strict';
import { isValidationError } from '../../errors/validation-error.js';
import { isDuplicateRecordError, isVersionConflictError } from '../../errors/store-errors.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import { aCustomer } from '../fixtures.js';
import { abortedSignal, rejectsWith, settleAll } from './assertions.js';
import { refusesInvalidTenantIds } from './tenant-scope.js';
import { useSubject, type ContractFactory, type ContractTestApi } from './test-api.js';

/**
 * The {@link CustomerRepository} contract: every adapter must pass it. Within a tenant, `phone`
 * and `email` (compared lower-case) are unique among unmerged customers; a merged customer frees
 * them. Inserts carry version 1 and updates `expectedVersion + 1`.
 *
 * @example
 * ```ts
 * import { describe, it, beforeEach, afterEach } from 'vitest';
 * import { customerRepositoryContract } from 'bookingkit/testing';
 * customerRepositoryContract({ describe, it, beforeEach, afterEach }, 'memory', () => createMemoryCustomerRepository());
 * ```
 */
export function customerRepositoryContract(
  api: ContractTestApi,
  name: string,
  factory: ContractFactory<CustomerRepository>,
): void {
  api.describe(`CustomerRepository contract: ${name}`, () => {
    const repo = useSubject(api, factory);

    api.it('stores a customer and reads back an equal record', async () => {
      const customer = aCustomer({ stats: { bookings: 3, cancellations: 1, noShows: 0 } });
      await repo().insert(customer);
      assert.deepEqual(await repo().get('tenant-a', customer.id), customer);
      assert.equal(await repo().get('tenant-a', 'missing'), null);
    });

    api.it('copies records in and out', async () => {
      const customer = aCustomer();
      const expected = structuredClone(customer);
      await repo().insert(customer);
      customer.stats.bookings = 99;
      const read = await repo().get('tenant-a', customer.id);
      assert.ok(read);
      read.stats.bookings = 42;
      assert.deepEqual(await repo().get('tenant-a', customer.id), expected);
    });

    api.it('rejects an invalid customer with a ValidationError naming the field', async () => {
      const error = await rejectsWith(
        repo().insert(aCustomer({ phone: '030 1234' })),
        isValidationError,
        'ValidationError',
      );
      assert.ok(
        error.context.issues.some((issue) => issue.path === 'phone'),
        error.message,
      );
      const version = await rejectsWith(
        repo().insert(aCustomer({ version: 3 })),
        isValidationError,
        'ValidationError',
      );
      assert.ok(
        version.context.issues.some((issue) => issue.path === 'version'),
        version.message,
      );
    });

    api.it('refuses a missing, empty or non-string tenant id in every method', async () => {
      const stored = aCustomer();
      await repo().insert(stored);
      await refusesInvalidTenantIds((tenantId) => repo().get(tenantId, stored.id));
      await refusesInvalidTenantIds((tenantId) => repo().findByPhone(tenantId, '+493012345678'));
      await refusesInvalidTenantIds((tenantId) => repo().findByEmail(tenantId, 'ada@example.com'));
      await refusesInvalidTenantIds((tenantId) => repo().insert({ ...aCustomer(), tenantId }));
      await refusesInvalidTenantIds((tenantId) => repo().update({ ...stored, tenantId, version: 2 }, 1));
    });

    api.it(
      'rejects a duplicate id, phone or email with a DuplicateRecordError naming the field',
      async () => {
        const customer = aCustomer({ phone: '+493011111111', email: 'ada@example.com' });
        await repo().insert(customer);
        const byId = await rejectsWith(
          repo().insert({ ...aCustomer(), id: customer.id }),
          isDuplicateRecordError,
          'DuplicateRecordError',
        );
        assert.equal(byId.context.field, 'id');
        const byPhone = await rejectsWith(
          repo().insert(aCustomer({ phone: '+493011111111' })),
          isDuplicateRecordError,
          'DuplicateRecordError',
        );
        assert.equal(byPhone.context.field, 'phone');
        const byEmail = await rejectsWith(
          repo().insert(aCustomer({ email: 'ADA@example.com' })),
          isDuplicateRecordError,
          'DuplicateRecordError',
        );
        assert.equal(byEmail.context.field, 'email');
      },
    );

    api.it('allows many customers without phone or email', async () => {
      await repo().insert(aCustomer({ phone: null, email: null }));
      await repo().insert(aCustomer({ phone: null, email: null }));
      assert.equal(await repo().findByPhone('tenant-a', '+493011111111'), null);
    });

    api.it('finds unmerged customers by phone and by email, whatever the email case', async () => {
      const customer = aCustomer({ phone: '+493022222222', email: 'Grace@Example.com' });
      await repo().insert(customer);
      await repo().insert(aCustomer());
      assert.equal((await repo().findByPhone('tenant-a', '+493022222222'))?.id, customer.id);
      assert.equal((await repo().findByEmail('tenant-a', 'grace@example.com'))?.id, customer.id);
      assert.equal((await repo().findByEmail('tenant-a', 'GRACE@EXAMPLE.COM'))?.id, customer.id);
      assert.equal(await repo().findByPhone('tenant-a', '+493099999999'), null);
      assert.equal(await repo().findByEmail('tenant-a', 'nobody@example.com'), null);
    });

    api.it('frees phone and email once a customer is merged into another', async () => {
      const duplicate = aCustomer({ phone: '+493033333333', email: 'lin@example.com' });
      await repo().insert(duplicate);
      await repo().update({ ...duplicate, mergedInto: 'customer-survivor', version: 2 }, 1);
      assert.equal(await repo().findByPhone('tenant-a', '+493033333333'), null);
      assert.equal(await repo().findByEmail('tenant-a', 'lin@example.com'), null);
      const survivor = aCustomer({
        id: 'customer-survivor',
        phone: '+493033333333',
        email: 'lin@example.com',
      });
      await repo().insert(survivor);
      assert.equal((await repo().findByPhone('tenant-a', '+493033333333'))?.id, 'customer-survivor');
      assert.equal((await repo().get('tenant-a', duplicate.id))?.mergedInto, 'customer-survivor');
      await rejectsWith(
        repo().update({ ...duplicate, mergedInto: null, version: 3 }, 2),
        isDuplicateRecordError,
        'DuplicateRecordError',
      );
    });

    api.it('updates at the expected version and rejects a stale or missing one', async () => {
      const customer = aCustomer();
      await repo().insert(customer);
      await repo().update({ ...customer, name: 'Renamed', version: 2 }, 1);
      assert.equal((await repo().get('tenant-a', customer.id))?.name, 'Renamed');
      const stale = await rejectsWith(
        repo().update({ ...customer, name: 'Stale', version: 2 }, 1),
        isVersionConflictError,
        'VersionConflictError',
      );
      assert.equal(stale.context.actualVersion, 2);
      const missing = await rejectsWith(
        repo().update(aCustomer({ version: 2 }), 1),
        isVersionConflictError,
        'VersionConflictError',
      );
      assert.equal(missing.context.actualVersion, null);
      await rejectsWith(repo().update({ ...customer, version: 5 }, 2), isValidationError, 'ValidationError');
    });

    api.it(
      'rejects an update to a phone or email another unmerged customer has, but not to its own',
      async () => {
        const taken = aCustomer({ phone: '+493044444444', email: 'taken@example.com' });
        const customer = aCustomer();
        await repo().insert(taken);
        await repo().insert(customer);
        await rejectsWith(
          repo().update({ ...customer, phone: '+493044444444', version: 2 }, 1),
          isDuplicateRecordError,
          'DuplicateRecordError',
        );
        await rejectsWith(
          repo().update({ ...customer, email: 'Taken@example.com', version: 2 }, 1),
          isDuplicateRecordError,
          'DuplicateRecordError',
        );
        await repo().update({ ...customer, name: 'Same contact details', version: 2 }, 1);
        assert.equal((await repo().get('tenant-a', customer.id))?.version, 2);
      },
    );

    api.it('keeps tenants apart: same phone in two tenants, no reads or writes across', async () => {
      const ofA = aCustomer({ phone: '+493055555555', email: 'same@example.com' });
      const ofB = aCustomer({ tenantId: 'tenant-b', phone: '+493055555555', email: 'same@example.com' });
      await repo().insert(ofA);
      await repo().insert(ofB);
      assert.equal((await repo().findByPhone('tenant-b', '+493055555555'))?.id, ofB.id);
      assert.equal(await repo().get('tenant-b', ofA.id), null);
      await rejectsWith(
        repo().update({ ...ofA, tenantId: 'tenant-b', name: 'Hijacked', version: 2 }, 1),
        isVersionConflictError,
        'VersionConflictError',
      );
      assert.deepEqual(await repo().get('tenant-a', ofA.id), ofA);
    });

    api.it('lets exactly one of many concurrent inserts with the same phone succeed', async () => {
      const inserts = Array.from({ length: 20 }, () => repo().insert(aCustomer({ phone: '+493066666666' })));
      const { values, errors } = await settleAll(inserts);
      assert.equal(values.length, 1);
      assert.ok(errors.every(isDuplicateRecordError));
    });

    api.it(
      'insertIfAbsent stores a new customer, and refuses a taken id, phone or email without writing',
      async () => {
        const insertIfAbsent = repo().insertIfAbsent?.bind(repo());
        // Optional in the port; the adapters that ship with bookingkit all have it.
        assert.ok(insertIfAbsent, `${name} has no insertIfAbsent`);
        const first = aCustomer({ phone: '+493077777777', email: 'Ida@Example.com' });
        assert.equal(await insertIfAbsent(first), true);
        assert.deepEqual(await repo().get('tenant-a', first.id), first);
        const samePhone = aCustomer({ phone: first.phone, email: null });
        const sameEmail = aCustomer({ phone: null, email: 'ida@example.com' });
        const sameId = aCustomer({ id: first.id, phone: null, email: null });
        for (const taken of [samePhone, sameEmail, sameId]) assert.equal(await insertIfAbsent(taken), false);
        assert.equal(await repo().get('tenant-a', samePhone.id), null);
        assert.equal(await repo().get('tenant-a', sameEmail.id), null);
        assert.deepEqual(await repo().get('tenant-a', first.id), first);
        // Another tenant's customer with the same phone is not in the way.
        assert.equal(await insertIfAbsent(aCustomer({ tenantId: 'tenant-b', phone: first.phone })), true);
        await rejectsWith(
          insertIfAbsent({ ...aCustomer(), version: 2 }),
          isValidationError,
          'ValidationError',
        );
      },
    );

    api.it(
      'lets exactly one of many concurrent insertIfAbsent calls with the same phone store it',
      async () => {
        const insertIfAbsent = repo().insertIfAbsent?.bind(repo());
        assert.ok(insertIfAbsent, `${name} has no insertIfAbsent`);
        const results = await Promise.all(
          Array.from({ length: 20 }, () => insertIfAbsent(aCustomer({ phone: '+493088888888' }))),
        );
        assert.equal(results.filter(Boolean).length, 1);
      },
    );

    api.it('rejects at once when the signal is already aborted', async () => {
      const signal = abortedSignal();
      const customer = aCustomer();
      await assert.rejects(repo().insert(customer, { signal }), /stop/);
      await assert.rejects(repo().findByPhone('tenant-a', customer.phone ?? '', { signal }), /stop/);
      await assert.rejects(repo().findByEmail('tenant-a', customer.email ?? '', { signal }), /stop/);
      assert.equal(await repo().get('tenant-a', customer.id), null);
    });
  });
}
