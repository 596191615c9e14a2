import { describe, expect, it } from 'vitest';
import { createAdminApi } from '../../src/http/api/admin-api.js';
import type { Logger } from '../../src/ports/logger.js';
import { aCall } from '../../src/testing/fixtures.js';
import { ACME_KEY, GLOBEX_KEY, apiWorld } from './http-api-support.js';

/** A logger that keeps every line it is given, as text. */
function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = (...args: unknown[]): void => void lines.push(JSON.stringify(args));
  return { logger: { trace: log, debug: log, info: log, warn: log, error: log }, lines };
}

/** Acme's booked customer (Ana, with a call from her phone), and the admin API over the same kit. */
async function erasureWorld() {
  const world = apiWorld();
  const capture = capturingLogger();
  const appointmentId = await world.book();
  const appointment = await world.kit.stores.appointments.get('acme', appointmentId);
  const customerId = appointment!.customerId!;
  await world.kit.stores.calls.save(
    aCall({ tenantId: 'acme', customerId, fromNumber: '+4915112345678', transcript: 'Ana here' }),
    null,
  );
  const admin = createAdminApi({ ...world.kit, logger: capture.logger });
  const erase = (id: string, key: string | null = ACME_KEY) =>
    admin.handle(
      new Request(`http://localhost/admin/customers/${encodeURIComponent(id)}`, {
        method: 'DELETE',
        headers: key ? { authorization: `Bearer ${key}` } : {},
      }),
    );
  return { world, customerId, appointmentId, erase, lines: capture.lines };
}

describe('DELETE /admin/customers/:id', () => {
  it("erases the key's tenant's customer and answers what was erased", async () => {
    const { world, customerId, appointmentId, erase } = await erasureWorld();
    const response = await erase(customerId);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      customerId,
      customer: true,
      appointments: 0,
      calls: 1,
      outboxMessages: expect.any(Number) as number,
      eventId: expect.any(String) as string,
    });
    expect(await world.kit.stores.customers.get('acme', customerId)).toMatchObject({
      name: null,
      email: null,
      phone: null,
    });
    expect(await world.kit.stores.appointments.get('acme', appointmentId)).toMatchObject({
      status: 'confirmed',
      customerId,
    });

    const again = await erase(customerId);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ customer: false, appointments: 0, calls: 0 });
  });

  it("answers 404 for an unknown customer and for another tenant's, erasing nothing", async () => {
    const { world, customerId, erase } = await erasureWorld();
    const unknown = await erase('no-such-customer');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
    const foreign = await erase(customerId, GLOBEX_KEY);
    expect(foreign.status).toBe(404);
    expect((await world.kit.stores.customers.get('acme', customerId))?.name).toBe('Ana Example');
    expect((await erase(customerId, null)).status).toBe(401);
  });

  it('never logs the phone numbers, emails or names it erases', async () => {
    const { customerId, erase, lines } = await erasureWorld();
    await erase(customerId);
    await erase('no-such-customer');
    const logged = lines.join('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const personal of ['ana@example.com', 'Ana Example', '15112345678', 'Ana here'])
      expect(logged).not.toContain(personal);
  });
});
