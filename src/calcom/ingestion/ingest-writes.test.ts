import { describe, expect, it } from 'vitest';
import { createMemoryIdempotencyStore } from '../../adapters/memory/memory-idempotency-store.js';
import type { IdempotencyStore } from '../../idempotency/idempotency-store.js';
import { createBookingKit } from '../../kit/booking-kit.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { signCalcomBody } from '../signature.js';
import { createCalcomWebhookHandler } from './calcom-webhook-handler.js';
import { calcomBookingPayload } from '../../../test/support/calcom-payloads.js';

// Every write to the idempotency store is a statement and a commit of its own on Postgres, on the
// path of every delivery: these tests pin how many a delivery makes.

const SECRET = 'whsec-acme';
const weekday = [{ start: '08:00', end: '18:00' }];

/** The handler's idempotency store, recording each call as `method key`. */
function recordingStore(): { store: IdempotencyStore; calls: string[] } {
  const inner = createMemoryIdempotencyStore();
  const calls: string[] = [];
  const store: IdempotencyStore = {
    begin: (scope, options) => (calls.push(`begin ${scope.key}`), inner.begin(scope, options)),
    complete: (scope, options) => (calls.push(`complete ${scope.key}`), inner.complete(scope, options)),
    release: (scope, options) => (calls.push(`release ${scope.key}`), inner.release(scope, options)),
  };
  return { store, calls };
}

function setUp() {
  const clock = createFakeClock('2026-01-05T08:00:00.000Z');
  const kit = createBookingKit({
    clock,
    tenants: [{ id: 'acme' }],
    eventTypes: [
      {
        tenantId: 'acme',
        id: '44',
        durationMinutes: 30,
        timeZone: 'Europe/Berlin',
        weeklyHours: { monday: weekday, tuesday: weekday },
      },
    ],
  });
  const { store, calls } = recordingStore();
  const handler = createCalcomWebhookHandler({
    ...kit,
    clock,
    idempotency: store,
    routes: () => ({ tenantId: 'acme', webhookSecret: SECRET }),
  });
  async function deliver(triggerEvent: string, payload: Record<string, unknown>) {
    const text = JSON.stringify({ triggerEvent, createdAt: '2026-01-05T08:00:00.000Z', payload });
    const response = await handler(
      new Request('https://hooks.example/webhooks/calcom/rk_acme_0001', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-cal-signature-256': signCalcomBody(text, SECRET) },
        body: text,
      }),
    );
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }
  return { kit, calls, deliver };
}

/** The calls on keys of one kind: the delivery's own key, or the uid's tombstone. */
const onTombstone = (calls: readonly string[]) => calls.filter((call) => call.includes(':tombstone:'));

describe('Cal.com ingestion: writes to the idempotency store per delivery', () => {
  it('an import claims the tombstone of its uid once, holding it while it books, then releases it', async () => {
    const { calls, deliver } = setUp();
    expect(await deliver('BOOKING_CREATED', calcomBookingPayload())).toMatchObject({ action: 'imported' });
    expect(onTombstone(calls)).toEqual(['begin calcom:tombstone:cal_A', 'release calcom:tombstone:cal_A']);
    // The delivery's claim first, its answer last: four writes in all.
    expect(calls).toHaveLength(4);
    expect(calls[0]).toMatch(/^begin calcom:BOOKING_CREATED:cal_A:/);
    expect(calls[3]).toMatch(/^complete calcom:BOOKING_CREATED:cal_A:/);
  });

  it('a delivery about a known booking does not touch its tombstone', async () => {
    const { calls, deliver } = setUp();
    await deliver('BOOKING_CREATED', calcomBookingPayload());
    calls.length = 0;
    expect(await deliver('MEETING_ENDED', calcomBookingPayload())).toMatchObject({ action: 'acknowledged' });
    expect(calls).toHaveLength(2);
    expect(onTombstone(calls)).toEqual([]);
  });

  it('a resend is answered from its first answer: one claim, which finds it, and nothing else', async () => {
    const { calls, deliver } = setUp();
    const first = await deliver('BOOKING_CREATED', calcomBookingPayload());
    calls.length = 0;
    expect(await deliver('BOOKING_CREATED', calcomBookingPayload())).toEqual({ ...first, replayed: true });
    expect(calls).toEqual([expect.stringMatching(/^begin calcom:BOOKING_CREATED:cal_A:/)]);
  });
});
