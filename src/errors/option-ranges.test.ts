import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  bookingEvents,
  bulkhead,
  circuitBreaker,
  consecutiveFailures,
  constantBackoff,
  countWindow,
  createMemoryBreakerStateStore,
  defineEventCatalog,
  exponentialBackoff,
  mergeEventCatalogs,
  retry,
  sagaEventsToBus,
  slowCallRate,
  timeout,
  timeWindow,
  createAvailabilityService,
  createBookingService,
  createCustomerService,
  createEventBus,
  createLogNotifier,
  createMemoryAvailabilityCache,
  createMemoryCalendarProvider,
  createMemoryCustomerStatsStore,
  createMemoryIdempotencyStore,
  createMemoryLockService,
  createMemoryNotifier,
  createMemoryOutboxStore,
  createMemorySagaStore,
  createMemoryStores,
  createOutboxRelay,
  createSagaCoordinator,
  defineSaga,
  fallback,
  isInvalidOptionError,
  registerNotifications,
  silentLogger,
} from '../index.js';
import { createPostgresOutboxStore, createPostgresSagaStore, migrate } from '../adapters/postgres/index.js';
import {
  createRedisBreakerStateStore,
  createRedisInvalidationBroadcast,
  createRedisLockService,
} from '../adapters/redis/index.js';
import { createEventTypeCheck } from '../booking/service/event-type-check.js';
import { createWebhookHandler } from '../http/webhook-handler.js';
import { retellWebhookVerifier } from '../retell/verifier.js';
import { withCalendarFaults } from '../testing/faulty-calendar-provider.js';
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

describe('an option out of range', () => {
  const cases: readonly [factory: string, call: () => unknown, message: string][] = [
    [
      'createLogNotifier',
      () => createLogNotifier(silentLogger, { rememberKeys: 0 }),
      'option "rememberKeys" must be an integer from 1 to 10000000, got 0',
    ],
    [
      'createMemoryCustomerStatsStore',
      () => createMemoryCustomerStatsStore({ customers: createMemoryStores().customers, rememberEvents: 0 }),
      'option "rememberEvents" must be an integer from 1 to 100000000, got 0',
    ],
    [
      'createMemoryLockService',
      () => createMemoryLockService({ clock: 'now' as never }),
      'option "clock" must be a Clock, e.g. systemClock, got "now"',
    ],
    [
      'createMemoryStores',
      () => createMemoryStores({ lockTimeoutMs: 0 }),
      'option "lockTimeoutMs" must be an integer from 1 to 9007199254740991, got 0',
    ],
    [
      'createMemoryAvailabilityCache',
      () => createMemoryAvailabilityCache({ maxEntries: 0 }),
      'option "maxEntries" must be an integer from 1 to 9007199254740991, got 0',
    ],
    [
      'createRedisLockService',
      () => createRedisLockService({ client: fakeRedis(), prefix: '' }),
      'option "prefix" must be a non-empty string of at most 1000 characters, got ""',
    ],
    [
      'createRedisBreakerStateStore',
      () => createRedisBreakerStateStore({ client: fakeRedis(), keyTtlMs: 1 }),
      'option "keyTtlMs" must be an integer from 1000 to 31536000000, got 1',
    ],
    [
      'createRedisInvalidationBroadcast',
      () =>
        createRedisInvalidationBroadcast({ client: fakeRedis(), subscriber: fakeSubscriber(), channel: '' }),
      'option "channel" must be a non-empty string of at most 200 characters, got ""',
    ],
    [
      'createPostgresSagaStore',
      () => createPostgresSagaStore({ sql: fakeSql(), schema: 'Bad-Name' }),
      'option "schema" must be a lower-case SQL identifier (letters, digits, _; at most 63), got "Bad-Name"',
    ],
    [
      'createPostgresOutboxStore',
      () => createPostgresOutboxStore({ sql: fakeSql(), clock: 1 as never }),
      'option "clock" must be a Clock (now() and setTimer()), got 1',
    ],
    [
      'registerNotifications',
      () => {
        const stores = createMemoryStores();
        const deps = { notifier: createMemoryNotifier(), ...stores };
        return registerNotifications(newBus(), deps, { route: 'email' as never });
      },
      'option "route" must be a function, got "email"',
    ],
    [
      'createEventBus',
      () => createEventBus({ catalog: bookingEvents, historySize: -1 }),
      'option "historySize" must be an integer from 0 to 1000000, got -1',
    ],
    [
      'createOutboxRelay',
      () => {
        const outbox = createMemoryOutboxStore();
        return createOutboxRelay({
          bus: createEventBus({ catalog: bookingEvents, outbox }),
          store: outbox,
          batchSize: 0,
        });
      },
      'option "batchSize" must be an integer from 1 to 10000, got 0',
    ],
    [
      'createSagaCoordinator',
      () => createSagaCoordinator({ store: createMemorySagaStore(), sagas: [], leaseMs: 0 }),
      'option "leaseMs" must be a number from 1 to 86400000, got 0',
    ],
    [
      'createAvailabilityService',
      () =>
        createAvailabilityService({
          calendar: createMemoryCalendarProvider({ eventTypes: [] }),
          cache: createMemoryAvailabilityCache(),
          ttlMs: 0,
        }),
      'option "ttlMs" must be an integer from 1 to 86400000, got 0',
    ],
    [
      'createCustomerService',
      () =>
        createCustomerService({ customers: createMemoryStores().customers, defaultCountry: 'de' as never }),
      'option "defaultCountry" must be an ISO 3166 country code like DE, or a function, got "de"',
    ],
    [
      'createWebhookHandler',
      () =>
        createWebhookHandler({
          verify: () => ({ ok: true }) as never,
          handle: () => undefined,
          limitBytes: -1,
        }),
      'option "limitBytes" must be an integer from 0 to 9007199254740991, got -1',
    ],
    [
      'retellWebhookVerifier',
      () => retellWebhookVerifier('key_123', { toleranceMs: -5 }),
      'option "toleranceMs" must be an integer from 0 to 9007199254740991, got -5',
    ],
    [
      'fallback',
      () => fallback(() => [], { when: true as never }),
      'option "when" must be a function, got true',
    ],
    [
      'defineSaga',
      () => defineSaga({ name: '' }),
      'option "name" must be a non-empty string of at most 200 characters, got ""',
    ],
    ...bookingServiceCases(),
    ...breakerCases(),
    ...policyCases(),
    ...faultCases(),
    ...memoryAndCatalogCases(),
    ...sagaAndHttpCases(),
  ];

  it.each(cases)('names the factory %s', (factory, call, message) => {
    expect(thrownBy(call).message).toBe(`${factory}: ${message}`);
  });

  it('names defineSaga and the step when a step has no run function', () => {
    const saga = defineSaga({ name: 'transfer' });
    expect(thrownBy(() => saga.step('debit', {} as never)).message).toBe(
      'defineSaga: option "steps.debit.run" is required (a function)',
    );
    expect(thrownBy(() => saga.step('debit', undefined as never)).message).toBe(
      'defineSaga: option "steps.debit" is required (an object with a run function)',
    );
  });

  it('names migrate when it is given no SqlClient', async () => {
    const error: unknown = await migrate(undefined as never).catch((caught: unknown) => caught);
    expect(isInvalidOptionError(error) && error.message).toBe(`migrate: option "sql" is required (${SQL})`);
  });
});

type OutOfRangeCase = [factory: string, call: () => unknown, message: string];

function bookingServiceCases(): OutOfRangeCase[] {
  const service = (options: Record<string, unknown>) => () =>
    createBookingService({ ...bookingServiceOptions(), ...options });
  const factory = 'createBookingService';
  const stores = () => createMemoryStores();
  return [
    [factory, service({ alternatives: 21 }), 'option "alternatives" must be an integer from 0 to 20, got 21'],
    [
      factory,
      service({ eventTypeCacheTtlMs: -1 }),
      'option "eventTypeCacheTtlMs" must be an integer from 0 to 86400000, got -1',
    ],
    [
      factory,
      service({ idempotencyTtlMs: 1 }),
      'option "idempotencyTtlMs" must be an integer from 1000 to 9007199254740991, got 1',
    ],
    [
      factory,
      service({ idempotencyWaitMs: -1 }),
      'option "idempotencyWaitMs" must be an integer from 0 to 9007199254740991, got -1',
    ],
    [factory, service({ ids: 'uuid' }), 'option "ids" must be a function, got "uuid"'],
    [
      factory,
      service({ admission: { maxConcurrent: 0 } }),
      'option "admission.maxConcurrent" must be an integer from 1 to 1000000, got 0',
    ],
    [
      factory,
      service({ admission: { maxQueue: 1.5 } }),
      'option "admission.maxQueue" must be an integer from 0 to 1000000, got 1.5',
    ],
    [
      factory,
      service({ admission: { retryAfterMs: -1 } }),
      'option "admission.retryAfterMs" must be an integer from 0 to 3600000, got -1',
    ],
    [
      factory,
      service({ admission: true }),
      'option "admission" must be an object { maxConcurrent?, maxQueue?, retryAfterMs? }, a Policy (an object with execute()), or false, got true',
    ],
    [factory, service({ clock: 'now' }), `option "clock" must be ${CLOCK}, got "now"`],
    [factory, service({ logger: 1 }), `option "logger" must be ${LOGGER}, got 1`],
    [
      factory,
      service({ calendarPolicy: {} }),
      'option "calendarPolicy" must be a Policy (an object with execute()), e.g. wrap(circuitBreaker({ name: \'calendar\' }), timeout(10_000)), got a value of type object',
    ],
    [
      factory,
      service({ availability: {} }),
      'option "availability" must be an AvailabilityService, e.g. createAvailabilityService({ calendar, cache, ttlMs }), got a value of type object',
    ],
    [
      factory,
      service({ calendarSync: { maxAttempts: 0 } }),
      'option "calendarSync.maxAttempts" must be an integer from 1 to 1000000, got 0',
    ],
    [
      factory,
      service({ calendarSync: { delays: [] } }),
      'option "calendarSync.delays" must be a non-empty array of milliseconds, got an array of length 0',
    ],
    [
      factory,
      service({ calendarSync: { delays: [-1] } }),
      'option "calendarSync.delays[0]" must be a number from 0 to 2592000000, got -1',
    ],
    [
      factory,
      service({ stores: { ...stores(), appointments: undefined } }),
      'option "stores.appointments" is required (an AppointmentRepository, e.g. createMemoryStores().appointments)',
    ],
    [
      factory,
      service({ stores: { ...stores(), customers: {} } }),
      'option "stores.customers" must be a CustomerRepository, e.g. createMemoryStores().customers, got a value of type object',
    ],
    [
      factory,
      service({ stores: { ...stores(), unitOfWork: undefined } }),
      'option "stores.unitOfWork" is required (a UnitOfWork, e.g. createMemoryStores().unitOfWork)',
    ],
  ];
}

function breakerCases(): OutOfRangeCase[] {
  const breaker = (options: Record<string, unknown>) => () => circuitBreaker(options);
  const factory = 'circuitBreaker';
  const trip = () => undefined;
  return [
    [
      factory,
      breaker({ name: '' }),
      'option "name" must be a non-empty string of at most 200 characters, got ""',
    ],
    [
      factory,
      breaker({ store: createMemoryBreakerStateStore() }),
      'option "name" is required (a breaker name when a store is given: it is the key in the store)',
    ],
    [
      factory,
      breaker({ name: 'calendar', store: {} }),
      'option "store" must be a BreakerStateStore, e.g. createRedisBreakerStateStore({ client }), got a value of type object',
    ],
    [
      factory,
      breaker({ policy: {} }),
      'option "policy" must be a TripPolicy, e.g. consecutiveFailures(5) or countWindow({ size: 100 }), got a value of type object',
    ],
    [
      factory,
      breaker({ policy: { window: { kind: 'count', size: 0 }, trip } }),
      'option "policy.window.size" must be an integer from 1 to 10000, got 0',
    ],
    [
      factory,
      breaker({ policy: { window: { kind: 'hour' }, trip } }),
      'option "policy.window.kind" must be \'count\' or \'time\', got "hour"',
    ],
    [
      factory,
      breaker({ policy: { window: { kind: 'count', size: 5 }, slowCallDurationMs: 0, trip } }),
      'option "policy.slowCallDurationMs" must be a number from 1 to 3600000, got 0',
    ],
    [
      factory,
      breaker({ openDuration: 'soon' }),
      'option "openDuration" must be milliseconds or a Backoff, e.g. 60_000 or exponentialBackoff(), got "soon"',
    ],
    [
      factory,
      breaker({ openDuration: 0 }),
      'option "openDuration" must be a number from 1 to 86400000, got 0',
    ],
    [factory, breaker({ isFailure: 1 }), 'option "isFailure" must be a function, got 1'],
    [factory, breaker({ isFailureResult: 1 }), 'option "isFailureResult" must be a function, got 1'],
    [
      factory,
      breaker({ halfOpenMaxProbes: 0 }),
      'option "halfOpenMaxProbes" must be an integer from 1 to 1000, got 0',
    ],
    [
      factory,
      breaker({ halfOpenSuccessThreshold: 0 }),
      'option "halfOpenSuccessThreshold" must be an integer from 1 to 1000, got 0',
    ],
    [
      factory,
      breaker({ halfOpenMaxWaitMs: 0 }),
      'option "halfOpenMaxWaitMs" must be a number from 1 to 86400000, got 0',
    ],
    [factory, breaker({ minInstances: 0 }), 'option "minInstances" must be an integer from 1 to 1000, got 0'],
    [
      factory,
      breaker({ instanceId: '' }),
      'option "instanceId" must be a non-empty string of at most 100 characters, got ""',
    ],
    [factory, breaker({ cacheTtlMs: -1 }), 'option "cacheTtlMs" must be a number from 0 to 86400000, got -1'],
    [factory, breaker({ maxBatch: 0 }), 'option "maxBatch" must be an integer from 1 to 1000000, got 0'],
    [
      factory,
      breaker({ flushIntervalMs: -1 }),
      'option "flushIntervalMs" must be a number from 0 to 86400000, got -1',
    ],
    [
      factory,
      breaker({ storeTimeoutMs: 0 }),
      'option "storeTimeoutMs" must be a number from 1 to Infinity, got 0',
    ],
    [factory, breaker({ clock: 'now' }), `option "clock" must be ${CLOCK}, got "now"`],
    [factory, breaker({ logger: 1 }), `option "logger" must be ${LOGGER}, got 1`],
    [
      'consecutiveFailures',
      () => consecutiveFailures(0),
      'option "threshold" must be an integer from 1 to 10000, got 0',
    ],
    [
      'countWindow',
      () => countWindow({ size: 0 }),
      'option "size" must be an integer from 1 to 10000, got 0',
    ],
    [
      'countWindow',
      () => countWindow({ minimumCalls: 0 }),
      'option "minimumCalls" must be an integer from 1 to 1000000, got 0',
    ],
    [
      'countWindow',
      () => countWindow({ size: 10, minimumCalls: 20 }),
      'option "minimumCalls" must be at most the window size (10), got 20',
    ],
    [
      'countWindow',
      () => countWindow({ failureRateThreshold: 2 }),
      `option "failureRateThreshold" must be a number from ${Number.EPSILON} to 1, got 2`,
    ],
    [
      'timeWindow',
      () => timeWindow({ durationMs: 1 }),
      'option "durationMs" must be a number from 1000 to 86400000, got 1',
    ],
    [
      'timeWindow',
      () => timeWindow({ buckets: 0 }),
      'option "buckets" must be an integer from 1 to 120, got 0',
    ],
    [
      'timeWindow',
      () => timeWindow({ minimumCalls: 0 }),
      'option "minimumCalls" must be an integer from 1 to 1000000, got 0',
    ],
    [
      'slowCallRate',
      () => (slowCallRate as (options?: unknown) => unknown)(),
      'an options object is required, with option "slowCallDurationMs" (a number from 1 to 3600000)',
    ],
    [
      'slowCallRate',
      () => slowCallRate({} as never),
      'option "slowCallDurationMs" is required (a number from 1 to 3600000)',
    ],
    [
      'slowCallRate',
      () => slowCallRate({ slowCallDurationMs: 0 }),
      'option "slowCallDurationMs" must be a number from 1 to 3600000, got 0',
    ],
    [
      'slowCallRate',
      () => slowCallRate({ slowCallDurationMs: 1_000, minimumCalls: 0 }),
      'option "minimumCalls" must be an integer from 1 to 1000000, got 0',
    ],
    [
      'slowCallRate',
      () => slowCallRate({ slowCallDurationMs: 1_000, window: { kind: 'count', size: 10 } }),
      'option "minimumCalls" must be at most the window size (10), got 20',
    ],
    [
      'slowCallRate',
      () => slowCallRate({ slowCallDurationMs: 1_000, window: { kind: 'time', durationMs: 10 } as never }),
      'option "window.durationMs" must be a number from 1000 to 86400000, got 10',
    ],
  ];
}

function policyCases(): OutOfRangeCase[] {
  const retrying = (options: Record<string, unknown>) => () => retry(options);
  const backoff = (options: Record<string, unknown>) => () => exponentialBackoff(options);
  return [
    ['retry', retrying({ maxAttempts: 0 }), 'option "maxAttempts" must be an integer from 1 to 1000, got 0'],
    [
      'retry',
      retrying({ maxRetryAfterMs: -1 }),
      'option "maxRetryAfterMs" must be a number from 0 to 86400000, got -1',
    ],
    ['retry', retrying({ isTransient: 1 }), 'option "isTransient" must be a function, got 1'],
    ['retry', retrying({ onRetry: 1 }), 'option "onRetry" must be a function, got 1'],
    [
      'retry',
      retrying({ backoff: 1_000 }),
      'option "backoff" must be a Backoff (an object with a delay(n) method), e.g. exponentialBackoff(), got 1000',
    ],
    [
      'retry',
      retrying({ retryAfter: [1] }),
      'option "retryAfter" must be an array of extractor functions, e.g. [retryAfterHeader()], got an array of length 1',
    ],
    ['retry', retrying({ clock: 'now' }), `option "clock" must be ${CLOCK}, got "now"`],
    [
      'exponentialBackoff',
      backoff({ initialDelayMs: -1 }),
      'option "initialDelayMs" must be a number from 0 to 86400000, got -1',
    ],
    [
      'exponentialBackoff',
      backoff({ initialDelayMs: 1_000, maxDelayMs: 10 }),
      'option "maxDelayMs" must be a number from 1000 to 86400000, got 10',
    ],
    [
      'exponentialBackoff',
      backoff({ factor: 0.5 }),
      'option "factor" must be a number from 1 to 100, got 0.5',
    ],
    ['exponentialBackoff', backoff({ jitter: 2 }), 'option "jitter" must be a number from 0 to 1, got 2'],
    ['exponentialBackoff', backoff({ random: 1 }), 'option "random" must be a function, got 1'],
    [
      'constantBackoff',
      () => constantBackoff(-1),
      'option "delayMs" must be a number from 0 to 86400000, got -1',
    ],
    [
      'constantBackoff',
      () => constantBackoff(undefined as never),
      'option "delayMs" is required (a number from 0 to 86400000)',
    ],
    ['timeout', () => timeout(0), 'option "timeoutMs" must be a number from 1 to 2147483647, got 0'],
    [
      'timeout',
      () => timeout(undefined as never),
      'option "timeoutMs" is required (a number from 1 to 2147483647)',
    ],
    [
      'timeout',
      () => timeout(1_000, { clock: 'now' as never }),
      `option "clock" must be ${CLOCK}, got "now"`,
    ],
    [
      'bulkhead',
      () => bulkhead({ maxConcurrent: 0 }),
      'option "maxConcurrent" must be an integer from 1 to 1000000, got 0',
    ],
    [
      'bulkhead',
      () => bulkhead({ maxQueue: -1 }),
      'option "maxQueue" must be an integer from 0 to 1000000, got -1',
    ],
    [
      'bulkhead',
      () => bulkhead({ retryAfterMs: 3_600_001 }),
      'option "retryAfterMs" must be an integer from 0 to 3600000, got 3600001',
    ],
  ];
}

function faultCases(): OutOfRangeCase[] {
  const faults = () => withCalendarFaults(createMemoryCalendarProvider({ eventTypes: [] }));
  const factory = 'withCalendarFaults';
  const operations =
    'one of createBooking, findBookingByAppointmentId, rescheduleBooking, cancelBooking, listBookings, listBookingsUpdatedSince, getAvailableSlots, listEventTypes';
  return [
    [
      factory,
      () => faults().failNext('book' as never, new Error('x')),
      `option "operation" must be ${operations}, got "book"`,
    ],
    [factory, () => faults().calls(undefined as never), `option "operation" is required (${operations})`],
    [
      factory,
      () => faults().hangNext('createBooking', 0),
      'option "times" must be an integer from 1 to 1000000, got 0',
    ],
    [
      factory,
      () => faults().failNextAs('createBooking', 'meteor' as never),
      'option "kind" must be one of slot_taken, outside_hours, not_found, invalid_request, unavailable, rate_limited, timeout, got "meteor"',
    ],
  ];
}

function memoryAndCatalogCases(): OutOfRangeCase[] {
  const schema = z.object({ id: z.string() });
  return [
    [
      'createMemoryCalendarProvider',
      () => createMemoryCalendarProvider({ uid: 'uid' as never }),
      'option "uid" must be a function, got "uid"',
    ],
    [
      'createMemoryCalendarProvider',
      () => createMemoryCalendarProvider({ clock: 'now' as never }),
      `option "clock" must be ${CLOCK}, got "now"`,
    ],
    [
      'createMemoryOutboxStore',
      () => createMemoryOutboxStore({ retainDelivered: -1 }),
      'option "retainDelivered" must be an integer from 0 to 9007199254740991, got -1',
    ],
    [
      'createMemoryIdempotencyStore',
      () => createMemoryIdempotencyStore({ maxEntries: 0 }),
      'option "maxEntries" must be an integer from 1 to 10000000, got 0',
    ],
    [
      'createEventTypeCheck',
      () =>
        createEventTypeCheck({
          calendar: fakeGateway() as never,
          ttlMs: -1,
          clock: fakeClock(),
          logger: silentLogger,
        }),
      'option "ttlMs" must be an integer from 0 to 86400000, got -1',
    ],
    [
      'defineEventCatalog',
      () => defineEventCatalog({ '': schema }),
      'option "specs" must be an object whose event types are non-empty strings, got ""',
    ],
    [
      'defineEventCatalog',
      () => defineEventCatalog({ 'a.b': 42 as never }),
      'option "specs["a.b"]" must be a zod schema or { schema, version?, upcasters? }, got 42',
    ],
    [
      'defineEventCatalog',
      () => defineEventCatalog({ 'a.b': { schema: 'x' as never } }),
      'option "specs["a.b"].schema" must be a zod schema, got "x"',
    ],
    [
      'defineEventCatalog',
      () => defineEventCatalog({ 'a.b': { schema, version: 0 } }),
      'option "specs["a.b"].version" must be an integer of at least 1, got 0',
    ],
    [
      'defineEventCatalog',
      () => defineEventCatalog({ 'a.b': { schema, version: 2 } }),
      'option "specs["a.b"].upcasters[1]" is required (a function that turns version 1 data into version 2)',
    ],
    [
      'mergeEventCatalogs',
      () => mergeEventCatalogs(defineEventCatalog({ 'a.b': schema }), defineEventCatalog({ 'a.b': schema })),
      'option "b" must be a catalog with none of the event types of a, got "a.b"',
    ],
  ];
}

function sagaAndHttpCases(): OutOfRangeCase[] {
  const coordinator = (sagas: unknown) => () =>
    createSagaCoordinator({ store: createMemorySagaStore(), sagas: sagas as never });
  const handler = { verify: async () => ({ ok: true }) as never, handle: () => undefined };
  return [
    [
      'createSagaCoordinator',
      coordinator('transfer'),
      'option "sagas" must be an array of saga definitions (defineSaga), got "transfer"',
    ],
    [
      'createSagaCoordinator',
      coordinator([{}]),
      'option "sagas[0]" must be a saga definition made by defineSaga(), got a value of type object',
    ],
    [
      'createSagaCoordinator',
      coordinator([defineSaga({ name: 'transfer' })]),
      'option "sagas[0].steps" must be at least one step, got an array of length 0',
    ],
    [
      'sagaEventsToBus',
      () => sagaEventsToBus(newBus() as never, { fallbackTenantId: '' }),
      'option "fallbackTenantId" must be a non-empty string of at most 200 characters, got ""',
    ],
    [
      'createWebhookHandler',
      () => createWebhookHandler({ ...handler, statuses: { SLOT_TAKEN: 200 } }),
      'option "statuses.SLOT_TAKEN" must be an integer from 400 to 599, got 200',
    ],
  ];
}
