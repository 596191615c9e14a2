import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isValidationError, type ValidationError } from '../../errors/validation-error.js';
import { tenantDirectoryContract } from '../../testing/contracts/tenant-directory.contract.js';
import { aTenant } from '../../testing/fixtures.js';
import type { TenantInput } from '../../tenancy/tenant.js';
import { createMemoryTenantDirectory } from './memory-tenant-directory.js';

tenantDirectoryContract({ describe, it, beforeEach, afterEach }, 'memory', (tenants) =>
  createMemoryTenantDirectory({ tenants }),
);

function creationError(tenants: readonly TenantInput[]): ValidationError {
  try {
    createMemoryTenantDirectory({ tenants });
  } catch (error) {
    if (isValidationError(error)) return error;
    throw error;
  }
  throw new Error('expected createMemoryTenantDirectory to throw');
}

describe('createMemoryTenantDirectory', () => {
  it('gives a tenant configured without a locale the locale en, and refuses an unknown one', async () => {
    const { locale: _locale, ...withoutLocale } = aTenant({ id: 'tenant-plain' });
    const directory = createMemoryTenantDirectory({ tenants: [withoutLocale, aTenant({ locale: 'de' })] });
    expect((await directory.get('tenant-plain'))?.locale).toBe('en');
    const error = creationError([aTenant({ locale: 'xx' as never })]);
    expect(error.context.issues.map((issue) => issue.path)).toEqual(['tenants.0.locale']);
  });

  it('rejects an invalid tenant at creation, naming the field', () => {
    const error = creationError([aTenant(), aTenant({ phoneNumbers: ['030 1234567'] })]);
    expect(error.context.issues.map((issue) => issue.path)).toEqual(['tenants.1.phoneNumbers.0']);
    expect(error.message).toContain('tenants.1.phoneNumbers.0');
  });

  it('rejects a raw API key where its digest belongs', () => {
    const error = creationError([aTenant({ apiKeyHashes: ['my-secret-key'] })]);
    expect(error.context.issues.map((issue) => issue.path)).toEqual(['tenants.0.apiKeyHashes.0']);
  });

  it('rejects a phone number, route key, API key or id claimed by two tenants', () => {
    const first = aTenant({ id: 'tenant-one' });
    const second = aTenant({
      id: 'tenant-one',
      phoneNumbers: first.phoneNumbers,
      routeKeys: ['other-route', first.routeKeys[0]!],
      apiKeyHashes: first.apiKeyHashes,
    });
    const error = creationError([first, second]);
    expect(error.context.issues.map((issue) => issue.path)).toEqual([
      'tenants.1.id',
      'tenants.1.phoneNumbers.0',
      'tenants.1.apiKeyHashes.0',
      'tenants.1.routeKeys.1',
    ]);
    expect(error.message).toContain('already belongs to tenant tenant-one');
  });

  it('is not changed by later changes to the list it was created from', async () => {
    const tenant = aTenant({ id: 'tenant-x' });
    const tenants = [tenant];
    const directory = createMemoryTenantDirectory({ tenants });
    tenant.status = 'suspended';
    tenants.push(aTenant({ id: 'tenant-y' }));
    expect((await directory.get('tenant-x'))?.status).toBe('active');
    expect(await directory.get('tenant-y')).toBeNull();
  });

  it('accepts an empty directory, which knows nobody', async () => {
    const directory = createMemoryTenantDirectory({ tenants: [] });
    expect(await directory.findByRouteKey('anything-at-all')).toBeNull();
  });
});
