import { describe, expect, it } from 'vitest';
import { createMemoryCalendarProvider } from '../../adapters/memory/memory-calendar-provider.js';
import { createMemoryStores } from '../../adapters/memory/memory-stores.js';
import { createMemoryTenantDirectory } from '../../adapters/memory/memory-tenant-directory.js';
import { bookingEvents } from '../../booking/events.js';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { createEventBus } from '../../events/event-bus.js';
import type { CalendarEventType } from '../../ports/calendar-provider.js';
import { systemClock } from '../../ports/clock.js';
import type { Tenant } from '../../tenancy/tenant.js';
import { createFakeClock, type FakeClock } from '../../testing/fake-clock.js';
import { aCustomer, aTenant } from '../../testing/fixtures.js';
import { createRetellCallSimulator } from '../../testing/retell-simulator/retell-call-simulator.js';
import { retellSignatureHeader, signRetellBody } from '../signature.js';
import { createRetellInboundHandler, type RetellInboundHandlerOptions } from './retell-inbound-handler.js';

const API_KEY = 'key_workspace_test';
const SALON = '+493012345678';
const SHOP = '+14155550199';
const ANA = '+4915112345678';
const STRANGER = '+4917000000001';
const URL_ = 'https://x.example/webhooks/retell/inbound';

const weekdays = [{ start: '09:00', end: '17:00' }];
const service = (tenantId: string, id: string, title: string) => ({
  tenantId,
  id,
  title,
  durationMinutes: 30,
  timeZone: 'Europe/Berlin',
  weeklyHours: { tuesday: weekdays },
});

// 2026-03-03 is a Tuesday; 13:30 UTC is 14:30 in Berlin, 05:30 in San Francisco.
async function world(
  overrides: Partial<RetellInboundHandlerOptions> = {},
  clock = createFakeClock('2026-03-03T13:30:00.000Z'),
) {
  const stores = createMemoryStores({ clock });
  const bus = createEventBus({ catalog: bookingEvents, clock });
  const salon: Tenant = aTenant({ id: 'salon', name: 'Salon Lumen', locale: 'de', phoneNumbers: [SALON] });
  const shop: Tenant = aTenant({
    id: 'shop',
    name: 'Bay Barbers',
    locale: 'en',
    timeZone: 'America/Los_Angeles',
    phoneNumbers: [SHOP],
  });
  const tenants = createMemoryTenantDirectory({ tenants: [salon, shop] });
  await stores.customers.insert(
    aCustomer({ id: 'cust_ana', tenantId: 'salon', name: 'Ana Schmidt', phone: ANA }),
  );
  await stores.customers.insert(
    aCustomer({ id: 'cust_ana_us', tenantId: 'shop', name: 'Ana Smith', phone: ANA }),
  );
  const calendar = createMemoryCalendarProvider({
    clock,
    eventTypes: [
      service('salon', 'cut', 'Haarschnitt'),
      service('salon', 'colour', 'Färben'),
      service('salon', 'advice', 'Beratung'),
      service('shop', 'cut', 'Haircut'),
      service('shop', 'shave', 'Shave'),
    ],
  });
  const published: { type: string; data: unknown; tenantId: string }[] = [];
  bus.onAny((event) => published.push({ type: event.type, data: event.data, tenantId: event.tenantId }));
  const handler = createRetellInboundHandler({
    apiKey: API_KEY,
    tenants,
    stores,
    calendar,
    bus,
    clock,
    ...overrides,
  });
  return { clock, handler, published, calendar };
}

const inbound = (to: string, from = ANA, now: number) => {
  const body = JSON.stringify({
    event: 'call_inbound',
    call_inbound: { agent_id: 'agent_1', agent_version: 2, from_number: from, to_number: to },
  });
  return new Request(URL_, {
    method: 'POST',
    headers: { [retellSignatureHeader]: signRetellBody(body, API_KEY, { now }) },
    body,
  });
};

/** Answers `request`, moving the fake clock on in small steps until the answer is there. */
async function answerOn(clock: FakeClock, handler: (r: Request) => Promise<Response>, request: Request) {
  let response: Response | undefined;
  const pending = handler(request).then((r) => (response = r));
  for (let step = 0; response === undefined && step < 100; step += 1) await clock.advance(25);
  await pending;
  return {
    status: response!.status,
    body: (await response!.json()) as { call_inbound: Record<string, unknown> },
  };
}

describe('createRetellInboundHandler', () => {
  it('greets a known caller by name, with the services, time zone, date and time in German', async () => {
    const { clock, handler, published } = await world();
    const { status, body } = await answerOn(clock, handler, inbound(SALON, ANA, clock.now()));
    expect(status).toBe(200);
    expect(body).toEqual({
      call_inbound: {
        dynamic_variables: {
          business_name: 'Salon Lumen',
          language: 'de',
          time_zone: 'Europe/Berlin',
          today: 'Dienstag, 3. März',
          current_date: '3. März 2026',
          current_date_iso: '2026-03-03',
          current_time: '14:30',
          caller_known: 'true',
          caller_name: 'Ana Schmidt',
          services: 'Haarschnitt, Färben und Beratung',
        },
        metadata: { bookingkitTenantId: 'salon' },
      },
    });
    expect(
      Object.values(body.call_inbound.dynamic_variables as object).every((v) => typeof v === 'string'),
    ).toBe(true);
    expect(published).toEqual([
      {
        type: 'call.inbound',
        tenantId: 'salon',
        data: { callId: null, from: ANA, to: SALON, agentId: 'agent_1' },
      },
    ]);
  });

  it('speaks English in the tenant’s own time zone', async () => {
    const { clock, handler } = await world();
    const { body } = await answerOn(clock, handler, inbound(SHOP, ANA, clock.now()));
    expect(body.call_inbound.dynamic_variables).toMatchObject({
      business_name: 'Bay Barbers',
      language: 'en',
      time_zone: 'America/Los_Angeles',
      today: 'Tuesday, March 3',
      current_date: 'March 3, 2026',
      current_time: '5:30 AM',
      caller_name: 'Ana Smith',
      services: 'Haircut and Shave',
    });
  });

  it('says the caller is not known, without a name, for a number that is no customer’s', async () => {
    const { clock, handler } = await world();
    const { body } = await answerOn(clock, handler, inbound(SALON, STRANGER, clock.now()));
    expect(body.call_inbound.dynamic_variables).toMatchObject({ caller_known: 'false' });
    expect(body.call_inbound.dynamic_variables).not.toHaveProperty('caller_name');
  });

  it('answers 200 without tenant data for a number no tenant owns, and counts it', async () => {
    const { clock, handler, published } = await world();
    const { status, body } = await answerOn(clock, handler, inbound('+493000000000', ANA, clock.now()));
    expect(status).toBe(200);
    expect(body).toEqual({ call_inbound: {} });
    expect(published).toEqual([]);
    expect(handler.stats()).toMatchObject({ answered: 0, noTenant: { unknown_number: 1 } });
  });

  it('answers within its budget without the services of a slow calendar, and has them next time', async () => {
    let release!: () => void;
    let listings = 0;
    const clock = createFakeClock('2026-03-03T13:30:00.000Z');
    const types: CalendarEventType[] = [
      { id: 'cut', slug: 'cut', title: 'Haarschnitt', lengthsInMinutes: [30] },
    ];
    const slowCalendar = {
      listEventTypes: () => {
        listings += 1;
        return new Promise<CalendarEventType[]>((resolve) => (release = () => resolve(types)));
      },
    };
    const { handler } = await world({ calendar: slowCalendar, budgetMs: 300 }, clock);
    const startedAt = clock.now();
    const first = await answerOn(clock, handler, inbound(SALON, ANA, clock.now()));
    // Answered once the budget ran out (the clock only moves in the test's steps), not later.
    expect(clock.now() - startedAt).toBeLessThanOrEqual(325);
    expect(first.body.call_inbound.dynamic_variables).toMatchObject({ caller_name: 'Ana Schmidt' });
    expect(first.body.call_inbound.dynamic_variables).not.toHaveProperty('services');
    expect(handler.stats()).toMatchObject({ answered: 1, overBudget: 1 });

    release();
    const second = await answerOn(clock, handler, inbound(SALON, ANA, clock.now()));
    expect(second.body.call_inbound.dynamic_variables).toMatchObject({ services: 'Haarschnitt' });
    expect(listings).toBe(1);
  });

  it('answers without tenant data when the tenant directory is slower than the budget', async () => {
    const clock = createFakeClock('2026-03-03T13:30:00.000Z');
    const { handler } = await world({ tenants: { findByPhoneNumber: () => new Promise(() => {}) } }, clock);
    const { status, body } = await answerOn(clock, handler, inbound(SALON, ANA, clock.now()));
    expect([status, body]).toEqual([200, { call_inbound: {} }]);
    expect(handler.stats().overBudget).toBe(1);
  });

  it('answers without the caller when the customer look-up fails', async () => {
    const { clock, handler } = await world({
      stores: { customers: { findByPhone: () => Promise.reject(new Error('db down')) } },
    });
    const { body } = await answerOn(clock, handler, inbound(SALON, ANA, clock.now()));
    expect(body.call_inbound.dynamic_variables).not.toHaveProperty('caller_known');
    expect(body.call_inbound.dynamic_variables).toMatchObject({
      services: 'Haarschnitt, Färben und Beratung',
    });
    expect(handler.stats().lookupFailures).toBe(1);
  });

  it('overrides the agent when the host names one for the tenant', async () => {
    const { clock, handler } = await world({
      agentId: (tenant) => (tenant.locale === 'de' ? 'agent_de' : null),
    });
    const de = await answerOn(clock, handler, inbound(SALON, ANA, clock.now()));
    const en = await answerOn(clock, handler, inbound(SHOP, ANA, clock.now()));
    expect(de.body.call_inbound.override_agent_id).toBe('agent_de');
    expect(en.body.call_inbound).not.toHaveProperty('override_agent_id');
  });

  it('tells a workspace nothing about the callers of another workspace’s tenant', async () => {
    const clock = createFakeClock('2026-03-03T13:30:00.000Z');
    const { handler } = await world({ apiKey: () => ({ apiKey: API_KEY, tenantIds: ['shop'] }) }, clock);
    const { status, body } = await answerOn(clock, handler, inbound(SALON, ANA, clock.now()));
    expect([status, body]).toEqual([200, { call_inbound: {} }]);
    expect(handler.stats().noTenant.other_workspace).toBe(1);
    const own = await answerOn(clock, handler, inbound(SHOP, ANA, clock.now()));
    expect(own.body.call_inbound.dynamic_variables).toMatchObject({ caller_name: 'Ana Smith' });
  });

  it('refuses a bad signature with 401', async () => {
    const { clock, handler } = await world();
    const request = inbound(SALON, ANA, clock.now() - 400_000);
    expect((await handler(request)).status).toBe(401);
  });

  it('gives the call its variables through the simulator, as Retell would', async () => {
    const { clock, handler } = await world();
    const retell = createRetellCallSimulator({ apiKey: API_KEY, inbound: handler, clock });
    const played = retell.call({ from: ANA, to: SALON, agentId: 'agent_1' }).inbound().play();
    for (let step = 0; step < 20; step += 1) await clock.advance(25);
    const result = await played;
    expect(result.inbound[0]?.response?.status).toBe(200);
    expect(result.call.retell_llm_dynamic_variables).toMatchObject({
      caller_name: 'Ana Schmidt',
      current_time: '14:30',
    });
    expect(result.call.metadata).toEqual({ bookingkitTenantId: 'salon' });
  });

  it('answers in well under its budget on the real clock (measured)', async () => {
    const { handler } = await world({ clock: systemClock }, createFakeClock(Date.now()));
    const timings: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 20; i += 1) {
      const request = inbound(SALON, ANA, Date.now());
      const started = performance.now();
      last = await handler(request);
      timings.push(performance.now() - started);
    }
    expect(last?.status).toBe(200);
    expect(
      ((await last!.json()) as { call_inbound: { dynamic_variables: object } }).call_inbound
        .dynamic_variables,
    ).toHaveProperty('services');
    const sorted = [...timings].sort((a, b) => a - b);
    // A calendar that takes a second: the answer leaves at the budget, without the services.
    const slow = await world(
      {
        clock: systemClock,
        calendar: { listEventTypes: () => new Promise((resolve) => setTimeout(() => resolve([]), 1_000)) },
      },
      createFakeClock(Date.now()),
    );
    const started = performance.now();
    const late = await slow.handler(inbound(SALON, ANA, Date.now()));
    const lateMs = performance.now() - started;
    expect(
      ((await late.json()) as { call_inbound: { dynamic_variables: object } }).call_inbound.dynamic_variables,
    ).not.toHaveProperty('services');
    console.info(
      `inbound answer latency, memory stores, 20 requests: first ${timings[0]!.toFixed(1)} ms, median ${sorted[10]!.toFixed(1)} ms, max ${sorted[19]!.toFixed(1)} ms; with a calendar taking 1 s and a 300 ms budget: ${lateMs.toFixed(1)} ms`,
    );
  });

  it('names a missing or unusable option', () => {
    const valid: RetellInboundHandlerOptions = {
      apiKey: API_KEY,
      tenants: createMemoryTenantDirectory({ tenants: [] }),
    };
    const refusal = (overrides: Record<string, unknown>): string => {
      try {
        createRetellInboundHandler({ ...valid, ...overrides });
      } catch (error) {
        if (isInvalidOptionError(error)) return error.message;
        throw error;
      }
      throw new Error('expected an InvalidOptionError');
    };
    expect(refusal({ apiKey: undefined })).toMatch(/createRetellInboundHandler.*"apiKey"/);
    expect(refusal({ tenants: {} })).toMatch(/"tenants"/);
    expect(refusal({ calendar: {} })).toMatch(/"calendar"/);
    expect(refusal({ stores: { customers: {} } })).toMatch(/"stores"/);
    expect(refusal({ budgetMs: 0 })).toMatch(/"budgetMs"/);
    expect(refusal({ agentId: 'agent_1' })).toMatch(/"agentId"/);
  });
});
