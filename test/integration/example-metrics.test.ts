import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsEndpoint, type MetricsEndpoint } from '../../examples/express-server/src/metrics.js';
import { createBookingKit } from '../../src/kit/booking-kit.js';

// The Express example's `/metrics`: the Prometheus exporter reads what bookingkit records through
// @opentelemetry/api once the example registered its meter provider.

const open = { start: '00:00', end: '23:30' };
const weeklyHours = Object.fromEntries(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((day) => [day, [open]]),
);

let endpoint: MetricsEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

describe("the example's /metrics", () => {
  it('serves the booking metrics of a kit created after it, as Prometheus text', async () => {
    endpoint = createMetricsEndpoint();
    const kit = createBookingKit({
      tenants: [{ id: 'acme', name: 'Acme', timeZone: 'Europe/Berlin' }],
      eventTypes: [
        { tenantId: 'acme', id: 'consult', durationMinutes: 30, timeZone: 'Europe/Berlin', weeklyHours },
      ],
    });
    try {
      const day = new Date(Date.now() + 2 * 86_400_000);
      day.setUTCHours(10, 0, 0, 0);
      await kit.service.book({
        tenantId: 'acme',
        origin: 'api',
        actor: { type: 'customer' },
        idempotencyKey: 'metrics-test-book',
        eventTypeId: 'consult',
        start: day.toISOString(),
        end: new Date(day.getTime() + 30 * 60_000).toISOString(),
        timeZone: 'Europe/Berlin',
        customer: { name: 'Ana Example', email: 'ana@example.com' },
      });
    } finally {
      await kit.close();
    }

    const response = await endpoint.handle(new Request('http://localhost/metrics'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(
      /^bookingkit_booking_duration(?:_seconds)?_count\{[^}]*bookingkit_command="book"[^}]*bookingkit_outcome="ok"[^}]*\} 1$/m,
    );
    expect(text).toMatch(/^bookingkit_calendar_duration(?:_seconds)?_count\{[^}]*createBooking[^}]*\} 1$/m);
  });

  it('is empty of bookingkit metrics again once closed: the next provider starts afresh', async () => {
    endpoint = createMetricsEndpoint();
    await endpoint.close();
    endpoint = createMetricsEndpoint();
    const text = await (await endpoint.handle(new Request('http://localhost/metrics'))).text();
    expect(text).not.toContain('bookingkit_booking_duration');
  });
});
