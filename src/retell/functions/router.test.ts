import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createBookingHarness, type BookingHarness } from '../../../test/support/booking-harness.js';
import { deferred } from '../../../test/support/deferred.js';
import { createMemoryIdempotencyStore } from '../../adapters/memory/memory-idempotency-store.js';
import type { BookCommand } from '../../booking/service/commands.js';
import { signRetellBody } from '../signature.js';
import { defineRetellFunction, type RetellFunction } from './define-function.js';
import { createRetellFunctionRouter, type RetellFunctionRouter } from './router.js';

const API_KEY = 'key_test';
const RETELL_NUMBER = '+493000000000';

function call(name: string, args: unknown, callId = 'call_1') {
  return {
    name,
    args,
    call: { call_id: callId, direction: 'inbound', from_number: '+4915112345678', to_number: RETELL_NUMBER },
  };
}

function setUp(functions: RetellFunction[] = [], locale: 'de' | 'en' = 'en') {
  const h = createBookingHarness({ kind: 'memory' });
  const gate = { open: Promise.resolve(), books: 0 };
  const service = {
    ...h.service,
    book: async (command: BookCommand) => {
      gate.books += 1;
      await gate.open;
      return h.service.book(command);
    },
  };
  const router = createRetellFunctionRouter({
    apiKey: API_KEY,
    resolveTenant: async (c) =>
      c.to_number === RETELL_NUMBER ? { tenantId: 'acme', timeZone: 'Europe/Berlin', locale } : null,
    service,
    availability: h.availability,
    calendar: h.memoryCalendar,
    stores: h.stores,
    idempotency: createMemoryIdempotencyStore(),
    clock: h.clock,
    functions,
  });
  return { h, router, gate };
}

const BOOK = { service: 'consult', date: '2026-01-06', time: '10:00', name: 'Ana Example' };

describe('createRetellFunctionRouter: one answer per call', () => {
  it('books once when a call is retried while it runs and again after, and answers all three alike', async () => {
    const { h, router, gate } = setUp();
    const hold = deferred();
    gate.open = hold.promise;
    const first = router.handle(call('book_appointment', BOOK));
    const duringFirst = router.handle(call('book_appointment', { ...BOOK }));
    await h.clock.advance(200);
    hold.resolve();
    const [a, b] = await h.settle(Promise.all([first, duringFirst]), 10);
    const after = await router.handle(
      call('book_appointment', {
        name: 'Ana Example',
        time: '10:00',
        date: '2026-01-06',
        service: 'consult',
      }),
    );

    expect(a.result).toBe("I've booked your consult for Tuesday, January 6 at 10:00 AM.");
    expect(b).toEqual(a);
    expect(after).toEqual(a);
    expect(gate.books).toBe(1);
    const { items } = await h.stores.appointments.list('acme', {});
    expect(items).toHaveLength(1);
  });

  it('books again for the same arguments in another call', async () => {
    const { h, router } = setUp();
    await router.handle(call('book_appointment', BOOK, 'call_1'));
    const other = await router.handle(call('book_appointment', { ...BOOK, time: '11:00' }, 'call_2'));
    expect(other.data).toMatchObject({ booked: true });
    expect((await h.stores.appointments.list('acme', {})).items).toHaveLength(2);
  });
});

describe('createRetellFunctionRouter: calendar refusals', () => {
  it('says the calendar is unreachable, keeps nothing, and books on the next try', async () => {
    const { h, router, gate } = setUp();
    h.calendar.failNextAs('createBooking', 'unavailable', 10);
    const failed = await h.settle(router.handle(call('book_appointment', BOOK)), 100);
    expect(failed.result).toBe("I can't reach the calendar right now. Please try again in a few minutes.");
    h.calendar.reset();
    const retried = await h.settle(router.handle(call('book_appointment', BOOK)), 10);
    expect(retried.data).toMatchObject({ booked: true });
    expect(gate.books).toBe(2);
  });

  it('says a time outside the calendar hours cannot be booked', async () => {
    const { h, router } = setUp([], 'de');
    h.calendar.failNextAs('createBooking', 'outside_hours');
    const answer = await h.settle(router.handle(call('book_appointment', BOOK)), 10);
    expect(answer.result).toBe(
      'Es tut mir leid, Dienstag, 6. Januar um 10:00 kann nicht gebucht werden. Welche andere Zeit passt Ihnen?',
    );
  });
});

describe('createRetellFunctionRouter: time budget', () => {
  let slow: ReturnType<typeof deferred<string>>;
  let runs: number;
  let lookup: RetellFunction;
  beforeEach(() => {
    slow = deferred<string>();
    runs = 0;
    lookup = defineRetellFunction({
      name: 'slow_lookup',
      description: 'Looks something up slowly.',
      parameters: z.object({ topic: z.string() }),
      executionMessage: { de: 'Moment.', en: 'One moment.' },
      timeoutMs: 2_000, // budget 500 ms
      mutates: true,
      run: async ({ topic }) => {
        runs += 1;
        return { say: `${topic}: ${await slow.promise}`, data: { topic } };
      },
    });
  });

  it('answers "still working" when the budget runs out, then replays the finished answer', async () => {
    const { h, router } = setUp([lookup]);
    const first = router.handle(call('slow_lookup', { topic: 'parking' }));
    await h.clock.advance(500);
    expect(await first).toEqual({
      result: "I'm still working on that. Please ask me again in a moment.",
      data: { status: 'in_progress' },
    });

    slow.resolve('behind the house');
    await router.idle();
    const repeat = await router.handle(call('slow_lookup', { topic: 'parking' }));
    expect(repeat).toEqual({ result: 'parking: behind the house', data: { topic: 'parking' } });
    expect(runs).toBe(1);
  });

  it('lets a repeat that arrives while the work still runs wait its own budget, then say "still working"', async () => {
    const { h, router } = setUp([lookup], 'de');
    const first = router.handle(call('slow_lookup', { topic: 'parking' }));
    await h.clock.advance(500);
    await first;
    const repeat = router.handle(call('slow_lookup', { topic: 'parking' }));
    await h.clock.advance(600);
    expect((await repeat).result).toBe('Ich bin noch dabei. Fragen Sie mich bitte gleich noch einmal.');

    const waiting = router.handle(call('slow_lookup', { topic: 'parking' }));
    await h.clock.advance(100);
    slow.resolve('hinter dem Haus');
    expect((await h.settle(waiting, 10)).result).toBe('parking: hinter dem Haus');
    expect(runs).toBe(1);
  });

  it('forgets a call whose work failed, so asking again runs it again', async () => {
    let attempts = 0;
    const flaky = defineRetellFunction({
      name: 'flaky',
      description: 'Fails once.',
      parameters: z.object({}),
      executionMessage: { de: 'Moment.', en: 'One moment.' },
      mutates: true,
      run: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('database went away');
        return { say: 'Done.' };
      },
    });
    const { router } = setUp([flaky]);
    const failed = await router.handle(call('flaky', {}));
    expect(failed.result).toBe('Sorry, something went wrong on my side. Please try again in a moment.');
    expect(failed.result).not.toMatch(/database/);
    expect((await router.handle(call('flaky', {}))).result).toBe('Done.');
    expect(attempts).toBe(2);
  });
});

describe('createRetellFunctionRouter: host functions', () => {
  it('validates a host function’s arguments with its labels', async () => {
    const petFunction = defineRetellFunction({
      name: 'register_pet',
      description: 'Registers a pet.',
      parameters: z.object({ pet_name: z.string().min(1), species: z.enum(['dog', 'cat']) }),
      executionMessage: { de: 'Moment.', en: 'One moment.' },
      labels: { pet_name: { de: 'den Namen Ihres Tieres', en: "your pet's name" } },
      run: async ({ pet_name }) => ({ say: `Registered ${pet_name}.` }),
    });
    const { router } = setUp([petFunction]);
    expect((await router.handle(call('register_pet', { species: 'dog' }))).result).toBe(
      "I still need your pet's name.",
    );
    expect((await router.handle(call('register_pet', { pet_name: 'Rex', species: 'horse' }))).result).toBe(
      "I didn't quite get the species. Could you say that again?",
    );
    expect((await router.handle(call('register_pet', { pet_name: 'Rex', species: 'dog' }))).result).toBe(
      'Registered Rex.',
    );
  });

  it('answers an unknown function with a sentence', async () => {
    const { router } = setUp();
    expect((await router.handle(call('transfer_to_moon', {}))).result).toBe(
      "I'm sorry, I can't do that here.",
    );
  });

  it('refuses two functions of one name', () => {
    const fn = defineRetellFunction({
      name: 'twin',
      description: 'x',
      parameters: z.object({}),
      executionMessage: { de: 'x', en: 'x' },
      run: async () => ({ say: 'x' }),
    });
    expect(() => setUp([fn, fn])).toThrow(/functions/);
  });
});

describe('createRetellFunctionRouter over HTTP', () => {
  let h: BookingHarness;
  let router: RetellFunctionRouter;
  beforeEach(() => {
    ({ h, router } = setUp());
  });

  const post = (body: string, signature: string | null): Promise<Response> =>
    router(
      new Request('https://example.com/retell/functions', {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'x-retell-signature': signature } : {}),
        },
      }),
    );

  it('answers a signed call with 200 and a speakable result', async () => {
    const body = JSON.stringify(call('list_services', {}));
    const response = await post(body, signRetellBody(body, API_KEY, { now: h.clock.now() }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      result: 'We offer consult.',
      data: { services: [{ name: 'consult', minutes: 30 }] },
    });
  });

  it('refuses a bad or missing signature with 401', async () => {
    const body = JSON.stringify(call('list_services', {}));
    expect((await post(body, signRetellBody(body, 'key_other', { now: h.clock.now() }))).status).toBe(401);
    expect((await post(body, null)).status).toBe(401);
    const tampered = body.replace('list_services', 'book_appointment');
    expect((await post(tampered, signRetellBody(body, API_KEY, { now: h.clock.now() }))).status).toBe(401);
  });

  it('refuses an args-only body with 400', async () => {
    const body = JSON.stringify({ service: 'consult' });
    const response = await post(body, signRetellBody(body, API_KEY, { now: h.clock.now() }));
    expect(response.status).toBe(400);
  });

  it('takes the key from a resolver, and refuses when it has none', async () => {
    const resolved = createRetellFunctionRouter({
      apiKey: (request) => (new URL(request.url).pathname.endsWith('/acme') ? API_KEY : null),
      resolveTenant: async () => ({ tenantId: 'acme', timeZone: 'Europe/Berlin', locale: 'en' }),
      service: h.service,
      availability: h.availability,
      calendar: h.memoryCalendar,
      stores: h.stores,
      idempotency: createMemoryIdempotencyStore(),
      clock: h.clock,
    });
    const body = JSON.stringify(call('list_services', {}));
    const headers = { 'x-retell-signature': signRetellBody(body, API_KEY, { now: h.clock.now() }) };
    const ok = await resolved(new Request('https://example.com/fn/acme', { method: 'POST', body, headers }));
    const unknown = await resolved(
      new Request('https://example.com/fn/other', { method: 'POST', body, headers }),
    );
    expect(ok.status).toBe(200);
    expect(unknown.status).toBe(401);
  });
});
