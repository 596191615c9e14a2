import { describe, expect, it } from 'vitest';
import { createCalcomClient } from './client.js';
import { createFakeCalcom, failure, ok, type FakeCalcom } from '../../../test/support/fake-calcom-api.js';

interface Subscription {
  id: number;
  subscriberUrl: string;
  triggers: string[];
  active: boolean;
  payloadTemplate: string | null;
  secret?: string;
  userId: number;
}

/** A fake `/v2/webhooks` with state, answering `UserWebhookOutputDto`s. */
function webhooksServer(fake: FakeCalcom, initial: Subscription[] = [], echoSecret = true) {
  const store = [...initial];
  let nextId = 100;
  const out = (s: Subscription) => (echoSecret ? s : { ...s, secret: undefined });
  fake
    .on('GET /v2/webhooks', (r) => {
      const skip = Number(r.query.skip ?? 0);
      const take = Number(r.query.take ?? 250);
      return ok(store.slice(skip, skip + take).map(out));
    })
    .on('POST /v2/webhooks', (r) => {
      const body = r.body as Omit<Subscription, 'id' | 'userId'>;
      const created: Subscription = {
        ...body,
        payloadTemplate: body.payloadTemplate ?? null,
        id: (nextId += 1),
        userId: 7,
      };
      store.push(created);
      return ok(out(created), 201);
    })
    .on('PATCH /v2/webhooks/:id', (r) => {
      const found = store.find((s) => String(s.id) === r.params.id);
      if (!found) return failure(404, 'NotFoundException', 'Webhook not found');
      Object.assign(found, r.body);
      return ok(out(found));
    })
    .on('DELETE /v2/webhooks/:id', (r) => {
      const index = store.findIndex((s) => String(s.id) === r.params.id);
      if (index < 0) return failure(404, 'NotFoundException', 'Webhook not found');
      const [removed] = store.splice(index, 1);
      return ok(out(removed!));
    });
  return store;
}

function setup() {
  const fake = createFakeCalcom();
  const calcom = createCalcomClient({
    credentials: async (tenantId) => ({ apiKey: `cal_live_${tenantId}`, webhookSecret: `whsec_${tenantId}` }),
    fetch: fake.fetch,
    rateLimiter: false,
  });
  return { fake, calcom };
}

const url = 'https://api.example.com/webhooks/calcom/rk_a';
const triggers = ['BOOKING_CREATED', 'BOOKING_CANCELLED'];

describe('Cal.com webhook subscriptions', () => {
  it('lists every page, creates with triggers as a list, updates and deletes, without cal-api-version', async () => {
    const { fake, calcom } = setup();
    const many = Array.from({ length: 251 }, (_, i) => ({
      id: i + 1,
      subscriberUrl: `https://x.example/${i}`,
      triggers: ['BOOKING_CREATED'],
      active: true,
      payloadTemplate: null,
      userId: 7,
    }));
    webhooksServer(fake, many);
    expect(await calcom.webhooks.list('a')).toHaveLength(251);
    expect(fake.requests.map((r) => r.query)).toEqual([
      { take: '250', skip: '0' },
      { take: '250', skip: '250' },
    ]);
    const created = await calcom.webhooks.create('a', { subscriberUrl: url, triggers, secret: 'whsec_a' });
    expect(fake.requests.at(-1)?.body).toEqual({
      subscriberUrl: url,
      triggers,
      active: true,
      secret: 'whsec_a',
    });
    expect(created).toMatchObject({ id: '101', subscriberUrl: url, triggers, active: true });
    const paused = await calcom.webhooks.update('a', created.id, { active: false });
    expect([fake.requests.at(-1)?.method, fake.requests.at(-1)?.path, paused.active]).toEqual([
      'PATCH',
      '/v2/webhooks/101',
      false,
    ]);
    await calcom.webhooks.delete('a', created.id);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/v2/webhooks/101' });
    expect(fake.requests.every((r) => r.headers['cal-api-version'] === undefined)).toBe(true);
  });

  it('refuses a subscription without triggers or to PING before sending', async () => {
    const { fake, calcom } = setup();
    await expect(calcom.webhooks.create('a', { subscriberUrl: url, triggers: [] })).rejects.toThrow(
      /triggers/,
    );
    await expect(calcom.webhooks.create('a', { subscriberUrl: url, triggers: ['PING'] })).rejects.toThrow(
      /PING/,
    );
    expect(fake.requests).toHaveLength(0);
  });
});

describe('ensureWebhookSubscription', () => {
  it('creates the subscription with the tenant’s secret, then changes nothing when run again', async () => {
    const { fake, calcom } = setup();
    const store = webhooksServer(fake);
    const first = await calcom.ensureWebhookSubscription('a', { url, triggers });
    expect(first.action).toBe('created');
    expect(store).toEqual([
      expect.objectContaining({ subscriberUrl: url, triggers, active: true, secret: 'whsec_a' }),
    ]);
    const again = await calcom.ensureWebhookSubscription('a', { url, triggers: [...triggers].reverse() });
    expect(again).toMatchObject({ action: 'unchanged', removed: [] });
    expect(fake.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET']);
  });

  it('updates a subscription whose triggers, secret or activity differ, and deletes duplicates to the URL', async () => {
    const { fake, calcom } = setup();
    const base = { subscriberUrl: url, payloadTemplate: null, userId: 7 };
    const store = webhooksServer(fake, [
      { ...base, id: 1, triggers: ['BOOKING_CREATED'], active: false, secret: 'old' },
      { ...base, id: 2, triggers, active: true, secret: 'whsec_a' },
      { ...base, id: 3, subscriberUrl: 'https://elsewhere.example/hook', triggers, active: true },
    ]);
    const result = await calcom.ensureWebhookSubscription('a', { url, triggers, secret: 'whsec_new' });
    expect(result).toMatchObject({ action: 'updated', removed: ['2'] });
    expect(store.map((s) => [s.id, s.triggers, s.active, s.secret])).toEqual([
      [1, triggers, true, 'whsec_new'],
      [3, triggers, true, undefined],
    ]);
    expect((await calcom.ensureWebhookSubscription('a', { url, triggers, secret: 'whsec_new' })).action).toBe(
      'unchanged',
    );
  });

  it('sets the secret again when Cal.com does not echo secrets, and ends in the same state', async () => {
    const { fake, calcom } = setup();
    const store = webhooksServer(fake, [], false);
    await calcom.ensureWebhookSubscription('a', { url, triggers });
    const again = await calcom.ensureWebhookSubscription('a', { url, triggers });
    expect(again.action).toBe('updated');
    expect(store).toEqual([expect.objectContaining({ triggers, active: true, secret: 'whsec_a' })]);
    expect(store).toHaveLength(1);
  });
});
