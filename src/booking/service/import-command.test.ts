import { describe, expect, it } from 'vitest';
import { createMemoryCalendarProvider } from '../../adapters/memory/memory-calendar-provider.js';
import { createMemoryIdempotencyStore } from '../../adapters/memory/memory-idempotency-store.js';
import { createMemorySagaStore } from '../../adapters/memory/memory-saga-store.js';
import { createMemoryStores } from '../../adapters/memory/memory-stores.js';
import { createMemoryTenantDirectory } from '../../adapters/memory/memory-tenant-directory.js';
import { createEventBus } from '../../events/event-bus.js';
import type { IdempotencyStore } from '../../idempotency/idempotency-store.js';
import { createFakeClock } from '../../testing/fake-clock.js';
import { aTenant } from '../../testing/fixtures.js';
import { bookingEvents } from '../events.js';
import { createBookingService } from './booking-service.js';
import type { BookCommand } from './commands.js';

/** A booking service whose idempotency store fails to store the next `answersLost` answers. */
function setUp() {
  const clock = createFakeClock(Date.parse('2026-01-05T08:00:00.000Z'));
  const stores = createMemoryStores({ clock });
  const bus = createEventBus({ catalog: bookingEvents, outbox: stores.outbox, clock });
  const idempotency = createMemoryIdempotencyStore();
  const lossy = {
    answersLost: 0,
    store: {
      ...idempotency,
      complete: (...args: Parameters<IdempotencyStore['complete']>) => {
        if (lossy.answersLost > 0) {
          lossy.answersLost -= 1;
          return Promise.reject(new Error('the idempotency store went away'));
        }
        return idempotency.complete(...args);
      },
    } satisfies IdempotencyStore,
  };
  const service = createBookingService({
    stores,
    bus,
    sagas: createMemorySagaStore(),
    clock,
    idempotency: lossy.store,
    tenants: createMemoryTenantDirectory({ tenants: [aTenant({ id: 'acme' })] }),
    calendar: createMemoryCalendarProvider({ clock, eventTypes: [] }),
  });
  const types: string[] = [];
  bus.onAny((event) => {
    if (!event.type.startsWith('saga.')) types.push(event.type);
  });
  return { service, stores, lossy, types };
}

const imported = (status: 'accepted' | 'pending'): BookCommand => ({
  tenantId: 'acme',
  origin: 'calcom',
  calendar: 'already_applied',
  actor: { type: 'customer' },
  idempotencyKey: `calcom:uid_1:${status}`,
  eventTypeId: 'consult',
  start: '2026-01-06T09:00:00.000Z',
  end: '2026-01-06T09:30:00.000Z',
  timeZone: 'Europe/Berlin',
  customer: { name: 'Ana', email: 'ana@example.com' },
  existingCalendarBooking: { uid: 'uid_1', id: '1', status },
});

describe('a book of a booking the calendar has already, whose answer was lost', () => {
  for (const [status, stored] of [
    ['accepted', 'confirmed'],
    ['pending', 'pending'],
  ] as const) {
    it(`answers the ${stored} appointment its first run recorded when the key runs again`, async () => {
      const { service, stores, lossy, types } = setUp();
      lossy.answersLost = 1;
      // The appointment committed; storing the answer failed, so the key was released.
      await expect(service.book(imported(status))).rejects.toThrow('the idempotency store went away');
      const recorded = await stores.appointments.findByCalendarUid('acme', 'uid_1');
      expect(recorded?.status).toBe(stored);

      types.length = 0;
      const again = await service.book(imported(status));
      expect(again).toEqual({ appointment: recorded, calendar: 'not_needed', replayed: false });
      // Nothing recorded twice; the answer is stored this time.
      expect(types).toEqual([]);
      expect(await service.book(imported(status))).toMatchObject({ replayed: true, appointment: recorded });
    });
  }

  it('still refuses the slot to another booking of the calendar', async () => {
    const { service } = setUp();
    await service.book(imported('accepted'));
    await expect(
      service.book({
        ...imported('accepted'),
        idempotencyKey: 'calcom:uid_2',
        existingCalendarBooking: { uid: 'uid_2', id: '2', status: 'accepted' },
      }),
    ).rejects.toMatchObject({ code: 'SLOT_CONFLICT' });
  });
});
