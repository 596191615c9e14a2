import { describe, expect, it } from 'vitest';
import { createAdminApi } from '../../src/http/api/admin-api.js';
import type { ReconcileFunction, ReconcileRequest } from '../../src/http/api/admin-api-options.js';
import { ACME_KEY, GLOBEX_KEY, apiWorld } from './http-api-support.js';

/** A world whose outbox holds one dead letter of acme and one of globex. */
async function adminWorld(reconcile?: ReconcileFunction) {
  const world = apiWorld();
  const { outbox } = world.kit.stores;
  const now = world.clock.now();
  await outbox.append(
    ['acme', 'globex'].map((tenantId) => ({
      eventId: `event-${tenantId}`,
      eventType: 'appointment.booked',
      listener: 'send-confirmation',
      tenantId,
      orderingKey: `${tenantId}/appointment/1`,
      payload: JSON.stringify({ type: 'appointment.booked', tenantId }),
      availableAt: now,
    })),
  );
  for (const message of await outbox.claim({ owner: 'test', limit: 10, leaseMs: 60_000, now })) {
    await outbox.markFailed(message.id, { owner: 'test', error: 'SMTP refused', retryAt: null, now });
  }
  const admin = createAdminApi({ ...world.kit, ...(reconcile ? { reconcile } : {}) });
  const call = (method: string, path: string, key: string | null = ACME_KEY, body?: unknown) =>
    admin.handle(
      new Request(`http://localhost${path}`, {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
  const deadOf = async (tenantId: string) =>
    (await outbox.list({ status: 'dead', tenantId })).map((message) => message.id);
  return { world, admin, call, deadOf };
}

describe('createAdminApi', () => {
  it("lists only the key's tenant's dead letters, with their events", async () => {
    const { call } = await adminWorld();
    const response = await call('GET', '/admin/dead-letters');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      items: { listener: string; lastError: string; event: unknown }[];
    };
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      listener: 'send-confirmation',
      lastError: 'SMTP refused',
      event: { type: 'appointment.booked', tenantId: 'acme' },
    });
    const filtered = await call('GET', '/admin/dead-letters?listener=other');
    expect(((await filtered.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it("replays the tenant's dead letters, and answers 404 for another tenant's without replaying anything", async () => {
    const { call, deadOf } = await adminWorld();
    const [acmeDead] = await deadOf('acme');
    const [globexDead] = await deadOf('globex');

    const foreign = await call('POST', '/admin/dead-letters/replay', ACME_KEY, {
      ids: [acmeDead, globexDead],
    });
    expect(foreign.status).toBe(404);
    const single = await call('POST', `/admin/dead-letters/${globexDead}/replay`);
    expect(single.status).toBe(404);
    expect(await deadOf('acme')).toEqual([acmeDead]);
    expect(await deadOf('globex')).toEqual([globexDead]);

    const replayed = await call('POST', '/admin/dead-letters/replay', ACME_KEY, { ids: [acmeDead] });
    expect(replayed.status).toBe(200);
    expect(await replayed.json()).toEqual({ replayed: 1 });
    expect(await deadOf('acme')).toEqual([]);
    expect(await deadOf('globex')).toEqual([globexDead]);

    const byGlobex = await call('POST', `/admin/dead-letters/${globexDead}/replay`, GLOBEX_KEY);
    expect(await byGlobex.json()).toEqual({ replayed: 1 });
  });

  it('refuses a replay without ids, naming the field', async () => {
    const { call } = await adminWorld();
    const response = await call('POST', '/admin/dead-letters/replay', ACME_KEY, { ids: [] });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe('ids');
  });

  it('runs the reconciliation for the key’s tenant, as a dry run unless told otherwise', async () => {
    const seen: ReconcileRequest[] = [];
    const { call } = await adminWorld((request) => {
      seen.push(request);
      return Promise.resolve({ actions: request.dryRun ? 0 : 2 });
    });
    const window = { from: '2026-01-05T00:00:00Z', to: '2026-01-12T00:00:00Z' };
    const plan = await call('POST', '/admin/reconcile', GLOBEX_KEY, window);
    expect(plan.status).toBe(200);
    expect(await plan.json()).toEqual({ actions: 0 });
    const apply = await call('POST', '/admin/reconcile', ACME_KEY, { ...window, dryRun: false });
    expect(await apply.json()).toEqual({ actions: 2 });
    expect(seen).toEqual([
      { tenantId: 'globex', from: '2026-01-05T00:00:00.000Z', to: '2026-01-12T00:00:00.000Z', dryRun: true },
      { tenantId: 'acme', from: '2026-01-05T00:00:00.000Z', to: '2026-01-12T00:00:00.000Z', dryRun: false },
    ]);
    const backwards = await call('POST', '/admin/reconcile', ACME_KEY, { from: window.to, to: window.from });
    expect(backwards.status).toBe(400);
    expect(((await backwards.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe('to');
  });

  it('answers 404 for /reconcile when no reconcile function was given', async () => {
    const { call } = await adminWorld();
    const response = await call('POST', '/admin/reconcile', ACME_KEY, {
      from: '2026-01-05T00:00:00Z',
      to: '2026-01-06T00:00:00Z',
    });
    expect(response.status).toBe(404);
  });

  it('asks for the API key on every route', async () => {
    const { call, deadOf } = await adminWorld(() => Promise.resolve({}));
    const [id] = await deadOf('acme');
    for (const [method, path] of [
      ['GET', '/admin/dead-letters'],
      ['POST', '/admin/dead-letters/replay'],
      ['POST', `/admin/dead-letters/${id}/replay`],
      ['POST', '/admin/reconcile'],
    ] as const) {
      const response = await call(method, path, null, method === 'POST' ? { ids: [id] } : undefined);
      expect(response.status, `${method} ${path}`).toBe(401);
    }
    expect(await deadOf('acme')).toEqual([id]);
  });
});
