import { describe, expect, it } from 'vitest';
import { createMemoryStores } from '../../src/adapters/memory/memory-stores.js';
import { createPostgresStores } from '../../src/adapters/postgres/postgres-stores.js';
import type { MemoryCalendarEventTypeInput } from '../../src/adapters/memory/memory-calendar-schedule.js';
import type { BookCommand } from '../../src/booking/service/commands.js';
import { isNotFoundError } from '../../src/errors/store-errors.js';
import { isValidationError } from '../../src/errors/validation-error.js';
import { createBookingKit, type BookingKit } from '../../src/kit/booking-kit.js';
import type { BookingKitStores } from '../../src/kit/booking-kit-options.js';
import { createFakeClock } from '../../src/testing/fake-clock.js';
import { aCall } from '../../src/testing/fixtures.js';
import type { Logger } from '../../src/ports/logger.js';
import { describeOnDatabases } from './postgres-test-database.js';

const START = '2026-01-05T08:00:00.000Z';
const weekday = [{ start: '09:00', end: '17:00' }];
const eventType = (tenantId: string): MemoryCalendarEventTypeInput => ({
  tenantId,
  id: 'consult',
  durationMinutes: 30,
  timeZone: 'Europe/Berlin',
  weeklyHours: { monday: weekday, tuesday: weekday, wednesday: weekday, thursday: weekday, friday: weekday },
});
const slot = (hour: number) => ({
  start: `2026-01-06T${String(hour).padStart(2, '0')}:00:00.000Z`,
  end: `2026-01-06T${String(hour).padStart(2, '0')}:30:00.000Z`,
});

const book = (overrides: Partial<BookCommand> = {}): BookCommand => ({
  tenantId: 'acme',
  origin: 'voice',
  actor: { type: 'agent', id: 'agent-1' },
  idempotencyKey: `book-${Math.random().toString(36).slice(2)}`,
  eventTypeId: 'consult',
  ...slot(9),
  timeZone: 'Europe/Berlin',
  customer: { name: 'Ana Example', phone: '+49 30 1234567', email: 'ana@example.com' },
  metadata: { note: 'allergic to latex' },
  ...overrides,
});

/** What personal data the test puts in, to look for afterwards. */
const PERSONAL = ['Ana', 'ana@example.com', '1234567', 'latex', 'is ill', 'transcript of Ana'];

function kitOn(stores: BookingKitStores, logger?: Logger): BookingKit<never, BookingKitStores> {
  const kit = createBookingKit({
    ...(logger ? { logger } : {}),
    clock: createFakeClock(START),
    stores,
    tenants: [{ id: 'acme' }, { id: 'other' }],
    eventTypes: [eventType('acme'), eventType('other')],
  });
  // Queued listeners, so the events wait in the outbox (the relay is not started).
  kit.bus.on('appointment.cancelled', () => undefined, { queued: true, name: 'probe:cancelled' });
  kit.bus.on('customer.erased', () => undefined, { queued: true, name: 'probe:erased' });
  return kit as unknown as BookingKit<never, BookingKitStores>;
}

/** A customer with a booked-then-cancelled appointment, a booked one, and a call. */
async function aCustomerWithHistory(kit: BookingKit<never, BookingKitStores>, tenantId = 'acme') {
  const first = await kit.service.book(book({ tenantId, ...slot(9) }));
  await kit.service.cancel({
    tenantId,
    origin: 'api',
    actor: { type: 'customer', id: first.appointment.customerId! },
    idempotencyKey: `cancel-${first.appointment.id}`,
    target: { appointmentId: first.appointment.id },
    reason: 'Ana is ill',
  });
  const second = await kit.service.book(book({ tenantId, ...slot(11) }));
  const customerId = second.appointment.customerId!;
  const call = aCall({ tenantId, customerId, transcript: 'transcript of Ana', analysis: { summary: 'Ana' } });
  await kit.stores.calls.save(call, null);
  return { customerId, appointmentIds: [first.appointment.id, second.appointment.id], callId: call.id };
}

/** Everything the stores hold for a tenant's customer, as text, to search for personal data. */
async function everythingOf(kit: BookingKit<never, BookingKitStores>, tenantId: string, customerId: string) {
  const customer = await kit.stores.customers.get(tenantId, customerId);
  const { items: appointments } = await kit.stores.appointments.list(tenantId, { customerId });
  const messages = await kit.stores.outbox.list({ tenantId, limit: 1000 });
  const calls = (await kit.stores.calls.list(tenantId)).items.filter((c) => c.customerId === customerId);
  return {
    customer,
    appointments,
    calls,
    messages,
    text: JSON.stringify({ customer, appointments, calls, messages }),
  };
}

function erasureSuite(name: string, makeStores: () => BookingKitStores): void {
  describe(`eraseCustomer on ${name}`, () => {
    it('erases the customer, their calls and their events, and keeps the facts of their appointments', async () => {
      const kit = kitOn(makeStores());
      const { customerId, appointmentIds, callId } = await aCustomerWithHistory(kit);
      const before = await everythingOf(kit, 'acme', customerId);
      expect(PERSONAL.filter((text) => before.text.includes(text))).toEqual(PERSONAL);

      const result = await kit.eraseCustomer('acme', customerId, { actor: { type: 'staff', id: 'dpo' } });
      expect(result).toMatchObject({ customerId, customer: true, appointments: 2, calls: 1 });
      expect(result.outboxMessages).toBeGreaterThan(0);

      const after = await everythingOf(kit, 'acme', customerId);
      expect(PERSONAL.filter((text) => after.text.includes(text))).toEqual([]);
      expect(after.customer).toMatchObject({ id: customerId, name: null, email: null, phone: null });
      for (const [index, appointment] of after.appointments.entries()) {
        const kept = before.appointments[index]!;
        expect(appointment).toMatchObject({
          id: kept.id,
          start: kept.start,
          end: kept.end,
          status: kept.status,
          eventTypeId: kept.eventTypeId,
          customerId,
          external: kept.external,
          cancellationReason: null,
        });
      }
      expect(after.appointments.map((a) => a.id).sort()).toEqual([...appointmentIds].sort());
      expect(after.calls).toMatchObject([{ id: callId, fromNumber: null, transcript: null, analysis: null }]);
      const erased = after.messages.filter((m) => m.eventType === 'customer.erased');
      expect(erased).toHaveLength(1);
      expect(JSON.parse(erased[0]!.payload)).toMatchObject({
        id: result.eventId,
        data: { customerId, customer: true, callIds: [callId], erasedBy: { type: 'staff', id: 'dpo' } },
      });
    });

    it('logs ids and counts of an erasure, never the personal data', async () => {
      const lines: string[] = [];
      const log = (...args: unknown[]): void => void lines.push(JSON.stringify(args));
      const kit = kitOn(makeStores(), { trace: log, debug: log, info: log, warn: log, error: log });
      const { customerId } = await aCustomerWithHistory(kit);
      lines.length = 0;
      await kit.eraseCustomer('acme', customerId);
      await kit.eraseCustomer('acme', 'no-such-customer').catch(() => undefined);
      expect(lines.join('\n')).toContain(customerId);
      expect(PERSONAL.filter((text) => lines.join('\n').includes(text))).toEqual([]);
    });

    it("leaves other customers and other tenants' customers as they were", async () => {
      const kit = kitOn(makeStores());
      const { customerId } = await aCustomerWithHistory(kit);
      const other = await kit.service.book(
        book({
          ...slot(13),
          customer: { name: 'Bo Other', phone: '+49 30 7654321' },
          metadata: { note: 'Bo' },
        }),
      );
      const elsewhere = await aCustomerWithHistory(kit, 'other');
      const untouched = async () => [
        await everythingOf(kit, 'acme', other.appointment.customerId!),
        await everythingOf(kit, 'other', elsewhere.customerId),
      ];
      const before = await untouched();
      await kit.eraseCustomer('acme', customerId);
      const after = await untouched();
      expect(after.map((a) => [a.customer, a.appointments, a.calls])).toEqual(
        before.map((b) => [b.customer, b.appointments, b.calls]),
      );
    });

    it('answers zeros when erasing again, and records that erasure too', async () => {
      const kit = kitOn(makeStores());
      const { customerId, appointmentIds } = await aCustomerWithHistory(kit);
      await kit.eraseCustomer('acme', customerId);
      const again = await kit.eraseCustomer('acme', customerId);
      expect(again).toMatchObject({ customer: false, appointments: 0, calls: 0, outboxMessages: 0 });
      const messages = await kit.stores.outbox.list({ tenantId: 'acme', limit: 1000 });
      const erased = messages
        .filter((m) => m.eventType === 'customer.erased')
        .map((m) => JSON.parse(m.payload) as { data: unknown });
      expect(erased.map((e) => e.data)).toMatchObject([
        { customer: true },
        { customer: false, appointmentIds: expect.arrayContaining(appointmentIds), callIds: [] },
      ]);
    });

    it("answers NOT_FOUND for an unknown customer and for another tenant's, changing nothing", async () => {
      const kit = kitOn(makeStores());
      const { customerId } = await aCustomerWithHistory(kit);
      const before = await everythingOf(kit, 'acme', customerId);
      for (const [tenantId, id] of [
        ['acme', 'no-such-customer'],
        ['other', customerId],
      ] as const) {
        const error = await kit.eraseCustomer(tenantId, id).catch((e: unknown) => e);
        expect(isNotFoundError(error)).toBe(true);
        expect(error).toMatchObject({ code: 'NOT_FOUND', context: { entity: 'customer', id } });
      }
      expect(await everythingOf(kit, 'acme', customerId)).toEqual(before);
    });

    it('names the bad field, and honours an aborted signal before writing', async () => {
      const kit = kitOn(makeStores());
      const { customerId } = await aCustomerWithHistory(kit);
      const error = await kit.eraseCustomer('acme', '').catch((e: unknown) => e);
      expect(isValidationError(error)).toBe(true);
      expect((error as Error).message).toMatch(/customerId/);
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      await expect(kit.eraseCustomer('acme', customerId, { signal: controller.signal })).rejects.toThrow(
        'stop',
      );
      expect((await kit.stores.customers.get('acme', customerId))?.name).toBe('Ana Example');
    });

    it('erases nothing when a store fails half-way', async () => {
      const stores = makeStores();
      const kit = kitOn(stores);
      const { customerId } = await aCustomerWithHistory(kit);
      const before = await everythingOf(kit, 'acme', customerId);
      // A second kit over the same stores, whose transactions fail after the customer and the
      // appointments were erased, at the calls.
      const failing = kitOn({
        ...stores,
        unitOfWork: {
          run: (work, options) =>
            stores.unitOfWork.run(
              (tx) =>
                work({
                  ...tx,
                  calls: {
                    ...tx.calls,
                    anonymiseForCustomer: () => Promise.reject(new Error('calls store down')),
                  },
                }),
              options,
            ),
        },
      });
      await expect(failing.eraseCustomer('acme', customerId)).rejects.toThrow('calls store down');
      expect(await everythingOf(kit, 'acme', customerId)).toEqual(before);
    });

    it('erases a booking that committed before it; one committing after is a new fact, erased by erasing again', async () => {
      const kit = kitOn(makeStores());
      const { customerId } = await aCustomerWithHistory(kit);
      const [booked, erased] = await Promise.allSettled([
        kit.service.book(book({ ...slot(14) })),
        kit.eraseCustomer('acme', customerId),
      ]);
      expect(erased.status).toBe('fulfilled');
      // Whatever the order, the erased record names no one: a booking that read it before the
      // erasure cannot write it back (its version moved), and one after it no longer finds it.
      const customer = await kit.stores.customers.get('acme', customerId);
      expect(customer).toMatchObject({ name: null, email: null, phone: null });
      if (booked.status === 'fulfilled' && booked.value.appointment.customerId === customerId) {
        // It linked the erased customer: erasing again takes out what it brought, if anything.
        await kit.eraseCustomer('acme', customerId);
      }
      const after = await everythingOf(kit, 'acme', customerId);
      expect(PERSONAL.filter((text) => after.text.includes(text))).toEqual([]);
    });
  });
}

erasureSuite('memory', () => createMemoryStores({ clock: createFakeClock(START) }));

describeOnDatabases('customer erasure', (database) => {
  erasureSuite('postgres', () => createPostgresStores({ sql: database().sql, schema: database().schema }));
});
