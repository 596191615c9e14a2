import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calcomSignatureHeader, signCalcomBody } from '../../src/calcom/signature.js';
import { startSystem, type TestSystem } from '../support/processes/system.js';
import type { TestTenant } from '../support/processes/tenants.js';
import { send, slots, type Answer } from './support/api.js';
import { deliverCalcomWebhook } from './support/calcom-webhooks.js';
import { callFunction, functionCallBody } from './support/retell.js';
import { stableSnapshot, tenantSnapshot } from './support/snapshot.js';

// Scenario 7: every REST route, admin route, webhook and function call tried by tenant t2 (its key,
// its number, its webhook route) against tenant t1's ids, customer and phone numbers: nothing of t1
// is shown, nothing of t1 changes, and no appointment is made for t2 out of t1's data.

let system: TestSystem;
let t1: TestTenant;
let t2: TestTenant;
const CALLER = '+4915112340001';
const victim = { appointmentId: '', customerId: '', calendarUid: '', outboxId: '' };

beforeAll(async () => {
  system = await startSystem({ backends: 2, tenants: { count: 2 } });
  [t1, t2] = system.tenants.tenants as [TestTenant, TestTenant];
  // t1's appointment, booked for a caller with a phone number.
  const [slot] = slots(1, 30, 3);
  const booked = await send(`${system.backends[0]!.url}/api/appointments`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${t1.apiKey}`,
      'content-type': 'application/json',
      'idempotency-key': 'iso-1',
    },
    body: JSON.stringify({
      eventTypeId: String(t1.eventTypes[0]!.id),
      ...slot,
      timeZone: t1.timeZone,
      customer: { name: 'Vera Victim', email: 'vera.victim@example.com', phone: CALLER },
    }),
  });
  expect(booked.status, booked.text).toBe(201);
  const { appointment } = booked.body as {
    appointment: { id: string; customerId: string; external: { calendarBookingUid: string } };
  };
  victim.appointmentId = appointment.id;
  victim.customerId = appointment.customerId;
  victim.calendarUid = appointment.external.calendarBookingUid;
  const [outbox] = await system.db.query<{ position: string }>(
    'SELECT position FROM bookingkit_outbox WHERE tenant_id = $1 LIMIT 1',
    [t1.id],
  );
  victim.outboxId = outbox?.position ?? '1';
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

/** Everything of t1 an answer must not show. */
const secretsOfT1 = () => [
  victim.appointmentId,
  victim.customerId,
  victim.calendarUid,
  'Vera Victim',
  'vera.victim',
  CALLER,
];

describe('scenario 7: tenant isolation across every route, webhook and function call', () => {
  it("shows nothing of t1 and changes nothing of t1 (nor makes anything for t2) whatever t2 sends with t1's ids", async () => {
    const before = await stableSnapshot(system.db, t1.id);
    const t2Before = await tenantSnapshot(system.db, t2.id);
    const simBefore = await system.calcom.bookings();
    const [a, b] = system.backends;
    const as2 = { authorization: `Bearer ${t2.apiKey}` };
    const json = { ...as2, 'content-type': 'application/json' };
    const [slot] = slots(1, 30, 4);
    const id = victim.appointmentId;
    const later = slots(1, 30, 5)[0]!;

    /** [what, answer, the statuses it may have] */
    const tries: [string, Promise<Answer>, number[]][] = [
      // REST API with t2's key and t1's ids.
      ['GET appointment of t1', send(`${a!.url}/api/appointments/${id}`, { headers: as2 }), [404]],
      ['GET appointments of t2', send(`${b!.url}/api/appointments`, { headers: as2 }), [200]],
      [
        "POST appointment on t1's service",
        send(`${b!.url}/api/appointments`, {
          method: 'POST',
          headers: { ...json, 'idempotency-key': 'iso-x1' },
          body: JSON.stringify({
            eventTypeId: String(t1.eventTypes[0]!.id),
            ...slot,
            timeZone: t2.timeZone,
            customer: { name: 'Mallory', email: 'mallory@example.com' },
          }),
        }),
        [400, 404, 422],
      ],
      [
        "POST appointment for t1's customer",
        send(`${a!.url}/api/appointments`, {
          method: 'POST',
          headers: { ...json, 'idempotency-key': 'iso-x2' },
          body: JSON.stringify({
            eventTypeId: String(t2.eventTypes[0]!.id),
            ...slot,
            timeZone: t2.timeZone,
            customer: { customerId: victim.customerId },
          }),
        }),
        [400, 404, 422],
      ],
      [
        "POST appointment with t1's idempotency key",
        send(`${a!.url}/api/appointments`, {
          method: 'POST',
          headers: { ...json, 'idempotency-key': 'iso-1' },
          body: JSON.stringify({
            eventTypeId: String(t1.eventTypes[0]!.id),
            ...slot,
            timeZone: t1.timeZone,
            customer: { name: 'Mallory', email: 'mallory@example.com' },
          }),
        }),
        [400, 404, 422],
      ],
      [
        'reschedule t1 appointment',
        send(`${b!.url}/api/appointments/${id}/reschedule`, {
          method: 'POST',
          headers: { ...json, 'idempotency-key': 'iso-x3' },
          body: JSON.stringify(later),
        }),
        [404],
      ],
      [
        'cancel t1 appointment',
        send(`${a!.url}/api/appointments/${id}/cancel`, {
          method: 'POST',
          headers: { ...json, 'idempotency-key': 'iso-x4' },
          body: JSON.stringify({ reason: 'mallory' }),
        }),
        [404],
      ],
      // Admin API with t2's key.
      ['GET dead letters', send(`${a!.url}/admin/dead-letters`, { headers: as2 }), [200]],
      [
        "replay t1's outbox message",
        send(`${b!.url}/admin/dead-letters/${victim.outboxId}/replay`, { method: 'POST', headers: as2 }),
        [404],
      ],
      [
        'replay by ids',
        send(`${a!.url}/admin/dead-letters/replay`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ ids: [victim.outboxId] }),
        }),
        [404],
      ],
      [
        'reconcile (dry run) as t2',
        send(`${b!.url}/admin/reconcile`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ from: new Date().toISOString(), to: later.end, dryRun: true }),
        }),
        [200],
      ],
      // No key, a wrong key, t1's Cal.com key in place of its API key.
      ['no key', send(`${a!.url}/api/appointments/${id}`), [401]],
      [
        'unknown key',
        send(`${a!.url}/api/appointments/${id}`, { headers: { authorization: 'Bearer bk_nobody' } }),
        [401],
      ],
      [
        "t1's Cal.com key",
        send(`${a!.url}/api/appointments/${id}`, {
          headers: { authorization: `Bearer ${t1.calcom.apiKey}` },
        }),
        [401],
      ],
      // Cal.com webhooks: t2's signature on t1's route; t2's route cancelling t1's booking.
      ...(['BOOKING_CANCELLED', 'BOOKING_RESCHEDULED'] as const).flatMap(
        (trigger): [string, Promise<Answer>, number[]][] => {
          const body = calcomBody(trigger, victim.calendarUid, slot!);
          return [
            [
              `${trigger} on t1's route signed by t2`,
              send(`${a!.url}/webhooks/calcom/${t1.calcom.routeKey}`, {
                method: 'POST',
                headers: {
                  'content-type': 'application/json',
                  [calcomSignatureHeader]: signCalcomBody(body, t2.calcom.webhookSecret),
                },
                body,
              }),
              [401],
            ],
            // On t2's own route a cancellation of a uid t2 does not know changes nothing (a reschedule
            // of one would rightly be imported as t2's, so only the cancellation is sent there).
            ...(trigger === 'BOOKING_CANCELLED'
              ? [
                  [
                    `${trigger} of t1's booking on t2's route`,
                    deliverCalcomWebhook(b!.url, t2, body),
                    [200, 202],
                  ] as [string, Promise<Answer>, number[]],
                ]
              : []),
          ];
        },
      ),
      // Retell functions: t2's number, t1's caller and ids.
      ...(
        [
          ['find_my_appointments', {}],
          ['cancel_appointment', { appointment_id: id }],
          ['reschedule_appointment', { appointment_id: id, date: later.start.slice(0, 10), time: '10:00' }],
          [
            'book_appointment',
            {
              service: t1.eventTypes[0]!.slug,
              date: slot!.start.slice(0, 10),
              time: '10:00',
              name: 'Mallory',
            },
          ],
          ['check_availability', { service: t1.eventTypes[0]!.slug, date: slot!.start.slice(0, 10) }],
        ] as const
      ).map(([name, args]): [string, Promise<Answer>, number[]] => [
        `function ${name} at t2's number from t1's caller`,
        callFunction(a!.url, t2, name, functionCallBody(t2, name, args, { from: CALLER })),
        [200],
      ]),
    ];

    const answers = await Promise.all(
      tries.map(async ([what, answer, allowed]) => [what, await answer, allowed] as const),
    );
    for (const [what, answer, allowed] of answers) {
      expect(allowed, `${what}: ${answer.status} ${answer.text.slice(0, 400)}`).toContain(answer.status);
      // Ids a request carried may come back in its own error message; t1's contact data never, and
      // answers to requests that carried no id of t1 show none either.
      const carriedIds =
        !/^(GET appointments of t2|GET dead letters|reconcile|function (find_my|check|book))/.test(what);
      for (const secret of carriedIds ? ['Vera Victim', 'vera.victim'] : secretsOfT1())
        expect(answer.text, `${what} shows ${secret}`).not.toContain(secret);
    }
    // Function calls answered 200 refuse in words: none books, cancels or moves anything.
    for (const [what, answer] of answers.filter(([what]) => what.startsWith('function'))) {
      const data = (answer.body as { data?: Record<string, unknown> }).data ?? {};
      expect(data, what).not.toMatchObject({ cancelled: true });
      expect(data, what).not.toMatchObject({ rescheduled: true });
      expect(data, what).not.toMatchObject({ booked: true });
    }

    // Nothing of t1 changed; t2 has no appointment; Cal.com is as it was.
    expect(await tenantSnapshot(system.db, t1.id)).toEqual(before);
    const t2After = await tenantSnapshot(system.db, t2.id);
    expect(t2After.bookingkit_appointments).toBe(t2Before.bookingkit_appointments);
    expect(t2After.bookingkit_customers).toBe(t2Before.bookingkit_customers);
    expect(await system.calcom.bookings()).toEqual(simBefore);
  });

  // Cal.com's slots are public: only the provider's check that the event type is one of the
  // tenant's own keeps t2's key from reading t1's free times.
  it("refuses t2's key the free times of t1's service", async () => {
    const as2 = { authorization: `Bearer ${t2.apiKey}` };
    const [slot] = slots(1, 30, 4);
    const range = `start=${encodeURIComponent(slot!.start)}&end=${encodeURIComponent(slots(1, 30, 5)[0]!.end)}`;
    const answer = await send(
      `${system.backends[0]!.url}/api/availability?eventTypeId=${t1.eventTypes[0]!.id}&${range}`,
      { headers: as2 },
    );
    expect(answer.status, answer.text.slice(0, 200)).toBe(404);
  });
});

/** A Cal.com webhook body about booking `uid` (cancelled, or rescheduled to `slot`). */
function calcomBody(
  trigger: 'BOOKING_CANCELLED' | 'BOOKING_RESCHEDULED',
  uid: string,
  slot: { start: string; end: string },
): string {
  const payload = {
    bookingId: 990_001,
    uid: trigger === 'BOOKING_CANCELLED' ? uid : `${uid}-moved`,
    eventTypeId: 1011,
    type: 'short-t1',
    title: 'short-t1',
    startTime: slot.start,
    endTime: slot.end,
    status: trigger === 'BOOKING_CANCELLED' ? 'CANCELLED' : 'ACCEPTED',
    organizer: { id: 1, name: 't1', email: 't1@example.com', timeZone: 'Europe/Berlin' },
    attendees: [
      {
        name: 'Someone Else',
        email: 'someone@example.com',
        timeZone: 'Europe/Berlin',
        language: { locale: 'en' },
      },
    ],
    ...(trigger === 'BOOKING_RESCHEDULED'
      ? { rescheduleUid: uid, rescheduleId: 1 }
      : { cancellationReason: 'mallory' }),
  };
  return JSON.stringify({ triggerEvent: trigger, createdAt: new Date().toISOString(), payload });
}
