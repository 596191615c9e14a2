import { describe, expect, it } from 'vitest';
import { createMemoryStores } from '../../adapters/memory/memory-stores.js';
import { createMemoryTenantDirectory } from '../../adapters/memory/memory-tenant-directory.js';
import { bookingEvents } from '../../booking/events.js';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { createEventBus } from '../../events/event-bus.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { aCustomer, aTenant } from '../../testing/fixtures.js';
import { createRetellCallSimulator } from '../../testing/retell-simulator/retell-call-simulator.js';
import { retellSignatureHeader, signRetellBody } from '../signature.js';
import { createRetellWebhookHandler, type RetellWebhookHandlerOptions } from './retell-webhook-handler.js';

const API_KEY = 'key_workspace_test';
const SALON = '+493012345678';
const CALLER = '+4915112345678';

async function world() {
  const clock = createFakeClock('2026-03-03T13:30:00.000Z');
  const stores = createMemoryStores({ clock });
  const bus = createEventBus({ catalog: bookingEvents, clock, outbox: stores.outbox });
  const tenants = createMemoryTenantDirectory({
    tenants: [
      aTenant({ id: 'salon', phoneNumbers: [SALON] }),
      aTenant({ id: 'closed', status: 'suspended', phoneNumbers: ['+493099999999'] }),
    ],
  });
  await stores.customers.insert(aCustomer({ id: 'cust_ana', tenantId: 'salon', name: 'Ana', phone: CALLER }));
  const published: string[] = [];
  bus.onAny((event) => published.push(`${event.type} ${event.aggregateId}`));
  const handler = createRetellWebhookHandler({ bus, stores, tenants, clock, apiKey: API_KEY });
  const retell = createRetellCallSimulator({ apiKey: API_KEY, webhook: handler, clock });
  return { clock, stores, bus, tenants, handler, retell, published };
}

const signed = (url: string, body: unknown, apiKey: string, now: number): Request => {
  const text = JSON.stringify(body);
  return new Request(url, {
    method: 'POST',
    headers: { [retellSignatureHeader]: signRetellBody(text, apiKey, { now }) },
    body: text,
  });
};

const phoneCall = (overrides: Record<string, unknown> = {}) => ({
  call_id: 'call_x',
  call_type: 'phone_call',
  agent_id: 'agent_1',
  agent_version: 1,
  call_status: 'ended',
  direction: 'inbound',
  from_number: CALLER,
  to_number: SALON,
  ...overrides,
});

describe('createRetellWebhookHandler', () => {
  it('records a call from started to analyzed, once per event, with the caller as customer', async () => {
    const { retell, stores, published } = await world();
    const result = await retell
      .call({ from: CALLER, to: SALON, agentId: 'agent_1', callId: 'call_1' })
      .started()
      .say('user', 'Ich möchte einen Termin.')
      .ended({ disconnectionReason: 'user_hangup' })
      .analyzed({ summary: 'Termin gebucht.', successful: true })
      .play();
    expect(
      result.webhooks.map((w) => [
        w.event,
        w.response?.status,
        (w.response?.body as { action: string }).action,
      ]),
    ).toEqual([
      ['call_started', 200, 'recorded'],
      ['call_ended', 200, 'recorded'],
      ['call_analyzed', 200, 'recorded'],
    ]);
    expect(published).toEqual(['call.started call_1', 'call.ended call_1', 'call.analyzed call_1']);
    const call = await stores.calls.get('salon', 'call_1');
    expect(call).toMatchObject({
      status: 'ended',
      direction: 'inbound',
      fromNumber: CALLER,
      toNumber: SALON,
      customerId: 'cust_ana',
      agentId: 'agent_1',
      disconnectionReason: 'user_hangup',
      transcript: expect.stringContaining('Ich möchte einen Termin.'),
      analysis: expect.objectContaining({ call_summary: 'Termin gebucht.' }),
      events: ['call_started', 'call_ended', 'call_analyzed'],
    });
  });

  it('answers duplicates 200 and changes nothing, sequential or concurrent', async () => {
    const { retell, stores, published, handler, bus } = await world();
    bus.on('call.ended', () => {}, { queued: true, name: 'ended-sink' });
    const result = await retell
      .call({ from: CALLER, to: SALON, agentId: 'agent_1', callId: 'call_dup' })
      .started()
      .ended()
      .analyzed()
      .play({ duplicates: { call_ended: 3, call_analyzed: { times: 3, concurrent: true } } });
    expect(result.webhooks.every((w) => w.response?.status === 200)).toBe(true);
    const actions = result.webhooks.map((w) => (w.response?.body as { action: string }).action);
    expect(actions.filter((a) => a === 'recorded')).toHaveLength(3);
    expect(actions.filter((a) => a === 'duplicate')).toHaveLength(4);
    expect(published).toEqual(['call.started call_dup', 'call.ended call_dup', 'call.analyzed call_dup']);
    expect((await stores.calls.get('salon', 'call_dup'))?.version).toBe(3);
    expect(handler.stats()).toMatchObject({ recorded: 3, duplicates: 4 });
    // The queued listener got one outbox message, written with the call's first call_ended.
    const messages = await stores.outbox.list();
    expect(messages.map((m) => [m.eventType, m.listener, m.tenantId])).toEqual([
      ['call.ended', 'ended-sink', 'salon'],
    ]);
  });

  it('merges analyzed before ended, and a call whose call_started never came, into the same call', async () => {
    const { retell, stores, published } = await world();
    await retell
      .call({ from: CALLER, to: SALON, agentId: 'agent_1', callId: 'call_late' })
      .started()
      .ended({ disconnectionReason: 'agent_hangup' })
      .analyzed({ summary: 'Fragte nach Preisen.' })
      .play({ drop: ['call_started'], reorder: ['call_analyzed', 'call_ended'] });
    expect(published).toEqual(['call.analyzed call_late', 'call.ended call_late']);
    expect(await stores.calls.get('salon', 'call_late')).toMatchObject({
      status: 'ended',
      disconnectionReason: 'agent_hangup',
      analysis: expect.objectContaining({ call_summary: 'Fragte nach Preisen.' }),
      startedAt: expect.any(String),
      events: ['call_analyzed', 'call_ended'],
    });
  });

  it('acknowledges a call to an unknown number, stores nothing anywhere, and counts it', async () => {
    const { retell, stores, handler, published } = await world();
    const result = await retell
      .call({ from: CALLER, to: '+493000000000', agentId: 'agent_1', callId: 'call_stray' })
      .started()
      .ended()
      .play();
    expect(result.webhooks.map((w) => w.response?.status)).toEqual([200, 200]);
    expect(result.webhooks[0]?.response?.body).toMatchObject({
      action: 'no_tenant',
      detail: 'unknown_number',
    });
    expect(published).toEqual([]);
    for (const tenantId of ['salon', 'closed'])
      expect(await stores.calls.get(tenantId, 'call_stray')).toBeNull();
    expect(handler.stats().noTenant).toEqual({
      unknown_number: 2,
      no_number: 0,
      tenant_suspended: 0,
      other_workspace: 0,
    });
  });

  it('resolves an outbound call by the calling number, and skips a suspended tenant’s call', async () => {
    const { retell, stores, handler } = await world();
    await retell
      .call({ from: SALON, to: CALLER, direction: 'outbound', agentId: 'agent_1', callId: 'call_out' })
      .started()
      .play();
    expect(await stores.calls.get('salon', 'call_out')).toMatchObject({
      direction: 'outbound',
      customerId: 'cust_ana',
    });
    await retell
      .call({ from: CALLER, to: '+493099999999', agentId: 'agent_1', callId: 'call_off' })
      .started()
      .play();
    expect(await stores.calls.get('closed', 'call_off')).toBeNull();
    expect(handler.stats().noTenant.tenant_suspended).toBe(1);
  });

  it('acknowledges a web call (no number names a tenant) without storing it', async () => {
    const { handler, clock } = await world();
    const web = { ...phoneCall({ call_type: 'web_call' }), direction: undefined, from_number: undefined };
    const response = await handler(
      signed('https://x.example/retell', { event: 'call_ended', call: web }, API_KEY, clock.now()),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ action: 'no_tenant', detail: 'no_number' });
  });

  it('keeps unknown statuses and directions, and stores an unknown event’s call without publishing', async () => {
    const { handler, clock, stores, published } = await world();
    const odd = phoneCall({ call_id: 'call_odd', call_status: 'voicemail' });
    const first = await handler(
      signed('https://x.example/retell', { event: 'call_ended', call: odd }, API_KEY, clock.now()),
    );
    expect(await first.json()).toMatchObject({ action: 'recorded' });
    expect((await stores.calls.get('salon', 'call_odd'))?.status).toBe('voicemail');

    const future = phoneCall({ call_id: 'call_new', call_status: 'ongoing', start_timestamp: clock.now() });
    const unknown = await handler(
      signed('https://x.example/retell', { event: 'call_paused', call: future }, API_KEY, clock.now()),
    );
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toMatchObject({ action: 'recorded', published: [] });
    expect((await stores.calls.get('salon', 'call_new'))?.events).toEqual(['call_paused']);
    const bare = await handler(
      signed('https://x.example/retell', { event: 'call_paused' }, API_KEY, clock.now()),
    );
    expect(await bare.json()).toMatchObject({ action: 'ignored' });
    const transcript = await handler(
      signed('https://x.example/retell', { event: 'transcript_updated', call: future }, API_KEY, clock.now()),
    );
    expect(await transcript.json()).toMatchObject({ action: 'ignored' });
    expect(published).toEqual(['call.ended call_odd']);
  });

  it('refuses bad, stale and malformed signatures with 401, storing nothing', async () => {
    const { handler, clock, stores } = await world();
    const body = { event: 'call_ended', call: phoneCall({ call_id: 'call_sig' }) };
    const url = 'https://x.example/retell';
    const wrongKey = await handler(signed(url, body, 'key_other', clock.now()));
    const stale = await handler(signed(url, body, API_KEY, clock.now() - 300_001));
    const malformed = await handler(
      new Request(url, {
        method: 'POST',
        headers: { [retellSignatureHeader]: 'v=1,d=zz' },
        body: JSON.stringify(body),
      }),
    );
    const missing = await handler(new Request(url, { method: 'POST', body: JSON.stringify(body) }));
    const tampered = signed(url, body, API_KEY, clock.now());
    const changed = await handler(
      new Request(url, {
        method: 'POST',
        headers: tampered.headers,
        body: JSON.stringify({ ...body, call: phoneCall({ call_id: 'call_sig', call_status: 'error' }) }),
      }),
    );
    expect([wrongKey, stale, malformed, missing, changed].map((r) => r.status)).toEqual([
      401, 401, 401, 401, 401,
    ]);
    expect(await stores.calls.get('salon', 'call_sig')).toBeNull();
  });

  it('answers 400 for a documented event without a call id', async () => {
    const { handler, clock } = await world();
    const { call_id: _id, ...call } = phoneCall();
    const response = await handler(
      signed('https://x.example/retell', { event: 'call_ended', call }, API_KEY, clock.now()),
    );
    expect(response.status).toBe(400);
  });

  it('serves several workspaces, each verified with its own key picked by the route key', async () => {
    const { bus, stores, tenants, clock } = await world();
    const keys: Record<string, string> = { ws_eu: 'key_eu', ws_us: 'key_us' };
    let lookups = 0;
    const handler = createRetellWebhookHandler({
      bus,
      stores,
      tenants,
      clock,
      apiKey: (routeKey) => {
        lookups += 1;
        return keys[routeKey] ?? null;
      },
    });
    const body = (id: string) => ({
      event: 'call_started',
      call: phoneCall({ call_id: id, call_status: 'ongoing' }),
    });
    const eu = await handler(
      signed('https://x.example/webhooks/retell/ws_eu', body('c_eu'), 'key_eu', clock.now()),
    );
    const us = await handler(
      signed('https://x.example/webhooks/retell/ws_us', body('c_us'), 'key_us', clock.now()),
    );
    const crossed = await handler(
      signed('https://x.example/webhooks/retell/ws_us', body('c_x'), 'key_eu', clock.now()),
    );
    const unknown = await handler(
      signed('https://x.example/webhooks/retell/ws_mars', body('c_m'), 'key_eu', clock.now()),
    );
    expect([eu.status, us.status, crossed.status, unknown.status]).toEqual([200, 200, 401, 404]);
    expect(await stores.calls.get('salon', 'c_eu')).not.toBeNull();
    expect(await stores.calls.get('salon', 'c_x')).toBeNull();
    // Keys are cached per route key: ws_us was looked up once for two requests.
    expect(lookups).toBe(3);
  });

  it('records the call without its customer when the customer look-up fails', async () => {
    const { bus, stores, tenants, clock } = await world();
    const handler = createRetellWebhookHandler({
      bus,
      tenants,
      clock,
      apiKey: API_KEY,
      stores: {
        unitOfWork: stores.unitOfWork,
        customers: { findByPhone: () => Promise.reject(new Error('down')) },
      },
    });
    const body = { event: 'call_ended', call: phoneCall({ call_id: 'call_nc' }) };
    const response = await handler(signed('https://x.example/retell', body, API_KEY, clock.now()));
    expect(await response.json()).toMatchObject({ action: 'recorded' });
    expect((await stores.calls.get('salon', 'call_nc'))?.customerId).toBeNull();
  });

  it('answers 500 when the call cannot be stored, and records it on Retell’s retry', async () => {
    const { bus, stores, tenants, clock, published } = await world();
    let failNext = true;
    const handler = createRetellWebhookHandler({
      bus,
      tenants,
      clock,
      apiKey: API_KEY,
      stores: {
        unitOfWork: {
          run: (work, options) => {
            if (failNext) {
              failNext = false;
              return Promise.reject(new Error('connection reset'));
            }
            return stores.unitOfWork.run(work, options);
          },
        },
      },
    });
    const body = { event: 'call_ended', call: phoneCall({ call_id: 'call_retry' }) };
    const first = await handler(signed('https://x.example/retell', body, API_KEY, clock.now()));
    expect(first.status).toBe(500);
    expect(published).toEqual([]);
    const retry = await handler(signed('https://x.example/retell', body, API_KEY, clock.now()));
    expect(await retry.json()).toMatchObject({ action: 'recorded', published: ['call.ended'] });
    expect(published).toEqual(['call.ended call_retry']);
  });

  it('refuses a workspace’s calls for a tenant of another workspace', async () => {
    const { bus, stores, tenants, clock } = await world();
    const handler = createRetellWebhookHandler({
      bus,
      stores,
      tenants,
      clock,
      apiKey: (routeKey) =>
        routeKey === 'ws_salon'
          ? { apiKey: 'key_salon', tenantIds: ['salon'] }
          : { apiKey: 'key_rival', tenantIds: ['rival'] },
    });
    const body = (id: string) => ({ event: 'call_ended', call: phoneCall({ call_id: id }) });
    const own = await handler(
      signed('https://x.example/r/ws_salon', body('c_own'), 'key_salon', clock.now()),
    );
    const forged = await handler(
      signed('https://x.example/r/ws_rival', body('c_forged'), 'key_rival', clock.now()),
    );
    expect(await own.json()).toMatchObject({ action: 'recorded' });
    expect(await forged.json()).toMatchObject({ action: 'no_tenant', detail: 'other_workspace' });
    expect(await stores.calls.get('salon', 'c_forged')).toBeNull();
    expect(handler.stats().noTenant.other_workspace).toBe(1);
  });

  it('names a missing or unusable option', () => {
    const valid: RetellWebhookHandlerOptions = {
      apiKey: API_KEY,
      bus: createEventBus({ catalog: bookingEvents }),
      stores: createMemoryStores(),
      tenants: createMemoryTenantDirectory({ tenants: [] }),
    };
    const refusal = (overrides: Record<string, unknown>): string => {
      try {
        createRetellWebhookHandler({ ...valid, ...overrides });
      } catch (error) {
        if (isInvalidOptionError(error)) return error.message;
        throw error;
      }
      throw new Error('expected an InvalidOptionError');
    };
    expect(refusal({ apiKey: '' })).toMatch(/createRetellWebhookHandler.*"apiKey"/);
    expect(refusal({ bus: {} })).toMatch(/"bus"/);
    expect(refusal({ stores: {} })).toMatch(/"stores"/);
    expect(refusal({ tenants: undefined })).toMatch(/"tenants"/);
    expect(refusal({ routeKey: 'ws' })).toMatch(/"routeKey"/);
    expect(refusal({ toleranceMs: -1 })).toMatch(/"toleranceMs"/);
  });
});
