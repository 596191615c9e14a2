import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type TestSystem } from '../support/processes/system.js';

// The process harness itself: two backends of the example on one database and one simulator
// process; a booking made through one is seen by the other, in Postgres and in the simulator;
// a killed backend comes back on its port; faults are injected at run time.

let system: TestSystem;

beforeAll(async () => {
  system = await startSystem({ backends: 2, tenants: { count: 1 } });
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

const nextHour = () => {
  const start = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 24 * 3_600_000);
  return { start: start.toISOString(), end: new Date(start.getTime() + 30 * 60_000).toISOString() };
};

describe('the process harness', () => {
  it('books through one backend; the other reads it; Postgres and the simulator hold it once', async () => {
    const [a, b] = system.backends;
    const tenant = system.tenants.tenants[0]!;
    const slot = nextHour();
    const response = await fetch(`${a!.url}/api/appointments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tenant.apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': 'harness-1',
      },
      body: JSON.stringify({
        eventTypeId: String(tenant.eventTypes[0]!.id),
        ...slot,
        timeZone: tenant.timeZone,
        customer: { name: 'Ada Harness', email: 'ada@example.com' },
      }),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    const { appointment } = (await response.json()) as { appointment: { id: string; status: string } };
    expect(appointment.status).toBe('confirmed');

    const read = await fetch(`${b!.url}/api/appointments/${appointment.id}`, {
      headers: { authorization: `Bearer ${tenant.apiKey}` },
    });
    expect(read.status).toBe(200);
    const rows = await system.db.query<{ calendar_booking_uid: string }>(
      'SELECT calendar_booking_uid FROM bookingkit_appointments WHERE id = $1',
      [appointment.id],
    );
    expect(rows).toHaveLength(1);
    const bookings = await system.calcom.bookings();
    expect(
      bookings.filter((x) => x.uid === rows[0]!.calendar_booking_uid && x.status === 'accepted'),
    ).toHaveLength(1);
  });

  it('restarts a killed backend on the same port and it is ready again', async () => {
    const b = system.backends[1]!;
    const url = b.url;
    await b.kill();
    expect(b.alive()).toBe(false);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    await b.restart();
    expect(b.url).toBe(url);
    expect((await fetch(`${url}/ready`)).status).toBe(200);
  });

  it('injects a fault in the simulator process at run time', async () => {
    await system.calcom.faults.failNext(1, { method: 'GET', path: '/v2/event-types' });
    const failed = await fetch(`${system.calcom.url}/v2/event-types`, {
      headers: {
        authorization: `Bearer ${system.tenants.tenants[0]!.calcom.apiKey}`,
        'cal-api-version': '2024-06-14',
      },
    });
    expect(failed.status).toBe(500);
    const ok = await fetch(`${system.calcom.url}/v2/event-types`, {
      headers: {
        authorization: `Bearer ${system.tenants.tenants[0]!.calcom.apiKey}`,
        'cal-api-version': '2024-06-14',
      },
    });
    expect(ok.status).toBe(200);
    const subscriptions = await system.calcom.webhooks.subscriptions();
    // Each backend subscribed the tenant's account to its own URL.
    expect(subscriptions.map((s) => s.subscriberUrl).sort()).toEqual(
      system.backends
        .map((b) => `${b.url}/webhooks/calcom/${system.tenants.tenants[0]!.calcom.routeKey}`)
        .sort(),
    );
  });
});
