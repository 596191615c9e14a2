import { describe, expect, it } from 'vitest';
import { createMemoryIdempotencyStore } from '../../adapters/memory/memory-idempotency-store.js';
import { createMemoryStores } from '../../adapters/memory/memory-stores.js';
import { createMemoryTenantDirectory } from '../../adapters/memory/memory-tenant-directory.js';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { aTenant } from '../../testing/fixtures.js';
import { createCalcomWebhookHandler, type CalcomWebhookHandlerOptions } from './calcom-webhook-handler.js';
import { calcomRoutesFromDirectory } from './directory-routes.js';

const unused = () => Promise.reject(new Error('not called'));
const options: CalcomWebhookHandlerOptions = {
  service: { book: unused, reschedule: unused, cancel: unused, confirm: unused, markNoShow: unused },
  stores: createMemoryStores(),
  idempotency: createMemoryIdempotencyStore(),
  routes: () => null,
};

function refusal(overrides: Record<string, unknown>): string {
  try {
    createCalcomWebhookHandler({ ...options, ...overrides });
  } catch (error) {
    if (isInvalidOptionError(error)) return error.message;
    throw error;
  }
  throw new Error('expected an InvalidOptionError');
}

describe('createCalcomWebhookHandler options', () => {
  it('names a missing or unusable part', () => {
    expect(refusal({ service: undefined })).toMatch(/createCalcomWebhookHandler.*"service"/);
    expect(refusal({ stores: {} })).toMatch(/"stores"/);
    expect(refusal({ idempotency: {} })).toMatch(/"idempotency"/);
    expect(refusal({ routes: 'rk_1' })).toMatch(/"routes"/);
    expect(refusal({ routeKey: 'rk_1' })).toMatch(/"routeKey"/);
    expect(refusal({ clock: {} })).toMatch(/"clock"/);
  });

  it('names an out-of-range number', () => {
    expect(refusal({ routeCacheTtlMs: -1 })).toMatch(/"routeCacheTtlMs"/);
    expect(refusal({ tombstoneTtlMs: 0 })).toMatch(/"tombstoneTtlMs"/);
    expect(refusal({ limitBytes: 1.5 })).toMatch(/"limitBytes"/);
  });

  it('answers a request whose route key cannot be read with 404', async () => {
    const handler = createCalcomWebhookHandler({ ...options, routeKey: () => null });
    const response = await handler(new Request('https://x.example/webhooks/calcom/rk_1', { method: 'POST' }));
    expect(response.status).toBe(404);
  });

  it('answers 403 for a suspended tenant’s route, before reading the body', async () => {
    const handler = createCalcomWebhookHandler({
      ...options,
      routes: calcomRoutesFromDirectory({
        tenants: createMemoryTenantDirectory({
          tenants: [aTenant({ id: 'gone', status: 'suspended', routeKeys: ['rk_gone_0004'] })],
        }),
        webhookSecret: () => 'whsec-gone',
      }),
    });
    const request = new Request('https://x.example/webhooks/calcom/rk_gone_0004', {
      method: 'POST',
      body: '{}',
    });
    const response = await handler(request);
    expect(response.status).toBe(403);
    expect(request.bodyUsed).toBe(false);
  });

  it('answers 500 without details when the route look-up fails', async () => {
    const handler = createCalcomWebhookHandler({
      ...options,
      routes: () => Promise.reject(new Error('database down: password=hunter2')),
    });
    const response = await handler(new Request('https://x.example/webhooks/calcom/rk_1', { method: 'POST' }));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('hunter2');
  });
});
