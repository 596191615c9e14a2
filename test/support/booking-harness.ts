import { createMemoryAvailabilityCache } from '../../src/adapters/memory/memory-availability-cache.js';
import { createMemoryCalendarProvider } from '../../src/adapters/memory/memory-calendar-provider.js';
import { createMemoryIdempotencyStore } from '../../src/adapters/memory/memory-idempotency-store.js';
import { createMemorySagaStore } from '../../src/adapters/memory/memory-saga-store.js';
import { createMemoryStores } from '../../src/adapters/memory/memory-stores.js';
import { createMemoryTenantDirectory } from '../../src/adapters/memory/memory-tenant-directory.js';
import { createPostgresIdempotencyStore } from '../../src/adapters/postgres/postgres-idempotency-store.js';
import { createPostgresSagaStore } from '../../src/adapters/postgres/postgres-saga-store.js';
import type { SagaStore } from '../../src/saga/saga-store.js';
import { createPostgresStores, type PostgresStores } from '../../src/adapters/postgres/postgres-stores.js';
import type { SqlClient } from '../../src/adapters/postgres/sql-client.js';
import { createAvailabilityService } from '../../src/booking/availability/availability-service.js';
import { bookingEvents } from '../../src/booking/events.js';
import { registerAvailabilityInvalidation } from '../../src/booking/listeners/availability-invalidation-listener.js';
import type { BookingServiceOptions } from '../../src/booking/service/booking-service-options.js';
import { createBookingService } from '../../src/booking/service/booking-service.js';
import type { BookCommand } from '../../src/booking/service/commands.js';
import { createEventBus } from '../../src/events/event-bus.js';
import { createOutboxRelay } from '../../src/events/outbox-relay.js';
import type { Policy } from '../../src/resilience/policy.js';
import type { Tenant } from '../../src/tenancy/tenant.js';
import { createFakeClock, type FakeClock } from '../../src/testing/fake-clock.js';
import { withCalendarFaults } from '../../src/testing/faulty-calendar-provider.js';
import { aTenant } from '../../src/testing/fixtures.js';

/** Monday 2026-01-05, 08:00 UTC. */
export const START = '2026-01-05T08:00:00.000Z';
/** A free 30-minute slot on Tuesday (10:00 in Berlin). */
export const SLOT = { start: '2026-01-06T09:00:00.000Z', end: '2026-01-06T09:30:00.000Z' };
export const NEXT_SLOT = { start: '2026-01-06T10:00:00.000Z', end: '2026-01-06T10:30:00.000Z' };

const weekday = [{ start: '09:00', end: '17:00' }];

/** Where the booking service keeps its state in a test. */
export type Backend =
  | { readonly kind: 'memory' }
  | {
      readonly kind: 'postgres';
      readonly sql: SqlClient;
      readonly schema: string;
      /**
       * `joined`: the saga log and the idempotency store are the stores' own (`stores.sagas`,
       * `stores.idempotency`), in their transactions. @default 'separate'
       */
      readonly sagaLog?: 'joined' | 'separate';
    };

export interface HarnessOptions {
  readonly policy?: Tenant['calendarUnavailablePolicy'];
  readonly calendarPolicy?: Policy;
  readonly idempotencyWaitMs?: number;
  readonly admission?: BookingServiceOptions['admission'];
  /** Wraps the saga store the service is given (to inject faults into the saga log). */
  readonly wrapSagas?: (sagas: SagaStore) => SagaStore;
}

/**
 * A complete booking backend on a fake clock: stores (memory or Postgres), the memory calendar
 * behind a fault injector, bus with outbox and relay, availability with its invalidation
 * listener, and the booking service.
 */
export function createBookingHarness(backend: Backend, options: HarnessOptions = {}) {
  const clock = createFakeClock(START);
  const tenant = aTenant({ id: 'acme', calendarUnavailablePolicy: options.policy ?? 'fail' });
  const tenants = createMemoryTenantDirectory({ tenants: [tenant] });
  const memoryCalendar = createMemoryCalendarProvider({
    clock,
    eventTypes: [
      {
        tenantId: 'acme',
        id: 'consult',
        durationMinutes: 30,
        timeZone: 'Europe/Berlin',
        weeklyHours: {
          monday: weekday,
          tuesday: weekday,
          wednesday: weekday,
          thursday: weekday,
          friday: weekday,
        },
      },
    ],
  });
  const calendar = withCalendarFaults(memoryCalendar);
  const stores =
    backend.kind === 'memory'
      ? createMemoryStores({ clock })
      : createPostgresStores({ sql: backend.sql, schema: backend.schema, clock });
  const ownSagas =
    backend.kind === 'memory'
      ? createMemorySagaStore()
      : backend.sagaLog === 'joined'
        ? (stores as PostgresStores).sagas
        : createPostgresSagaStore({ sql: backend.sql, schema: backend.schema });
  const sagas = options.wrapSagas ? options.wrapSagas(ownSagas) : ownSagas;
  const idempotency =
    backend.kind === 'memory'
      ? createMemoryIdempotencyStore()
      : backend.sagaLog === 'joined'
        ? (stores as PostgresStores).idempotency
        : createPostgresIdempotencyStore({ sql: backend.sql, schema: backend.schema });
  const bus = createEventBus({ catalog: bookingEvents, outbox: stores.outbox, clock });
  const relay = createOutboxRelay({ bus, store: stores.outbox, clock });
  const availability = createAvailabilityService({
    calendar: memoryCalendar,
    cache: createMemoryAvailabilityCache({ clock }),
    ttlMs: 3_600_000,
    clock,
  });
  registerAvailabilityInvalidation(bus, { availability });
  const serviceOptions: BookingServiceOptions = {
    stores,
    tenants,
    calendar,
    bus,
    sagas,
    idempotency,
    availability,
    clock,
    ...(options.calendarPolicy ? { calendarPolicy: options.calendarPolicy } : {}),
    ...(options.idempotencyWaitMs !== undefined ? { idempotencyWaitMs: options.idempotencyWaitMs } : {}),
    ...(options.admission !== undefined ? { admission: options.admission } : {}),
  };
  const service = createBookingService(serviceOptions);

  return {
    clock,
    tenant,
    calendar,
    memoryCalendar,
    stores,
    bus,
    relay,
    availability,
    service,
    /** Delivers every due outbox message (repeating while rounds find work). */
    async drain(): Promise<void> {
      for (let round = 0; round < 20; round += 1) {
        const result = await relay.runOnce();
        if (result.claimed === 0) return;
      }
    },
    /** A book command for `SLOT` by a voice caller. */
    bookCommand(overrides: Partial<BookCommand> = {}): BookCommand {
      return {
        tenantId: 'acme',
        origin: 'voice',
        actor: { type: 'agent', id: 'agent-1' },
        idempotencyKey: `book-${Math.random().toString(36).slice(2)}`,
        eventTypeId: 'consult',
        ...SLOT,
        timeZone: 'Europe/Berlin',
        customer: { name: 'Ana Example', phone: '+49 30 1234567', email: 'ana@example.com' },
        ...overrides,
      };
    },
    /**
     * Resolves `promise` while moving the fake clock, so saga retry waits elapse. Between steps it
     * yields a real millisecond, so that database I/O (which no fake clock drives) makes progress.
     */
    async settle<T>(promise: Promise<T>, stepMs = 500, realLimitMs = 15_000): Promise<T> {
      let done = false;
      const tracked = promise.finally(() => {
        done = true;
      });
      tracked.catch(() => undefined);
      const deadline = Date.now() + realLimitMs;
      while (!done) {
        if (Date.now() > deadline)
          throw new Error(`settle: still pending after ${realLimitMs} ms of real time`);
        await clock.advance(stepMs);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      return tracked;
    },
  };
}

/** The harness type. */
export type BookingHarness = ReturnType<typeof createBookingHarness>;

/** Exposes the fake clock type for tests. */
export type { FakeClock };
