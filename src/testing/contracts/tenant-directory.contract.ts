import assert from 'node:assert/strict';
import type { TenantDirectory } from '../../tenancy/tenant-directory.js';
import type { Tenant } from '../../tenancy/tenant.js';
import { aTenant } from '../fixtures.js';
import { abortedSignal } from './assertions.js';
import { refusesInvalidTenantIds } from './tenant-scope.js';
import { useSubject, type ContractSubject, type ContractTestApi } from './test-api.js';

/** Makes a fresh directory holding exactly `tenants` for each test. */
export type TenantDirectoryContractFactory = (
  tenants: readonly Tenant[],
) =>
  | Promise<ContractSubject<TenantDirectory> | TenantDirectory>
  | ContractSubject<TenantDirectory>
  | TenantDirectory;

/**
 * The {@link TenantDirectory} contract: lookups by id, inbound number, API key (by its SHA-256
 * digest) and route key find the one tenant they belong to, suspended tenants included, with its
 * locale, and answer `null` for anything unknown.
 *
 * @example
 * ```ts
 * import { describe, it, beforeEach, afterEach } from 'vitest';
 * import { tenantDirectoryContract } from 'bookingkit/testing';
 * tenantDirectoryContract({ describe, it, beforeEach, afterEach }, 'memory', (tenants) => createMemoryTenantDirectory({ tenants }));
 * ```
 */
export function tenantDirectoryContract(
  api: ContractTestApi,
  name: string,
  factory: TenantDirectoryContractFactory,
): void {
  api.describe(`TenantDirectory contract: ${name}`, () => {
    const salon = aTenant({
      id: 'tenant-salon',
      phoneNumbers: ['+493012345678', '+493012345679'],
      routeKeys: ['salon-route-key'],
    });
    const clinic = aTenant({
      id: 'tenant-clinic',
      status: 'suspended',
      locale: 'de',
      phoneNumbers: ['+4989123456'],
      routeKeys: ['clinic-route-key'],
    });
    const directory = useSubject(api, () => factory([salon, clinic]));

    api.it('gets a tenant by id', async () => {
      assert.deepEqual(await directory().get('tenant-salon'), salon);
      assert.deepEqual(await directory().get('tenant-clinic'), clinic);
    });

    api.it("keeps each tenant's locale", async () => {
      assert.equal((await directory().get('tenant-salon'))?.locale, 'en');
      assert.equal((await directory().findByPhoneNumber('+4989123456'))?.locale, 'de');
    });

    api.it('finds the tenant of each of its inbound numbers', async () => {
      assert.equal((await directory().findByPhoneNumber('+493012345678'))?.id, 'tenant-salon');
      assert.equal((await directory().findByPhoneNumber('+493012345679'))?.id, 'tenant-salon');
      assert.equal((await directory().findByPhoneNumber('+4989123456'))?.id, 'tenant-clinic');
    });

    api.it('finds the tenant of an API key by the key, never by its stored digest', async () => {
      assert.equal((await directory().findByApiKey('key-tenant-salon'))?.id, 'tenant-salon');
      assert.equal((await directory().findByApiKey('key-tenant-clinic'))?.id, 'tenant-clinic');
      assert.equal(await directory().findByApiKey(salon.apiKeyHashes[0]!), null);
    });

    api.it('finds the tenant of a route key', async () => {
      assert.equal((await directory().findByRouteKey('salon-route-key'))?.id, 'tenant-salon');
      assert.equal((await directory().findByRouteKey('clinic-route-key'))?.id, 'tenant-clinic');
    });

    api.it('returns suspended tenants as they are, for the caller to refuse', async () => {
      assert.equal((await directory().findByRouteKey('clinic-route-key'))?.status, 'suspended');
    });

    api.it('answers null for anything unknown, never a fallback tenant', async () => {
      assert.equal(await directory().get('tenant-unknown'), null);
      assert.equal(await directory().findByPhoneNumber('+4930999999'), null);
      assert.equal(await directory().findByApiKey('key-unknown'), null);
      assert.equal(await directory().findByApiKey(''), null);
      assert.equal(await directory().findByRouteKey('unknown-route-key'), null);
      assert.equal(await directory().findByRouteKey('SALON-ROUTE-KEY'), null);
    });

    api.it('refuses a missing, empty or non-string tenant id instead of looking it up', async () => {
      await refusesInvalidTenantIds((tenantId) => directory().get(tenantId));
    });

    api.it('returns copies: mutating a returned tenant does not change the directory', async () => {
      const found = await directory().get('tenant-salon');
      assert.ok(found);
      found.phoneNumbers.push('+4930555555');
      found.status = 'suspended';
      assert.deepEqual(await directory().get('tenant-salon'), salon);
      assert.equal(await directory().findByPhoneNumber('+4930555555'), null);
    });

    api.it('rejects at once when the signal is already aborted', async () => {
      const signal = abortedSignal();
      await assert.rejects(directory().get('tenant-salon', { signal }), /stop/);
      await assert.rejects(directory().findByPhoneNumber('+493012345678', { signal }), /stop/);
      await assert.rejects(directory().findByApiKey('key-tenant-salon', { signal }), /stop/);
      await assert.rejects(directory().findByRouteKey('salon-route-key', { signal }), /stop/);
    });
  });
}
