import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  bookingEvents,
  circuitBreaker,
  defineEventCatalog,
  isValidationError,
  mergeEventCatalogs,
  createAvailabilityService,
  createBookingService,
  createBroadcastingCache,
  createCustomerService,
  createEventBus,
  createLogNotifier,
  createMemoryAuditLog,
  createMemoryAvailabilityCache,
  createMemoryCalendarProvider,
  createMemoryCustomerStatsStore,
  createMemoryInvalidationHub,
  createMemoryNotifier,
  createMemoryOutboxStore,
  createMemorySagaStore,
  createMemoryStores,
  createMemoryTenantDirectory,
  createOutboxRelay,
  createSagaCoordinator,
  defineSaga,
  fallback,
  registerAuditTrail,
  registerAvailabilityInvalidation,
  registerBookingListeners,
  registerCustomerStatistics,
  registerNotifications,
  silentLogger,
} from '../index.js';
import {
  createPostgresAppointmentRepository,
  createPostgresAuditLog,
  createPostgresAvailabilityCache,
  createPostgresCallRepository,
  createPostgresCustomerRepository,
  createPostgresCustomerStatsStore,
  createPostgresIdempotencyStore,
  createPostgresLockService,
  createPostgresOutboxStore,
  createPostgresSagaStore,
  createPostgresStores,
  createPostgresTenantDirectory,
  createPostgresUnitOfWork,
} from '../adapters/postgres/index.js';
import {
  createRedisAvailabilityCache,
  createRedisBreakerStateStore,
  createRedisIdempotencyStore,
  createRedisInvalidationBroadcast,
  createRedisLockService,
  ioredisClient,
  ioredisSubscriber,
} from '../adapters/redis/index.js';
import { registerCalendarSync } from '../booking/service/calendar-sync-listener.js';
import { createEventTypeCheck } from '../booking/service/event-type-check.js';
import { calcomWebhookVerifier } from '../calcom/verifier.js';
import { createWebhookHandler } from '../http/webhook-handler.js';
import { retellWebhookVerifier } from '../retell/verifier.js';
import { withCalendarFaults } from '../testing/faulty-calendar-provider.js';
import { requireOption } from '../util/options.js';
import {
  CLOCK,
  LOGGER,
  SQL,
  bookingServiceOptions,
  fakeClock,
  fakeGateway,
  fakeRedis,
  fakeSql,
  fakeSubscriber,
  newBus,
  thrownBy,
} from '../../test/support/option-fixtures.js';

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

/** A factory's required options, as the table below checks them. */
interface RequiredOptionsCase {
  readonly factory: string;
  /** Calls the factory with `options` in the place of its options object (or its arguments). */
  readonly call: (options?: Record<string, unknown>) => unknown;
  /** A complete, valid set of the required options. */
  readonly valid: () => Record<string, unknown>;
  /** Each required option in the order it is checked, with what the message says to pass. */
  readonly required: readonly (readonly [option: string, expected: string])[];
  /** The factory takes its dependencies as arguments, so there is no options object to miss. */
  readonly positional?: boolean;
}

const CLIENT = 'a RedisClient, e.g. ioredisClient(new Redis(url))';
const APPOINTMENTS = 'an AppointmentRepository, e.g. stores.appointments from createMemoryStores()';
const CUSTOMERS = 'a CustomerRepository, e.g. stores.customers from createMemoryStores()';
const AVAILABILITY = 'an AvailabilityService, e.g. createAvailabilityService({ calendar, cache, ttlMs })';
const BUS = 'an EventBus over bookingEvents, e.g. createEventBus({ catalog: bookingEvents, outbox })';
const GATEWAY = 'a CalendarGateway, e.g. createCalendarGateway(calendar, policy)';

const postgresFactories: readonly [string, (options: never) => unknown][] = [
  ['createPostgresAppointmentRepository', createPostgresAppointmentRepository],
  ['createPostgresAuditLog', createPostgresAuditLog],
  ['createPostgresAvailabilityCache', createPostgresAvailabilityCache],
  ['createPostgresCallRepository', createPostgresCallRepository],
  ['createPostgresCustomerRepository', createPostgresCustomerRepository],
  ['createPostgresCustomerStatsStore', createPostgresCustomerStatsStore],
  ['createPostgresIdempotencyStore', createPostgresIdempotencyStore],
  ['createPostgresLockService', createPostgresLockService],
  ['createPostgresOutboxStore', createPostgresOutboxStore],
  ['createPostgresSagaStore', createPostgresSagaStore],
  ['createPostgresStores', createPostgresStores],
  ['createPostgresTenantDirectory', createPostgresTenantDirectory],
  ['createPostgresUnitOfWork', createPostgresUnitOfWork],
];

const redisFactories: readonly [string, (options: never) => unknown][] = [
  ['createRedisAvailabilityCache', createRedisAvailabilityCache],
  ['createRedisBreakerStateStore', createRedisBreakerStateStore],
  ['createRedisIdempotencyStore', createRedisIdempotencyStore],
  ['createRedisLockService', createRedisLockService],
];

const requiredOptionsCases: readonly RequiredOptionsCase[] = [
  {
    factory: 'registerCustomerStatistics',
    call: (deps) => registerCustomerStatistics(newBus(), deps as never),
    valid: () => {
      const stores = createMemoryStores();
      return {
        customerStats: createMemoryCustomerStatsStore({ customers: stores.customers }),
        appointments: stores.appointments,
      };
    },
    required: [
      ['customerStats', 'a CustomerStatsStore, e.g. createMemoryCustomerStatsStore({ customers })'],
      ['appointments', APPOINTMENTS],
    ],
  },
  {
    factory: 'registerNotifications',
    call: (deps) => registerNotifications(newBus(), deps as never),
    valid: () => {
      const stores = createMemoryStores();
      return {
        notifier: createMemoryNotifier(),
        customers: stores.customers,
        appointments: stores.appointments,
      };
    },
    required: [
      ['notifier', 'a Notifier, e.g. createMemoryNotifier()'],
      ['customers', CUSTOMERS],
      ['appointments', APPOINTMENTS],
    ],
  },
  {
    factory: 'registerAuditTrail',
    call: (deps) => registerAuditTrail(newBus(), deps as never),
    valid: () => ({ auditLog: createMemoryAuditLog() }),
    required: [['auditLog', 'an AuditLog, e.g. createMemoryAuditLog()']],
  },
  {
    factory: 'registerAvailabilityInvalidation',
    call: (deps) => registerAvailabilityInvalidation(newBus(), deps as never),
    valid: () => ({ availability: { invalidate: async () => undefined } }),
    required: [['availability', AVAILABILITY]],
  },
  {
    factory: 'registerBookingListeners',
    call: (deps) => registerBookingListeners(newBus(), deps as never),
    valid: () => {
      const stores = createMemoryStores();
      return {
        availability: { invalidate: async () => undefined },
        customers: stores.customers,
        appointments: stores.appointments,
      };
    },
    required: [
      ['availability', AVAILABILITY],
      ['customers', CUSTOMERS],
      ['appointments', APPOINTMENTS],
    ],
  },
  {
    factory: 'createBroadcastingCache',
    positional: true,
    call: (args) => createBroadcastingCache(args?.cache as never, args?.broadcast as never),
    valid: () => ({
      cache: createMemoryAvailabilityCache(),
      broadcast: createMemoryInvalidationHub().connect(),
    }),
    required: [
      ['cache', 'an AvailabilityCache, e.g. createMemoryAvailabilityCache()'],
      [
        'broadcast',
        'an InvalidationBroadcast, e.g. createRedisInvalidationBroadcast({ client, subscriber })',
      ],
    ],
  },
  {
    factory: 'createLogNotifier',
    positional: true,
    call: (args) => createLogNotifier(args?.logger as never),
    valid: () => ({ logger: silentLogger }),
    required: [['logger', 'a Logger (trace, debug, info, warn, error), e.g. pino()']],
  },
  {
    factory: 'createMemoryCustomerStatsStore',
    call: (options) => createMemoryCustomerStatsStore(options as never),
    valid: () => ({ customers: createMemoryStores().customers }),
    required: [['customers', CUSTOMERS]],
  },
  {
    factory: 'defineSaga',
    call: (options) => defineSaga(options as never),
    valid: () => ({ name: 'transfer' }),
    required: [['name', 'a non-empty string of at most 200 characters']],
  },
  {
    factory: 'createRedisInvalidationBroadcast',
    call: (options) => createRedisInvalidationBroadcast(options as never),
    valid: () => ({ client: fakeRedis(), subscriber: fakeSubscriber() }),
    required: [
      ['client', CLIENT],
      ['subscriber', 'a RedisSubscriber on a dedicated connection, e.g. ioredisSubscriber(new Redis(url))'],
    ],
  },
  {
    factory: 'ioredisClient',
    positional: true,
    call: (args) => ioredisClient(args?.redis as never),
    valid: () => ({ redis: { call: async () => null } }),
    required: [['redis', 'an ioredis connection, e.g. new Redis(url)']],
  },
  {
    factory: 'ioredisSubscriber',
    positional: true,
    call: (args) => ioredisSubscriber(args?.redis as never),
    valid: () => ({ redis: { subscribe: async () => 1, unsubscribe: async () => 1, on() {}, off() {} } }),
    required: [['redis', 'a dedicated ioredis connection, e.g. new Redis(url)']],
  },
  {
    factory: 'createWebhookHandler',
    call: (options) => createWebhookHandler(options as never),
    valid: () => ({ verify: async () => undefined, handle: async () => undefined }),
    required: [
      ['verify', 'a WebhookVerifier, e.g. calcomWebhookVerifier(secret) or retellWebhookVerifier(apiKey)'],
      ['handle', 'a function that handles the parsed webhook, e.g. (webhook) => bookings.import(webhook)'],
    ],
  },
  {
    factory: 'calcomWebhookVerifier',
    positional: true,
    call: (args) => calcomWebhookVerifier(args?.secret as never),
    valid: () => ({ secret: 'whsec' }),
    required: [['secret', 'the secret the Cal.com webhook was registered with, a non-empty string']],
  },
  {
    factory: 'retellWebhookVerifier',
    positional: true,
    call: (args) => retellWebhookVerifier(args?.apiKey as never),
    valid: () => ({ apiKey: 'key_123' }),
    required: [['apiKey', 'the Retell API key with the webhook badge, a non-empty string']],
  },
  {
    factory: 'fallback',
    positional: true,
    call: (args) => fallback(args?.value as never),
    valid: () => ({ value: () => [] }),
    required: [['value', 'a function that answers the error, e.g. () => cachedSlots']],
  },
  {
    factory: 'createMemoryTenantDirectory',
    call: (options) => createMemoryTenantDirectory(options as never),
    valid: () => ({ tenants: [] }),
    required: [
      ['tenants', 'an array of Tenant records (it may be empty), e.g. [{ id, name, status, timeZone }]'],
    ],
  },
  {
    factory: 'defineEventCatalog',
    positional: true,
    call: (args) => defineEventCatalog(args?.specs as never),
    valid: () => ({ specs: { 'invoice.paid': z.object({ invoiceId: z.string() }) } }),
    required: [
      ['specs', "an object of event types and their zod schemas, e.g. { 'invoice.paid': z.object({ ... }) }"],
    ],
  },
  {
    factory: 'mergeEventCatalogs',
    positional: true,
    call: (args) => mergeEventCatalogs(args?.a as never, args?.b as never),
    valid: () => ({ a: bookingEvents, b: defineEventCatalog({ 'invoice.paid': z.object({}) }) }),
    required: [
      ['a', 'an event catalog made by defineEventCatalog(), e.g. bookingEvents'],
      ['b', 'an event catalog made by defineEventCatalog(), e.g. bookingEvents'],
    ],
  },
  {
    factory: 'withCalendarFaults',
    positional: true,
    call: (args) => withCalendarFaults(args?.provider as never),
    valid: () => ({ provider: createMemoryCalendarProvider({ eventTypes: [] }) }),
    required: [['provider', 'a CalendarProvider, e.g. createMemoryCalendarProvider({ eventTypes })']],
  },
  {
    factory: 'createEventTypeCheck',
    call: (options) => createEventTypeCheck(options as never),
    valid: () => ({ calendar: fakeGateway(), ttlMs: 1_000, clock: fakeClock(), logger: silentLogger }),
    required: [
      ['calendar', GATEWAY],
      ['ttlMs', 'an integer from 0 to 86400000'],
      ['clock', CLOCK],
      ['logger', LOGGER],
    ],
  },
  {
    factory: 'registerCalendarSync',
    call: (context) => registerCalendarSync(newBus(), context as never),
    valid: () => {
      const stores = createMemoryStores();
      return {
        appointments: stores.appointments,
        unitOfWork: stores.unitOfWork,
        customers: stores.customers,
        bus: newBus(),
        calendar: fakeGateway(),
        clock: fakeClock(),
        logger: silentLogger,
      };
    },
    required: [
      ['appointments', APPOINTMENTS],
      ['unitOfWork', 'a UnitOfWork, e.g. stores.unitOfWork from createMemoryStores()'],
      ['customers', CUSTOMERS],
      ['bus', BUS],
      ['calendar', GATEWAY],
      ['clock', CLOCK],
      ['logger', LOGGER],
    ],
  },
  ...redisFactories.map(([factory, create]): RequiredOptionsCase => ({
    factory,
    call: (options) => create(options as never),
    valid: () => ({ client: fakeRedis() }),
    required: [['client', CLIENT]],
  })),
  ...postgresFactories.map(([factory, create]): RequiredOptionsCase => ({
    factory,
    call: (options) => create(options as never),
    valid: () => ({ sql: fakeSql() }),
    required: [['sql', SQL]],
  })),
];

describe.each(requiredOptionsCases)('$factory', ({ factory, call, valid, required, positional }) => {
  const [first, firstExpected] = required[0]!;

  it('names itself and its first required option when called without options', () => {
    expect(thrownBy(() => call(undefined)).message).toBe(
      positional
        ? `${factory}: option "${first}" is required (${firstExpected})`
        : `${factory}: an options object is required, with option "${first}" (${firstExpected})`,
    );
  });

  it.each(required)('names itself and the option when "%s" is missing', (option, expected) => {
    const error = thrownBy(() => call({ ...valid(), [option]: undefined }));
    expect(error.message).toBe(`${factory}: option "${option}" is required (${expected})`);
    expect(error).toMatchObject({ context: { factory, option } });
  });

  it('names itself, the option and the value when a required option is of the wrong kind', () => {
    expect(thrownBy(() => call({ ...valid(), [first]: 42 })).message).toBe(
      `${factory}: option "${first}" must be ${firstExpected}, got 42`,
    );
  });

  it('accepts the required options', () => {
    expect(() => call(valid())).not.toThrow();
  });
});

describe('a missing bus', () => {
  const registers: readonly [string, (bus: never, deps: never) => unknown][] = [
    ['registerAuditTrail', registerAuditTrail],
    ['registerAvailabilityInvalidation', registerAvailabilityInvalidation],
    ['registerBookingListeners', registerBookingListeners],
    ['registerCustomerStatistics', registerCustomerStatistics],
    ['registerNotifications', registerNotifications],
    ['registerCalendarSync', registerCalendarSync],
  ];

  it.each(registers)('is named by %s, before its other arguments', (factory, register) => {
    const missing = thrownBy(() => register(undefined as never, undefined as never));
    expect(missing.message).toBe(`${factory}: option "bus" is required (${BUS})`);
    expect(missing).toMatchObject({ context: { factory, option: 'bus' } });
    expect(thrownBy(() => register(42 as never, {} as never)).message).toBe(
      `${factory}: option "bus" must be ${BUS}, got 42`,
    );
  });
});

describe('a bad option of a shared breaker', () => {
  it('names circuitBreaker and the snapshot it could not read', () => {
    expect(thrownBy(() => circuitBreaker({ initialState: { state: 'sideways' } as never })).message).toMatch(
      /^circuitBreaker: option "initialState" must be a breaker snapshot \(.+\), got a value of type object$/,
    );
  });
});

describe('the tenants of the memory tenant directory', () => {
  it('are still validated as input: a bad tenant is a ValidationError naming its field', () => {
    let caught: unknown;
    try {
      createMemoryTenantDirectory({ tenants: [{ id: '' } as never] });
    } catch (error) {
      caught = error;
    }
    expect(isValidationError(caught)).toBe(true);
    expect(String((caught as Error).message)).toMatch(/tenants\.0\./);
  });
});
