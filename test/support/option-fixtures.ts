// What the option tests of src/errors share: the error a call throws, and minimal valid
// dependencies of the factories they call.
import { expect } from 'vitest';
import type { SqlClient } from '../../src/adapters/postgres/index.js';
import {
  bookingEvents,
  createEventBus,
  createMemoryCalendarProvider,
  createMemoryIdempotencyStore,
  createMemoryOutboxStore,
  createMemorySagaStore,
  createMemoryStores,
  createMemoryTenantDirectory,
  isInvalidOptionError,
} from '../../src/index.js';

/** The error a call throws (the test fails if it does not throw). */
export function thrownBy(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    expect(isInvalidOptionError(error), String(error)).toBe(true);
    return error as Error;
  }
  throw new Error('expected the call to throw');
}

export function bookingServiceOptions() {
  const stores = createMemoryStores();
  return {
    stores,
    tenants: createMemoryTenantDirectory({ tenants: [] }),
    calendar: createMemoryCalendarProvider({ eventTypes: [] }),
    bus: createEventBus({ catalog: bookingEvents, outbox: stores.outbox }),
    sagas: createMemorySagaStore(),
    idempotency: createMemoryIdempotencyStore(),
  };
}

export const fakeSql = (): SqlClient => ({
  query: async () => ({ rows: [], rowCount: 0 }),
  transaction: async () => undefined as never,
});

export const fakeRedis = () => ({ command: async () => null });

export const fakeSubscriber = () => ({ subscribe: async () => async () => undefined });

export const SQL = 'a SqlClient, e.g. pgClient(pool) or pgliteClient(db)';

export const CLOCK = 'a Clock, e.g. systemClock';

export const LOGGER = 'a Logger (trace, debug, info, warn, error), e.g. pino() or silentLogger';

export const newBus = () => createEventBus({ catalog: bookingEvents, outbox: createMemoryOutboxStore() });

export const fakeClock = () => ({ now: () => 0, setTimer: () => ({ clear() {} }) });

export const fakeGateway = () => ({
  create: async () => undefined,
  findByAppointment: async () => null,
  reschedule: async () => undefined,
  cancel: async () => undefined,
  listEventTypes: async () => [],
});
