import { registerCallLinks } from '../../src/booking/listeners/call-link-listener.js';
import { createCalcomClient } from '../../src/calcom/client/client.js';
import { createCalcomCalendarProvider } from '../../src/calcom/provider/calcom-calendar-provider.js';
import { createBookingKit } from '../../src/kit/booking-kit.js';
import { createRetellFunctionRouter } from '../../src/retell/functions/router.js';
import { retellTenantsFromNumbers } from '../../src/retell/functions/tenant-from-numbers.js';
import { createRetellInboundHandler } from '../../src/retell/ingestion/retell-inbound-handler.js';
import { createRetellWebhookHandler } from '../../src/retell/ingestion/retell-webhook-handler.js';
import { createCalcomSimulator } from '../../src/testing/calcom-simulator/calcom-simulator.js';
import { createFakeClock } from '../../src/testing/fake-clock.js';
import { createRetellCallSimulator } from '../../src/testing/retell-simulator/retell-call-simulator.js';
import { settleOnClock } from '../support/settle-on-clock.js';

/** The workspace key that signs every Retell request. */
export const RETELL_KEY = 'key_retell_e2e_workspace';
/** The German practice's Retell number, in Berlin. */
export const PRAXIS = '+493012345678';
/** The English clinic's Retell number, in New York. */
export const CLINIC = '+12125550199';
/** A number no tenant owns. */
export const NOBODY = '+493099999999';
export const ANNA = '+4915112345678';
export const JOHN = '+12125550123';

const calcomKeys: Readonly<Record<string, string>> = { praxis: 'cal_test_praxis', clinic: 'cal_test_clinic' };
const weekdays = (start: string, end: string) => {
  const hours = [{ start, end }];
  return { monday: hours, tuesday: hours, wednesday: hours, thursday: hours, friday: hours };
};

/**
 * Two tenants (a German practice in Berlin, an English clinic in New York), each with its own
 * Cal.com account in one Cal.com simulator (every request waits 200 ms on the fake clock), a
 * booking kit on memory stores with the Cal.com provider (rate limiter off), the call-link
 * listener, and Retell's three endpoints (call webhooks, the inbound webhook, the function
 * router) that the call simulator plays against. Monday 2026-03-02, 08:00 UTC.
 */
export async function setUpRetellE2e() {
  const clock = createFakeClock('2026-03-02T08:00:00.000Z');
  const sim = createCalcomSimulator({
    clock,
    rateLimitPerMinute: false,
    accounts: [
      { apiKey: calcomKeys.praxis!, username: 'praxis', timeZone: 'Europe/Berlin' },
      { apiKey: calcomKeys.clinic!, username: 'clinic', timeZone: 'America/New_York' },
    ],
    eventTypes: [
      {
        owner: 'praxis',
        slug: 'beratung',
        title: 'Beratung',
        lengthInMinutes: 30,
        timeZone: 'Europe/Berlin',
        weeklyHours: weekdays('09:00', '17:00'),
      },
      {
        owner: 'clinic',
        slug: 'consultation',
        title: 'Consultation',
        lengthInMinutes: 30,
        timeZone: 'America/New_York',
        weeklyHours: weekdays('09:00', '12:00'),
      },
    ],
  });
  sim.faults.setLatency(200);
  const client = createCalcomClient({
    credentials: async (tenantId) => {
      const apiKey = calcomKeys[tenantId];
      if (!apiKey) throw new Error(`no Cal.com account for tenant ${tenantId}`);
      return { apiKey, webhookSecret: `whsec_${tenantId}` };
    },
    fetch: sim.fetch,
    rateLimiter: false,
    clock,
  });
  const kit = createBookingKit({
    clock,
    calendar: createCalcomCalendarProvider({ client, clock }),
    tenants: [
      {
        id: 'praxis',
        name: 'Praxis Sonnenschein',
        timeZone: 'Europe/Berlin',
        locale: 'de',
        phoneNumbers: [PRAXIS],
      },
      {
        id: 'clinic',
        name: 'Harbor Clinic',
        timeZone: 'America/New_York',
        locale: 'en',
        phoneNumbers: [CLINIC],
      },
    ],
  });
  registerCallLinks(kit.bus, { calls: kit.stores.calls });

  const webhook = createRetellWebhookHandler({ ...kit, apiKey: RETELL_KEY });
  const inbound = createRetellInboundHandler({ ...kit, apiKey: RETELL_KEY });
  const functions = createRetellFunctionRouter({
    ...kit,
    apiKey: RETELL_KEY,
    resolveTenant: retellTenantsFromNumbers(kit.tenants),
  });
  const bookCalls: string[] = [];
  const retell = createRetellCallSimulator({
    apiKey: RETELL_KEY,
    clock,
    webhook,
    inbound,
    functions: async (request) => {
      const { name } = (await request.clone().json()) as { name: string };
      if (name === 'book_appointment') bookCalls.push(name);
      return functions(request);
    },
  });

  /** Resolves `promise` while moving the fake clock (Cal.com's latency and retries wait on it). */
  const settle = <T>(promise: Promise<T>) => settleOnClock(clock, promise, { stepMs: 20, maxRounds: 5_000 });

  /** Runs the outbox relay until it finds nothing: the queued listeners (call links) have run. */
  async function drainOutbox(): Promise<void> {
    for (let round = 0; round < 20; round += 1) {
      const result = await kit.relay.runOnce();
      if (result.claimed === 0) return;
    }
    throw new Error('the outbox did not drain');
  }

  return {
    clock,
    sim,
    kit,
    webhook,
    inbound,
    functions,
    retell,
    bookCalls,
    settle,
    drainOutbox,
    async close() {
      await functions.idle();
      await kit.close();
    },
  };
}

export type RetellE2e = Awaited<ReturnType<typeof setUpRetellE2e>>;
