import { describe, expect, it } from 'vitest';
import {
  bookingEvents,
  createAvailabilityService,
  createBookingService,
  createCustomerService,
  createEventBus,
  createMemoryCalendarProvider,
  createMemoryIdempotencyStore,
  createMemoryOutboxStore,
  createMemorySagaStore,
  createMemoryStores,
  createMemoryTenantDirectory,
  createOutboxRelay,
  createSagaCoordinator,
  isInvalidOptionError,
} from '../index.js';
import { requireOption } from '../util/options.js';

/** The error a call throws (the test fails if it does not throw). */
function thrownBy(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    expect(isInvalidOptionError(error), String(error)).toBe(true);
    return error as Error;
  }
  throw new Error('expected the call to throw');
}

function bookingServiceOptions() {
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

describe('a missing required option', () => {
  it('names the factory and the option, and says what to pass', () => {
    const { sagas: _omitted, ...rest } = bookingServiceOptions();
    const error = thrownBy(() => createBookingService(rest as never));
    expect(error.message).toBe(
      'createBookingService: option "sagas" is required (a SagaStore, e.g. createMemorySagaStore())',
    );
    expect(error).toMatchObject({ context: { factory: 'createBookingService', option: 'sagas' } });
  });

  it('is told for every required dependency of the booking service', () => {
    for (const option of ['stores', 'tenants', 'calendar', 'bus', 'sagas', 'idempotency'] as const) {
      const error = thrownBy(() => createBookingService({ ...bookingServiceOptions(), [option]: undefined }));
      expect(error.message).toMatch(
        new RegExp(`^createBookingService: option "${option}" is required \\(.+\\)$`),
      );
    }
  });

  it('is told by the bus, the relay, the saga coordinator, availability and customers', () => {
    const outbox = createMemoryOutboxStore();
    const bus = createEventBus({ catalog: bookingEvents, outbox });
    expect(thrownBy(() => createEventBus({} as never)).message).toBe(
      'createEventBus: option "catalog" is required (a catalog made by defineEventCatalog(), e.g. bookingEvents)',
    );
    expect(thrownBy(() => createOutboxRelay({ bus } as never)).message).toBe(
      'createOutboxRelay: option "store" is required (an OutboxStore, the one the bus writes to, e.g. createMemoryOutboxStore())',
    );
    expect(thrownBy(() => createOutboxRelay({ store: outbox } as never)).message).toMatch(
      /^createOutboxRelay: option "bus" is required \(an EventBus/,
    );
    expect(thrownBy(() => createSagaCoordinator({ sagas: [] } as never)).message).toBe(
      'createSagaCoordinator: option "store" is required (a SagaStore, e.g. createMemorySagaStore())',
    );
    expect(thrownBy(() => createAvailabilityService({ ttlMs: 1_000 } as never)).message).toMatch(
      /^createAvailabilityService: option "calendar" is required \(a CalendarProvider, e\.g\. /,
    );
    expect(
      thrownBy(() =>
        createAvailabilityService({
          calendar: createMemoryCalendarProvider({ eventTypes: [] }),
          ttlMs: 1,
        } as never),
      ).message,
    ).toMatch(/^createAvailabilityService: option "cache" is required \(an AvailabilityCache, e\.g\. /);
    expect(thrownBy(() => createCustomerService({} as never)).message).toMatch(
      /^createCustomerService: option "customers" is required \(a CustomerRepository, e\.g\. /,
    );
  });

  it('is told, with the first required option, when a factory gets no options object at all', () => {
    const error = thrownBy(() => (createBookingService as (options?: unknown) => unknown)());
    expect(error.message).toBe(
      'createBookingService: an options object is required, with option "stores" (the stores, e.g. createMemoryStores())',
    );
    for (const factory of [createOutboxRelay, createSagaCoordinator, createEventBus, createCustomerService]) {
      expect(thrownBy(() => (factory as (options?: unknown) => unknown)()).message).toMatch(
        new RegExp(`^${factory.name}: an options object is required, with option "`),
      );
    }
  });
});

describe('a required option of the wrong kind', () => {
  it('names the factory, the option, what was given and what to pass', () => {
    expect(thrownBy(() => createSagaCoordinator({ store: {} as never, sagas: [] })).message).toBe(
      'createSagaCoordinator: option "store" must be a SagaStore, e.g. createMemorySagaStore(), got a value of type object',
    );
  });

  it('accepts a present, valid option and returns it', () => {
    const store = createMemorySagaStore();
    expect(requireOption('f', { store }, 'store', 'a SagaStore')).toBe(store);
  });
});
