import { describe, expect, it } from 'vitest';
import { createMemoryTenantDirectory } from '../adapters/memory/memory-tenant-directory.js';
import { aTenant } from '../testing/fixtures.js';
import { hashApiKey } from './api-key.js';
import { isTenantSuspendedError, isUnknownTenantError } from './errors.js';
import { resolveTenant } from './resolve-tenant.js';

const salon = aTenant({
  id: 'salon',
  phoneNumbers: ['+493012345678'],
  routeKeys: ['salon-route-key'],
  apiKeyHashes: [hashApiKey('salon-secret')],
});
const closed = aTenant({
  id: 'closed',
  status: 'suspended',
  phoneNumbers: ['+493087654321'],
  routeKeys: ['closed-route-key'],
});
const directory = createMemoryTenantDirectory({ tenants: [salon, closed] });

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('resolveTenant', () => {
  it('resolves an active tenant by id, phone number, API key and route key', async () => {
    for (const by of [
      { tenantId: 'salon' },
      { phoneNumber: '+493012345678' },
      { apiKey: 'salon-secret' },
      { routeKey: 'salon-route-key' },
    ]) {
      expect((await resolveTenant(directory, by)).id).toBe('salon');
    }
  });

  it('rejects an unknown value with TENANT_UNKNOWN instead of falling back to any tenant', async () => {
    const error = await failure(resolveTenant(directory, { routeKey: 'no-such-route' }));
    expect(isUnknownTenantError(error) && error.code).toBe('TENANT_UNKNOWN');
    expect(isUnknownTenantError(error) && error.context).toEqual({ by: 'routeKey', value: 'no-s…' });
  });

  it('never puts an API key or a full phone number into the error', async () => {
    const byKey = await failure(resolveTenant(directory, { apiKey: 'leaked-secret' }));
    expect(isUnknownTenantError(byKey) && byKey.context).toEqual({ by: 'apiKey', value: null });
    expect(JSON.stringify(byKey)).not.toContain('leaked-secret');
    const byPhone = await failure(resolveTenant(directory, { phoneNumber: '+491701234567' }));
    expect(isUnknownTenantError(byPhone) && byPhone.context.value).toBe('+49********67');
    expect(String(byPhone)).not.toContain('+491701234567');
  });

  it('names the tenant id of an unknown id lookup', async () => {
    const error = await failure(resolveTenant(directory, { tenantId: 'ghost' }));
    expect(isUnknownTenantError(error) && error.message).toBe('No tenant found by tenantId "ghost"');
  });

  it('rejects a suspended tenant with TENANT_SUSPENDED', async () => {
    const error = await failure(resolveTenant(directory, { phoneNumber: '+493087654321' }));
    expect(isTenantSuspendedError(error) && error.context).toEqual({ tenantId: 'closed' });
  });

  it('passes the signal to the directory', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      resolveTenant(directory, { tenantId: 'salon' }, { signal: controller.signal }),
    ).rejects.toThrow('stop');
  });
});

describe('hashApiKey', () => {
  it('is the SHA-256 hex digest of the key', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashApiKey('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
