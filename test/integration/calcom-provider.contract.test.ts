import { afterEach, beforeEach, describe, it } from 'vitest';
import { createCalcomCalendarProvider } from '../../src/calcom/provider/calcom-calendar-provider.js';
import type { FakeClock } from '../../src/testing/fake-clock.js';
import { calendarProviderContract } from '../../src/testing/contracts/calendar-provider.contract.js';
import { createCalcomSimulator } from '../../src/testing/calcom-simulator/calcom-simulator.js';

// Tenants are separate Cal.com accounts; in Cal.com an event type id is unique across accounts,
// so the "other tenant with an event type of the same id" of the contract lives in a second
// Cal.com (a tenant on cal.eu, say): each tenant's credentials name its base URL, and the fetch
// below hands each host to its simulator.

const weekdays = [{ start: '09:00', end: '17:00' }];
const consultation = {
  slug: 'consultation',
  title: 'Consultation',
  lengthInMinutes: 30,
  timeZone: 'Europe/Berlin',
  weeklyHours: {
    monday: weekdays,
    tuesday: weekdays,
    wednesday: weekdays,
    thursday: weekdays,
    friday: weekdays,
  },
};

/** Two simulated Cal.coms on the contract's clock, and the provider over both. */
function twoTenantCalcom(clock: FakeClock) {
  const simulator = (apiKey: string) =>
    createCalcomSimulator({
      clock,
      accounts: [{ apiKey, username: apiKey, timeZone: 'Europe/Berlin' }],
      eventTypes: [consultation],
      // The contract makes many calls within one fake minute; rate limits have their own tests.
      rateLimitPerMinute: false,
    });
  const sims = { 'a.cal.test': simulator('cal_test_a'), 'b.cal.test': simulator('cal_test_b') };
  const fetch: typeof globalThis.fetch = (input, init) => {
    const request = new Request(input, init);
    const sim = sims[new URL(request.url).host as keyof typeof sims];
    return sim ? sim.handle(request) : Promise.reject(new TypeError(`no simulator at ${request.url}`));
  };
  const provider = createCalcomCalendarProvider({
    credentials: async (tenantId) => {
      if (tenantId === 'tenant-a')
        return { apiKey: 'cal_test_a', webhookSecret: 'whsec-a', baseUrl: 'https://a.cal.test' };
      if (tenantId === 'tenant-b')
        return { apiKey: 'cal_test_b', webhookSecret: 'whsec-b', baseUrl: 'https://b.cal.test' };
      throw new Error(`unknown tenant ${tenantId}`);
    },
    fetch,
    clock,
    rateLimiter: false,
  });
  return { provider, sims };
}

calendarProviderContract({ describe, it, beforeEach, afterEach }, 'Cal.com (simulator)', ({ clock }) => ({
  provider: twoTenantCalcom(clock).provider,
  tenantId: 'tenant-a',
  otherTenantId: 'tenant-b',
  eventTypeId: '1001',
  // Tuesday 09:00–12:00 in Berlin.
  window: { start: '2026-01-06T08:00:00.000Z', end: '2026-01-06T11:00:00.000Z' },
  // Tuesday 20:00 in Berlin: closed.
  closedTime: { start: '2026-01-06T19:00:00.000Z', end: '2026-01-06T19:30:00.000Z' },
}));
