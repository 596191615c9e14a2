import { describe, expect, it } from 'vitest';
import { createMemoryTenantDirectory } from '../../adapters/memory/memory-tenant-directory.js';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { isTenantSuspendedError } from '../../tenancy/errors.js';
import { aTenant } from '../../testing/fixtures.js';
import { calcomRoutesFromDirectory } from './directory-routes.js';

const tenants = createMemoryTenantDirectory({
  tenants: [
    aTenant({ id: 'acme', routeKeys: ['rk_acme_0001'] }),
    aTenant({ id: 'open', routeKeys: ['rk_open_0003'] }),
    aTenant({ id: 'gone', status: 'suspended', routeKeys: ['rk_gone_0004'] }),
  ],
});
const secrets: Record<string, string> = { acme: 'whsec-acme', open: '' };
const routes = calcomRoutesFromDirectory({ tenants, webhookSecret: (tenantId) => secrets[tenantId] ?? null });

describe('calcomRoutesFromDirectory', () => {
  it('finds the tenant by route key and asks for its secret', async () => {
    expect(await routes('rk_acme_0001', {})).toEqual({ tenantId: 'acme', webhookSecret: 'whsec-acme' });
    expect(await routes('rk_open_0003', {})).toEqual({ tenantId: 'open', webhookSecret: null });
  });

  it('answers null for an unknown route key', async () => {
    expect(await routes('rk_nobody_9999', {})).toBeNull();
  });

  it('refuses a suspended tenant', async () => {
    const error: unknown = await Promise.resolve(routes('rk_gone_0004', {})).catch(
      (caught: unknown) => caught,
    );
    expect(isTenantSuspendedError(error)).toBe(true);
  });

  it('names a missing option', () => {
    const attempt = () => calcomRoutesFromDirectory({ tenants } as never);
    expect(attempt).toThrow(/calcomRoutesFromDirectory.*"webhookSecret"/);
    try {
      attempt();
    } catch (error) {
      expect(isInvalidOptionError(error)).toBe(true);
    }
  });
});
