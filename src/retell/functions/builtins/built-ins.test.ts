import { beforeEach, describe, expect, it } from 'vitest';
import { createBookingHarness, type BookingHarness } from '../../../../test/support/booking-harness.js';
import { createMemoryIdempotencyStore } from '../../../adapters/memory/memory-idempotency-store.js';
import type { Locale } from '../../../domain/locale.js';
import { createRetellFunctionRouter, type RetellFunctionRouter } from '../router.js';

const CALLER = '+4915112345678';
const weekday = [{ start: '09:00', end: '17:00' }];
const hours = { monday: weekday, tuesday: weekday, wednesday: weekday, thursday: weekday, friday: weekday };
let callCounter = 0;

function setUp(locale: Locale): { h: BookingHarness; router: RetellFunctionRouter } {
  const h = createBookingHarness({ kind: 'memory' });
  h.memoryCalendar.addEventType({
    tenantId: 'acme',
    id: 'consult',
    title: locale === 'de' ? 'Beratung' : 'Consultation',
    durationMinutes: 30,
    timeZone: 'Europe/Berlin',
    weeklyHours: hours,
  });
  const router = createRetellFunctionRouter({
    apiKey: 'key_test',
    resolveTenant: async (call) =>
      call.to_number === '+493000000000' ? { tenantId: 'acme', timeZone: 'Europe/Berlin', locale } : null,
    service: h.service,
    availability: h.availability,
    calendar: h.memoryCalendar,
    stores: h.stores,
    idempotency: createMemoryIdempotencyStore(),
    clock: h.clock,
  });
  return { h, router };
}

function call(name: string, args: unknown, callId = `call_${++callCounter}`) {
  return {
    name,
    args,
    call: {
      call_id: callId,
      agent_id: 'agent_1',
      direction: 'inbound',
      from_number: CALLER,
      to_number: '+493000000000',
    },
  };
}

describe.each([
  {
    locale: 'de' as const,
    free: 'Dienstag, 6. Januar um 10:00 ist frei.',
    taken:
      /^Dienstag, 6\. Januar um 10:00 ist leider schon vergeben\. Ich kann Ihnen 09:30, 10:30 oder 09:00 anbieten\.$/,
    dayList:
      /^Am Dienstag, 6\. Januar habe ich 09:00, 09:30, 10:00, 10:30, 11:00 und 11 weitere Zeiten frei\.$/,
    booked: 'Ich habe Ihren Termin für Beratung am Dienstag, 6. Januar um 10:00 gebucht.',
    services: 'Wir bieten Beratung an.',
    mine: 'Sie haben einen anstehenden Termin: Beratung am Dienstag, 6. Januar um 10:00.',
    moved: 'Ich habe Ihren Termin auf Dienstag, 6. Januar um 11:00 verschoben.',
    cancelled: 'Ich habe Ihren Termin am Dienstag, 6. Januar um 11:00 abgesagt.',
    missing: 'Mir fehlen noch das Datum und die Uhrzeit.',
    unknownService: 'Es tut mir leid, Massage bieten wir nicht an. Wir bieten Beratung an.',
  },
  {
    locale: 'en' as const,
    free: 'Tuesday, January 6 at 10:00 AM is free.',
    taken: /^Tuesday, January 6 at 10:00 AM is already taken\. I can offer 9:30 AM, 10:30 AM, or 9:00 AM\.$/,
    dayList:
      /^On Tuesday, January 6 I have 9:00 AM, 9:30 AM, 10:00 AM, 10:30 AM, 11:00 AM, and 11 more times free\.$/,
    booked: "I've booked your Consultation for Tuesday, January 6 at 10:00 AM.",
    services: 'We offer Consultation.',
    mine: 'You have one upcoming appointment: Consultation on Tuesday, January 6 at 10:00 AM.',
    moved: "I've moved your appointment to Tuesday, January 6 at 11:00 AM.",
    cancelled: "I've cancelled your appointment on Tuesday, January 6 at 11:00 AM.",
    missing: 'I still need the date and the time.',
    unknownService: "I'm sorry, we don't offer Massage. We offer Consultation.",
  },
])('built-in functions in $locale', (expected) => {
  let h: BookingHarness;
  let router: RetellFunctionRouter;
  beforeEach(() => {
    ({ h, router } = setUp(expected.locale));
  });
  const service = (): string => (expected.locale === 'de' ? 'Beratung' : 'consultation');

  it('list_services names the event types', async () => {
    const answer = await router.handle(call('list_services', {}));
    expect(answer.result).toBe(expected.services);
    expect(answer.data).toEqual({
      services: [{ name: expected.locale === 'de' ? 'Beratung' : 'Consultation', minutes: 30 }],
    });
  });

  it('check_availability says a free time is free, in the tenant time zone', async () => {
    const answer = await router.handle(
      call('check_availability', { service: service(), date: '2026-01-06', time: '10:00' }),
    );
    expect(answer.result).toBe(expected.free);
    expect(answer.data).toMatchObject({ available: true, slot: { start: '2026-01-06T09:00:00.000Z' } });
  });

  it('check_availability lists the free times of a day', async () => {
    const answer = await router.handle(
      call('check_availability', { service: service(), date: '2026-01-06' }),
    );
    expect(answer.result).toMatch(expected.dayList);
    expect((answer.data as { slots: unknown[] }).slots).toHaveLength(16);
  });

  it('check_availability offers the nearest alternatives when the wish is taken', async () => {
    await h.service.book(h.bookCommand());
    const answer = await router.handle(
      call('check_availability', { service: service(), date: '2026-01-06', time: '10:00' }),
    );
    expect(answer.result).toMatch(expected.taken);
    expect(answer.data).toMatchObject({ available: false });
  });

  it('book_appointment books for the caller, origin voice, linked to the call', async () => {
    const answer = await router.handle(
      call(
        'book_appointment',
        { service: service(), date: '2026-01-06', time: '10:00', name: 'Ana Example' },
        'call_book',
      ),
    );
    expect(answer.result).toBe(expected.booked);
    const id = (answer.data as { appointment_id: string }).appointment_id;
    const stored = await h.stores.appointments.get('acme', id);
    expect(stored).toMatchObject({
      origin: 'voice',
      start: '2026-01-06T09:00:00.000Z',
      metadata: { callId: 'call_book' },
    });
    const customer = await h.stores.customers.findByPhone('acme', CALLER);
    expect(customer?.name).toBe('Ana Example');
  });

  it('book_appointment answers a taken time with alternatives', async () => {
    await h.service.book(h.bookCommand());
    const answer = await router.handle(
      call('book_appointment', { service: service(), date: '2026-01-06', time: '10:00', name: 'Ben' }),
    );
    expect(answer.result).toMatch(expected.taken);
    expect(answer.data).toMatchObject({ booked: false, reason: 'taken' });
  });

  it('finds, moves and cancels the caller’s appointment', async () => {
    await router.handle(
      call('book_appointment', { service: service(), date: '2026-01-06', time: '10:00', name: 'Ana' }),
    );
    const mine = await router.handle(call('find_my_appointments', {}));
    expect(mine.result).toBe(expected.mine);
    const [{ appointment_id }] = (mine.data as { appointments: [{ appointment_id: string }] }).appointments;

    const moved = await router.handle(
      call('reschedule_appointment', { appointment_id, date: '2026-01-06', time: '11:00' }),
    );
    expect(moved.result).toBe(expected.moved);
    expect(await h.stores.appointments.get('acme', appointment_id)).toMatchObject({
      start: '2026-01-06T10:00:00.000Z',
    });

    const cancelled = await router.handle(call('cancel_appointment', { appointment_id }));
    expect(cancelled.result).toBe(expected.cancelled);
    expect(await h.stores.appointments.get('acme', appointment_id)).toMatchObject({ status: 'cancelled' });
  });

  it('names what is missing from the arguments', async () => {
    const answer = await router.handle(call('book_appointment', { service: service(), name: 'Ana' }));
    expect(answer.result).toBe(expected.missing);
  });

  it('says which services exist when asked for an unknown one', async () => {
    const answer = await router.handle(
      call('check_availability', { service: 'Massage', date: '2026-01-06' }),
    );
    expect(answer.result).toBe(expected.unknownService);
  });
});

describe('built-in functions, edge cases', () => {
  it('refuses to change an appointment booked from another number', async () => {
    const { h, router } = setUp('en');
    const { appointment } = await h.service.book(
      h.bookCommand({ customer: { name: 'Eve', phone: '+4917600000000' } }),
    );
    const answer = await router.handle(call('cancel_appointment', { appointment_id: appointment.id }));
    expect(answer.result).toBe(
      'I can only change appointments that were booked with the number you are calling from.',
    );
    expect(await h.stores.appointments.get('acme', appointment.id)).toMatchObject({ status: 'confirmed' });
  });

  it('refuses an unknown tenant without reading anything', async () => {
    const { router } = setUp('de');
    const body = call('list_services', {});
    const answer = await router.handle({ ...body, call: { ...body.call, to_number: '+4911111111' } });
    expect(answer.result).toMatch(/can't reach the appointment calendar/);
    expect(answer.data).toBeUndefined();
  });

  it('never finds another tenant’s appointment by its id', async () => {
    const { h } = setUp('en');
    const { appointment } = await h.service.book(h.bookCommand({ customer: { name: 'Ana', phone: CALLER } }));
    const other = createRetellFunctionRouter({
      apiKey: 'key_test',
      resolveTenant: async () => ({ tenantId: 'globex', timeZone: 'Europe/Berlin', locale: 'en' }),
      service: h.service,
      availability: h.availability,
      calendar: h.memoryCalendar,
      stores: h.stores,
      idempotency: createMemoryIdempotencyStore(),
      clock: h.clock,
    });
    const answer = await other.handle(call('cancel_appointment', { appointment_id: appointment.id }));
    expect(answer.result).toBe("I can't find that appointment. Shall I look up your appointments?");
    expect((await other.handle(call('find_my_appointments', {}))).result).toBe(
      "I can't find any upcoming appointments for your number.",
    );
    expect(await h.stores.appointments.get('acme', appointment.id)).toMatchObject({ status: 'confirmed' });
  });

  it('says a time has passed, and that a date that does not exist was not understood', async () => {
    const { router } = setUp('en');
    const past = await router.handle(
      call('book_appointment', { service: 'consultation', date: '2026-01-02', time: '10:00', name: 'Ana' }),
    );
    expect(past.result).toBe(
      'Friday, January 2 at 10:00 AM has already passed. Which other time would suit you?',
    );
    const bad = await router.handle(
      call('check_availability', { service: 'consultation', date: '2026-02-30' }),
    );
    expect(bad.result).toBe("I didn't quite get the date. Could you say that again?");
  });

  it('asks for a phone number when the call has none and none was given', async () => {
    const { router } = setUp('de');
    const body = call('book_appointment', {
      service: 'Beratung',
      date: '2026-01-06',
      time: '10:00',
      name: 'Ana',
    });
    const answer = await router.handle({ ...body, call: { ...body.call, from_number: 'anonymous' } });
    expect(answer.result).toBe('Mir fehlt noch Ihre Telefonnummer.');
  });

  it('keeps a month of availability well under Retell’s 15,000 characters', async () => {
    const { router } = setUp('de');
    const answer = await router.handle(
      call('check_availability', { service: 'Beratung', date: '2026-01-06', end_date: '2026-03-31' }),
    );
    const size = JSON.stringify(answer).length;
    expect(size).toBeLessThan(15_000);
    expect(answer.result).toMatch(
      /^Freie Termine habe ich am Dienstag, 6\. Januar: 09:00, 09:30 oder 10:00; /,
    );
    expect((answer.data as { more: number }).more).toBeGreaterThan(300);
  });
});
