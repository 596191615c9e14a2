import { describe, expect, it } from 'vitest';
import { createMemoryTenantDirectory } from '../../adapters/memory/memory-tenant-directory.js';
import { retellTenantsFromNumbers } from './tenant-from-numbers.js';

const directory = createMemoryTenantDirectory({
  tenants: [
    {
      id: 'praxis',
      name: 'Praxis',
      status: 'active',
      timeZone: 'Europe/Berlin',
      locale: 'de',
      calendarUnavailablePolicy: 'fail',
      phoneNumbers: ['+4930123456'],
      apiKeyHashes: [],
      routeKeys: [],
    },
    {
      id: 'salon',
      name: 'Salon',
      status: 'active',
      timeZone: 'America/New_York',
      calendarUnavailablePolicy: 'fail',
      phoneNumbers: ['+12125550100'],
      apiKeyHashes: [],
      routeKeys: [],
    },
    {
      id: 'closed',
      name: 'Closed',
      status: 'suspended',
      timeZone: 'UTC',
      calendarUnavailablePolicy: 'fail',
      phoneNumbers: ['+4940999999'],
      apiKeyHashes: [],
      routeKeys: [],
    },
  ],
});
const call = (direction: string | undefined, from: string, to: string) => ({
  call_id: 'call_1',
  ...(direction ? { direction } : {}),
  from_number: from,
  to_number: to,
});

describe('retellTenantsFromNumbers', () => {
  it('finds the tenant by the called number of an inbound call and the calling number of an outbound one', async () => {
    const resolve = retellTenantsFromNumbers(directory);
    await expect(resolve(call('inbound', '+4917600000000', '+4930123456'))).resolves.toEqual({
      tenantId: 'praxis',
      timeZone: 'Europe/Berlin',
      locale: 'de',
    });
    await expect(resolve(call('outbound', '+12125550100', '+4917600000000'))).resolves.toEqual({
      tenantId: 'salon',
      timeZone: 'America/New_York',
      locale: 'en',
    });
  });

  it('never guesses: the caller’s own number, web calls, unknown numbers and suspended tenants give null', async () => {
    const resolve = retellTenantsFromNumbers(directory);
    // Inbound from a tenant's number to an unknown one: the tenant number is the called one.
    await expect(resolve(call('inbound', '+4930123456', '+4917600000000'))).resolves.toBeNull();
    await expect(resolve(call(undefined, '+4917600000000', '+4930123456'))).resolves.toBeNull();
    await expect(resolve(call('web', '', ''))).resolves.toBeNull();
    await expect(resolve(call('inbound', '+4917600000000', '+4940999999'))).resolves.toBeNull();
  });

  it('keeps to the tenants of its workspace', async () => {
    const resolve = retellTenantsFromNumbers(directory, { tenantIds: ['salon'] });
    await expect(resolve(call('inbound', '+4917600000000', '+4930123456'))).resolves.toBeNull();
    await expect(resolve(call('inbound', '+4917600000000', '+12125550100'))).resolves.toMatchObject({
      tenantId: 'salon',
    });
  });
});
