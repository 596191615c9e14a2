import { afterEach, describe, expect, it } from 'vitest';
import { APPOINTMENT_TAG } from '../../src/ports/calendar-provider.js';
import type { RetellSimCallResult } from '../../src/testing/retell-simulator/sim-call-result.js';
import type { RetellSimFunctionResult } from '../../src/testing/retell-simulator/sim-function-call.js';
import { ANNA, CLINIC, JOHN, NOBODY, PRAXIS, setUpRetellE2e, type RetellE2e } from './retell-e2e-support.js';

// A Retell call played by the call simulator, signed with the workspace key, against the three
// Retell endpoints (inbound webhook, call webhooks, function router) of a booking kit on memory
// stores whose calendar is the Cal.com provider against the Cal.com simulator (200 ms a request):
// inbound → call_started → check_availability → book_appointment → call_ended → call_analyzed.
// Now is Monday 2026-03-02, 08:00 UTC: 09:00 in Berlin, 03:00 in New York.

let world: RetellE2e | undefined;
const setUp = async () => (world = await setUpRetellE2e());
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Retell's two retries of a function call: one while the first still runs, one after it answered. */
const RETRIED_TWICE = { retry: { whilePending: { afterMs: 100 }, afterAnswer: true } } as const;

const actionsOf = (result: RetellSimCallResult) =>
  result.webhooks.map((w) => [w.event, w.response?.status, (w.response?.body as { action?: string }).action]);

/** The German caller's call: inbound, started, a check, a booking retried twice, ended, analyzed. */
const germanCall = (w: RetellE2e) =>
  w.retell
    .call({ from: ANNA, to: PRAXIS, agentId: 'agent_de', callId: 'call_de' })
    .inbound()
    .started()
    .say('user', 'Ich hätte gern morgen einen Beratungstermin.')
    .function('check_availability', { service: 'Beratung', date: '2026-03-03' })
    .function(
      'book_appointment',
      { service: 'Beratung', date: '2026-03-03', time: '14:30', name: 'Anna Schmidt' },
      RETRIED_TWICE,
    )
    .ended({ disconnectionReason: 'agent_hangup' })
    .analyzed({ summary: 'Termin am Dienstag um 14:30 gebucht.', successful: true });

/** Checks that every attempt of a function call got the same 200 answer, the second one sent while the first ran. */
function expectOneAnswer(fn: RetellSimFunctionResult, attempts: number): void {
  expect(fn.attempts).toHaveLength(attempts);
  expect(fn.attempts.map((a) => a.response?.status)).toEqual(Array(attempts).fill(200));
  expect(new Set(fn.attempts.map((a) => a.response?.text)).size).toBe(1);
  const [first, overlapping] = fn.attempts;
  expect(overlapping!.sentAt).toBeLessThan(first!.answeredAt!);
}

describe('a Retell call books end to end through BookingService and the Cal.com simulator', () => {
  it('in German: one Cal.com booking for a booking retried twice, spoken in Berlin time, linked to the recorded call', async () => {
    const w = await setUp();
    const result = await w.settle(germanCall(w).play());

    // The inbound webhook: the tenant from the called number, variables in German and Berlin time.
    expect(result.inbound.map((x) => x.response?.status)).toEqual([200]);
    expect(result.inbound[0]?.response?.body).toEqual({
      call_inbound: {
        dynamic_variables: expect.objectContaining({
          business_name: 'Praxis Sonnenschein',
          language: 'de',
          time_zone: 'Europe/Berlin',
          today: 'Montag, 2. März',
          current_date_iso: '2026-03-02',
          current_time: '09:00',
          caller_known: 'false',
          services: 'Beratung',
        }),
        metadata: { bookingkitTenantId: 'praxis' },
      },
    });

    const [check, book] = result.functions;
    expect(check?.result).toContain(
      '"result":"Am Dienstag, 3. März habe ich 09:00, 09:30, 10:00, 10:30, 11:00 und 11 weitere Zeiten frei."',
    );
    expect((check?.body as { data: { slots: { spoken: string }[] } }).data.slots[11]).toEqual({
      start: '2026-03-03T13:30:00.000Z',
      end: '2026-03-03T14:00:00.000Z',
      spoken: 'Dienstag, 3. März um 14:30',
    });
    expectOneAnswer(book!, 3);
    expect(book?.body).toMatchObject({
      result: 'Ich habe Ihren Termin für Beratung am Dienstag, 3. März um 14:30 gebucht.',
      data: { booked: true, start: '2026-03-03T13:30:00.000Z', status: 'confirmed' },
    });
    expect(w.bookCalls).toHaveLength(3);

    // One booking in Cal.com, on the practice's account, tagged with the one local appointment.
    const { items: appointments } = await w.kit.stores.appointments.list('praxis', {});
    expect(appointments).toHaveLength(1);
    const [appointment] = appointments;
    expect(sim(w)).toEqual([
      {
        uid: appointment!.external.calendarBookingUid,
        owner: 'praxis',
        status: 'accepted',
        start: '2026-03-03T13:30:00.000Z',
        tag: appointment!.id,
      },
    ]);
    expect(appointment).toMatchObject({
      status: 'confirmed',
      origin: 'voice',
      createdBy: { type: 'agent', id: 'agent_de' },
      metadata: { callId: 'call_de' },
      sync: { status: 'synced' },
    });
    expect((book?.body as { data: { appointment_id: string } }).data.appointment_id).toBe(appointment!.id);

    // The call, recorded once per event and linked to the appointment by the queued listener.
    expect(actionsOf(result)).toEqual([
      ['call_started', 200, 'recorded'],
      ['call_ended', 200, 'recorded'],
      ['call_analyzed', 200, 'recorded'],
    ]);
    await w.drainOutbox();
    expect(await w.kit.stores.calls.get('praxis', 'call_de')).toMatchObject({
      tenantId: 'praxis',
      status: 'ended',
      direction: 'inbound',
      fromNumber: ANNA,
      toNumber: PRAXIS,
      customerId: appointment!.customerId,
      disconnectionReason: 'agent_hangup',
      analysis: expect.objectContaining({ call_summary: 'Termin am Dienstag um 14:30 gebucht.' }),
      appointmentIds: [appointment!.id],
      events: ['call_started', 'call_ended', 'call_analyzed'],
    });
    expect(await w.kit.stores.calls.get('clinic', 'call_de')).toBeNull();
  });

  it('in English: webhooks duplicated and out of order, spoken in New York time, the same outcome', async () => {
    const w = await setUp();
    const result = await w.settle(
      w.retell
        .call({ from: JOHN, to: CLINIC, agentId: 'agent_en', callId: 'call_en' })
        .inbound()
        .started()
        .function('check_availability', { service: 'consultation', date: '2026-03-03', time: '09:00' })
        .function(
          'book_appointment',
          { service: 'Consultation', date: '2026-03-03', time: '09:00', name: 'John Miller' },
          RETRIED_TWICE,
        )
        .ended()
        .analyzed({ summary: 'Booked a consultation for Tuesday at 9.' })
        .play({
          duplicates: { call_inbound: 2, call_ended: 2, call_analyzed: { times: 3, concurrent: true } },
          reorder: ['call_analyzed', 'call_ended'],
        }),
    );

    expect(result.inbound.map((x) => x.response?.body)).toEqual([
      expect.objectContaining({
        call_inbound: expect.objectContaining({
          dynamic_variables: expect.objectContaining({
            language: 'en',
            time_zone: 'America/New_York',
            today: 'Monday, March 2',
            current_time: '3:00 AM',
            services: 'Consultation',
          }),
        }),
      }),
      result.inbound[0]?.response?.body,
    ]);
    const [check, book] = result.functions;
    expect(check?.body).toMatchObject({ result: 'Tuesday, March 3 at 9:00 AM is free.' });
    expectOneAnswer(book!, 3);
    expect(book?.body).toMatchObject({
      result: "I've booked your Consultation for Tuesday, March 3 at 9:00 AM.",
      data: { booked: true, start: '2026-03-03T14:00:00.000Z' },
    });

    const { items: appointments } = await w.kit.stores.appointments.list('clinic', {});
    expect(appointments).toHaveLength(1);
    expect(appointments[0]).toMatchObject({ origin: 'voice', metadata: { callId: 'call_en' } });
    expect(sim(w)).toEqual([
      {
        uid: appointments[0]!.external.calendarBookingUid,
        owner: 'clinic',
        status: 'accepted',
        start: '2026-03-03T14:00:00.000Z',
        tag: appointments[0]!.id,
      },
    ]);

    // Analyzed before ended, every event resent: each recorded once, in whatever order it came.
    const recorded = actionsOf(result).filter(([, , action]) => action === 'recorded');
    expect(recorded.map(([event]) => event)).toEqual(['call_analyzed', 'call_ended', 'call_started']);
    expect(actionsOf(result).filter(([, , action]) => action === 'duplicate')).toHaveLength(3);
    expect(result.webhooks.every((x) => x.response?.status === 200)).toBe(true);
    await w.drainOutbox();
    const call = await w.kit.stores.calls.get('clinic', 'call_en');
    expect(call).toMatchObject({
      status: 'ended',
      disconnectionReason: 'user_hangup',
      analysis: expect.objectContaining({ call_summary: 'Booked a consultation for Tuesday at 9.' }),
      appointmentIds: [appointments[0]!.id],
    });
    expect([...call!.events].sort()).toEqual(['call_analyzed', 'call_ended', 'call_started']);
  });

  it('changes nothing when the whole call arrives again, duplicated and reordered', async () => {
    const w = await setUp();
    const first = await w.settle(germanCall(w).play());
    await w.drainOutbox();
    const call = await w.kit.stores.calls.get('praxis', 'call_de');
    const { items: appointments } = await w.kit.stores.appointments.list('praxis', {});

    const again = await w.settle(
      germanCall(w).play({
        duplicates: { call_started: 2, call_ended: { times: 2, concurrent: true }, call_analyzed: 3 },
        reorder: { seed: 7 },
      }),
    );
    await w.drainOutbox();

    expect(again.functions.map((f) => f.result)).toEqual(first.functions.map((f) => f.result));
    expect(actionsOf(again).map(([, status, action]) => [status, action])).toEqual(
      Array(7).fill([200, 'duplicate']),
    );
    expect(await w.kit.stores.calls.get('praxis', 'call_de')).toEqual(call);
    expect((await w.kit.stores.appointments.list('praxis', {})).items).toEqual(appointments);
    expect(sim(w)).toHaveLength(1);
    expect(w.bookCalls).toHaveLength(6);
  });
});

describe('a Retell call to a number no tenant owns', () => {
  it('is answered 2xx without tenant data, refused politely, and stores nothing', async () => {
    const w = await setUp();
    const result = await w.settle(
      w.retell
        .call({ from: ANNA, to: NOBODY, agentId: 'agent_x', callId: 'call_nobody' })
        .inbound()
        .started()
        .function('book_appointment', {
          service: 'Beratung',
          date: '2026-03-03',
          time: '10:00',
          name: 'Anna',
        })
        .ended()
        .analyzed()
        .play(),
    );

    expect(result.inbound.map((x) => [x.response?.status, x.response?.body])).toEqual([
      [200, { call_inbound: {} }],
    ]);
    expect(actionsOf(result)).toEqual([
      ['call_started', 200, 'no_tenant'],
      ['call_ended', 200, 'no_tenant'],
      ['call_analyzed', 200, 'no_tenant'],
    ]);
    expect(result.functions[0]?.body).toEqual({
      result:
        "I'm sorry, I can't reach the appointment calendar for this line right now. Please call again later.",
    });
    expect(w.inbound.stats().noTenant.unknown_number).toBe(1);
    expect(w.webhook.stats().noTenant.unknown_number).toBe(3);

    await w.drainOutbox();
    for (const tenantId of ['praxis', 'clinic']) {
      expect(await w.kit.stores.calls.get(tenantId, 'call_nobody')).toBeNull();
      expect((await w.kit.stores.appointments.list(tenantId, {})).items).toEqual([]);
    }
    expect(await w.kit.stores.outbox.list()).toEqual([]);
    expect(sim(w)).toEqual([]);
  });
});

/** The Cal.com simulator's bookings, in short. */
function sim(w: RetellE2e) {
  return w.sim.bookings().map((b) => ({
    uid: b.uid,
    owner: b.eventType.owner,
    status: b.status,
    start: b.start,
    tag: b.metadata[APPOINTMENT_TAG],
  }));
}
