import { describe, expect, it } from 'vitest';
import { createMemoryCalendarProvider } from '../../adapters/memory/memory-calendar-provider.js';
import { createMemoryIdempotencyStore } from '../../adapters/memory/memory-idempotency-store.js';
import { createMemorySagaStore } from '../../adapters/memory/memory-saga-store.js';
import { createMemoryStores } from '../../adapters/memory/memory-stores.js';
import { createMemoryTenantDirectory } from '../../adapters/memory/memory-tenant-directory.js';
import { isValidationError } from '../../errors/validation-error.js';
import { createEventBus } from '../../events/event-bus.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { aTenant } from '../../testing/fixtures.js';
import { bookingEvents } from '../events.js';
import { createBookingService } from './booking-service.js';

const weekday = [{ start: '09:00', end: '17:00' }];

function setUp(ids?: () => string) {
  const clock = createFakeClock(Date.parse('2026-01-05T08:00:00.000Z'));
  const stores = createMemoryStores({ clock });
  const sagas = createMemorySagaStore();
  const bus = createEventBus({ catalog: bookingEvents, outbox: stores.outbox, clock });
  const service = createBookingService({
    stores,
    bus,
    sagas,
    clock,
    idempotency: createMemoryIdempotencyStore(),
    tenants: createMemoryTenantDirectory({ tenants: [aTenant({ id: 'acme' })] }),
    calendar: createMemoryCalendarProvider({
      clock,
      eventTypes: [
        {
          tenantId: 'acme',
          id: 'consult',
          durationMinutes: 30,
          timeZone: 'Europe/Berlin',
          weeklyHours: { monday: weekday, tuesday: weekday },
        },
      ],
    }),
    ...(ids ? { ids } : {}),
  });
  const book = () =>
    service.book({
      tenantId: 'acme',
      origin: 'api',
      actor: { type: 'customer' },
      idempotencyKey: 'key-1',
      eventTypeId: 'consult',
      start: '2026-01-06T10:00:00+01:00',
      end: '2026-01-06T10:30:00+01:00',
      timeZone: 'Europe/Berlin',
      customer: { name: 'Ana Example', email: 'ana@example.com' },
      metadata: { source: 'web' },
      callId: 'call-1',
    });
  return { stores, sagas, bus, book };
}

describe('runBook', () => {
  it('books the appointment built from the command, exactly as the repository stores it', async () => {
    const { stores, bus, book } = setUp();
    const { appointment } = await book();
    expect(appointment).toMatchObject({
      tenantId: 'acme',
      eventTypeId: 'consult',
      resourceId: 'consult',
      start: '2026-01-06T09:00:00.000Z',
      end: '2026-01-06T09:30:00.000Z',
      timeZone: 'Europe/Berlin',
      status: 'confirmed',
      version: 2,
      idempotencyKey: 'key-1',
      metadata: { source: 'web', callId: 'call-1' },
    });
    expect(await stores.appointments.get('acme', appointment.id)).toEqual(appointment);
    expect(bus.history({ aggregateId: appointment.id }).map((e) => e.type)).toEqual([
      'appointment.requested',
      'appointment.booked',
    ]);
  });

  it('refuses an id from the ids option that is not a valid id, naming the field, before any write', async () => {
    const { stores, sagas, book } = setUp(() => '');
    const error: unknown = await book().then(
      () => expect.fail('expected a rejection'),
      (caught: unknown) => caught,
    );
    expect(isValidationError(error) && error.context.issues.map((issue) => issue.path)).toEqual(['id']);
    expect((await stores.appointments.list('acme')).items).toEqual([]);
    expect(await sagas.list()).toEqual([]);
  });

  it('answers a repeat of the command with the same appointment, which the first caller cannot change', async () => {
    const { book } = setUp();
    const first = await book();
    const answered = structuredClone(first.appointment);
    first.appointment.metadata.source = 'changed by the caller';
    first.appointment.external.previousCalendarBookingUids.push('sneaky');
    const again = await book();
    expect(again.replayed).toBe(true);
    expect(again.appointment).toEqual(answered);
  });
});
