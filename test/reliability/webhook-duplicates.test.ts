import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type TestSystem } from '../support/processes/system.js';
import { slots, type Answer } from './support/api.js';
import { bookingCreatedBody, deliverCalcomWebhook, pool } from './support/calcom-webhooks.js';
import { reliabilitySize } from './support/size.js';

// Scenario 2: Cal.com webhooks of bookings made in Cal.com, every one delivered several times at
// once, spread over two backend processes: exactly one appointment (one effect) per event.

const size = reliabilitySize();
let system: TestSystem;

beforeAll(async () => {
  system = await startSystem({ backends: 2, tenants: { count: 1 } });
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

/** A deterministic number of copies from 1 to `max` for event `i`. */
const copiesOf = (i: number, max: number) => 1 + ((i * 7919) % max);

describe(`scenario 2: ${size.webhooks.events} Cal.com webhooks, each delivered 1-${size.webhooks.maxCopies} times at once over two backends`, () => {
  it('records exactly one appointment per distinct event; every delivery 2xx, or 409 while its twin runs', async () => {
    const tenant = system.tenants.tenants[0]!;
    const { events, maxCopies } = size.webhooks;
    // Ten days ahead, so that nothing else of this run is near.
    const times = slots(events, 30, 10);
    const uidOf = (i: number) => `web-${process.pid}-${i}`;
    const backends = system.backends;

    const answers: Answer[][] = await pool(events, 32, async (i) => {
      const body = bookingCreatedBody(tenant, { bookingId: 500_000 + i, uid: uidOf(i), ...times[i]! });
      // Every copy at once, each to a backend of its own choosing.
      return Promise.all(
        Array.from({ length: copiesOf(i, maxCopies) }, (_, copy) =>
          deliverCalcomWebhook(backends[(i + copy) % backends.length]!.url, tenant, body),
        ),
      );
    });

    const deliveries = answers.flat();
    const expectedDeliveries = Array.from({ length: events }, (_, i) => copiesOf(i, maxCopies)).reduce(
      (x, y) => x + y,
    );
    expect(deliveries).toHaveLength(expectedDeliveries);
    // A copy is accepted (2xx), or refused with 409 IDEMPOTENCY_IN_PROGRESS when its twin was still
    // being recorded after the handler's wait; nothing else. Every event has a 2xx copy.
    const ok = (x: Answer) => x.status >= 200 && x.status <= 299;
    const twinRunning = (x: Answer) =>
      x.status === 409 && (x.body as { code?: string } | null)?.code === 'IDEMPOTENCY_IN_PROGRESS';
    const unclassified = deliveries.filter((x) => !ok(x) && !twinRunning(x));
    expect(
      unclassified.slice(0, 5).map((x) => `${x.status} ${x.text.slice(0, 300)}`),
      system.tails(),
    ).toEqual([]);
    expect(answers.filter((copies) => !copies.some(ok)).length).toBe(0);

    // One appointment per event: none missing, none twice.
    const rows = await system.db.query<{ uid: string; n: string }>(
      `SELECT calendar_booking_uid AS uid, count(*) AS n FROM bookingkit_appointments
        WHERE tenant_id = $1 GROUP BY calendar_booking_uid`,
      [tenant.id],
    );
    expect(rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
    expect(rows.map((r) => r.uid).sort()).toEqual(Array.from({ length: events }, (_, i) => uidOf(i)).sort());
    const confirmed = await system.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM bookingkit_appointments WHERE tenant_id = $1 AND status = 'confirmed' AND origin = 'calcom'`,
      [tenant.id],
    );
    expect(Number(confirmed[0]!.n)).toBe(events);

    // One domain event per appointment: the outbox holds each booking's event once (per listener).
    const perAppointment = await system.db.query<{ event_type: string; n: string }>(
      `SELECT event_type, count(DISTINCT event_id) AS n FROM bookingkit_outbox WHERE tenant_id = $1 GROUP BY event_type`,
      [tenant.id],
    );
    expect(perAppointment).toEqual([{ event_type: 'appointment.booked', n: String(events) }]);
    console.info(
      `scenario 2 (${size.name}): ${events} events, ${deliveries.length} deliveries (${deliveries.filter(twinRunning).length} 409 while the twin ran); outbox events by type: ${JSON.stringify(perAppointment)}`,
    );
  });
});
