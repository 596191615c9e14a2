import { createMemoryAvailabilityCache } from '../adapters/memory/memory-availability-cache.js';
import {
  createMemoryCalendarProvider,
  type MemoryCalendarProvider,
} from '../adapters/memory/memory-calendar-provider.js';
import { createMemoryIdempotencyStore } from '../adapters/memory/memory-idempotency-store.js';
import { createMemorySagaStore } from '../adapters/memory/memory-saga-store.js';
import { createMemoryStores, type MemoryStores } from '../adapters/memory/memory-stores.js';
import { createMemoryTenantDirectory } from '../adapters/memory/memory-tenant-directory.js';
import {
  createAvailabilityService,
  type AvailabilityService,
} from '../booking/availability/availability-service.js';
import { bookingEvents, type BookingEvents } from '../booking/events.js';
import { registerAvailabilityInvalidation } from '../booking/listeners/availability-invalidation-listener.js';
import { admissionPolicy } from '../booking/service/admission.js';
import { createBookingService, type BookingService } from '../booking/service/booking-service.js';
import { createCustomerErasure, type CustomerErasure } from '../booking/customers/customer-erasure.js';
import { InvalidOptionError, isInvalidOptionError } from '../errors/invalid-option-error.js';
import { createEventBus, type EventBus } from '../events/event-bus.js';
import { createOutboxRelay, type OutboxRelay } from '../events/outbox-relay.js';
import type { IdempotencyStore } from '../idempotency/idempotency-store.js';
import type { Policy } from '../resilience/policy.js';
import type { CalendarProvider } from '../ports/calendar-provider.js';
import { systemClock, type Clock, type TimerHandle } from '../ports/clock.js';
import { silentLogger, type Logger } from '../ports/logger.js';
import type { SagaRecoveryReport } from '../saga/coordinator-types.js';
import type { SagaStore } from '../saga/saga-store.js';
import type { TenantDirectory } from '../tenancy/tenant-directory.js';
import type { Tenant } from '../tenancy/tenant.js';
import { checkNumberOption, requireOption } from '../util/options.js';
import type { BookingKitOptions, BookingKitStores, BookingKitTenant } from './booking-kit-options.js';
import { KitClosedError } from './errors.js';

const FACTORY = 'createBookingKit';

/** A working booking backend: its parts, and `start` / `close` for its lifetime. */
export interface BookingKit<
  Calendar extends CalendarProvider = MemoryCalendarProvider,
  Stores extends BookingKitStores = MemoryStores,
> {
  /**
   * The one entry point for booking commands. `close()` waits for the commands it is running;
   * its `dispose` is `close()`'s to call. After `close()` every command is refused with a
   * {@link KitClosedError}.
   */
  readonly service: BookingService;
  /**
   * The admission control of `service` (its `admission` option: by default a bulkhead of 64
   * running and 64 queued commands), or `undefined` with `admission: false`. A front end that
   * does work of its own for a command holds it around that work, so that a request refused for
   * overload has done none: `createBookingApi(kit)` admits each POST before it claims the
   * request's `Idempotency-Key`. A command sent while its caller's call is admitted runs in the
   * caller's slot, never in a second one.
   */
  readonly admission: Policy | undefined;
  /** The event bus over `bookingEvents`, writing queued listeners' messages to `stores.outbox`. */
  readonly bus: EventBus<BookingEvents>;
  /** Delivers queued listeners' messages; polls while the kit is started. */
  readonly relay: OutboxRelay;
  /** Repositories, outbox and unit of work. */
  readonly stores: Stores;
  /** Free slots (read through the cache) and alternatives; invalidated by a queued listener. */
  readonly availability: AvailabilityService;
  readonly calendar: Calendar;
  readonly tenants: TenantDirectory;
  readonly sagas: SagaStore;
  readonly idempotency: IdempotencyStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Erases one customer's personal data from every store in one transaction, and records
   * `customer.erased` (see {@link CustomerErasure.eraseCustomer}). Refused with a
   * {@link KitClosedError} after `close()`; `close()` waits for erasures in flight.
   */
  readonly eraseCustomer: CustomerErasure['eraseCustomer'];
  /**
   * Starts the relay (queued listeners, availability invalidation and deferred calendar syncs
   * run only while it runs) and finishes or compensates the sagas that an earlier process left
   * unfinished (`service.recover()`), then again every `recoveryIntervalMs` in the background
   * (sagas of another instance that died). Calling it again answers the same report.
   * @throws {@link KitClosedError} when the kit was closed: a closed kit does not start again.
   */
  start(): Promise<SagaRecoveryReport>;
  /**
   * Waits for the commands (and the recovery) in flight, stops the relay (aborting running
   * deliveries' signals and waiting for its round), and removes the kit's listeners from the
   * bus. Messages not yet delivered stay in the outbox for the next start (with a durable
   * store). Commands that arrive after it are refused with a {@link KitClosedError}.
   * Idempotent: every call answers the same promise.
   */
  close(): Promise<void>;
}

/**
 * Assembles a working booking backend in one call: event bus (over `bookingEvents`, with the
 * outbox of `stores`) and outbox relay, saga store, idempotency store, stores, tenant directory,
 * calendar, availability service with its invalidation listener, and the {@link BookingService}.
 * Every part not given is the embedded memory default, so `createBookingKit()` works as it is;
 * a Postgres deployment passes its adapters (see {@link BookingKitOptions}).
 *
 * The relay must run (`start()`) for queued listeners and deferred calendar syncs. Call
 * `start()` once the process is ready, and `close()` on shutdown.
 *
 * @throws {@link InvalidOptionError} naming `createBookingKit` and the option, for a part of the
 *   wrong kind or an out-of-range number; {@link ValidationError} naming the field of a bad
 *   tenant or event type (e.g. `tenants.0.timeZone`).
 * @example
 * ```ts
 * declare const command: BookCommand;
 * // ---cut---
 * const kit = createBookingKit({
 *   tenants: [{ id: 'acme', name: 'Acme', timeZone: 'Europe/Berlin' }],
 *   eventTypes: [{ tenantId: 'acme', id: 'consult', durationMinutes: 30, timeZone: 'Europe/Berlin',
 *     weeklyHours: { monday: [{ start: '09:00', end: '17:00' }] } }],
 * });
 * kit.bus.on('appointment.booked', (event) => console.log('booked', event.data.start));
 * await kit.start();
 * const { appointment } = await kit.service.book(command);
 * await kit.close();
 * ```
 */
export function createBookingKit<
  Calendar extends CalendarProvider = MemoryCalendarProvider,
  Stores extends BookingKitStores = MemoryStores,
>(options: BookingKitOptions<Calendar, Stores> = {}): BookingKit<Calendar, Stores> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', options, 'an options object, or none', { factory: FACTORY });
  }
  const part = <K extends Extract<keyof BookingKitOptions<Calendar, Stores>, string>>(
    name: K,
    expected: string,
    isValid: (value: unknown) => boolean,
  ): BookingKitOptions<Calendar, Stores>[K] =>
    options[name] === undefined
      ? (undefined as BookingKitOptions<Calendar, Stores>[K])
      : requireOption(FACTORY, options, name, expected, isValid);

  const clock =
    part('clock', 'a Clock, e.g. systemClock', (v) => hasMethods(v, 'now', 'setTimer')) ?? systemClock;
  const logger =
    part('logger', 'a Logger (pino-compatible), e.g. silentLogger', (v) =>
      hasMethods(v, 'trace', 'debug', 'info', 'warn', 'error'),
    ) ?? silentLogger;
  const givenStores = part('stores', 'the stores, e.g. createPostgresStores({ sql })', isStores);
  const givenSagas = part('sagas', 'a SagaStore, e.g. createPostgresSagaStore({ sql })', (v) =>
    hasMethods(v, 'create', 'save', 'claim'),
  );
  const givenIdempotency = part(
    'idempotency',
    'an IdempotencyStore, e.g. createPostgresIdempotencyStore({ sql })',
    (v) => hasMethods(v, 'begin', 'complete', 'release'),
  );
  const givenCalendar = part('calendar', 'a CalendarProvider, e.g. the Cal.com provider', (v) =>
    hasMethods(v, 'createBooking', 'findBookingByAppointmentId', 'getAvailableSlots', 'listEventTypes'),
  );
  const givenCache = part(
    'availabilityCache',
    'an AvailabilityCache, e.g. createRedisAvailabilityCache({ client })',
    (v) => hasMethods(v, 'get', 'set', 'invalidateTags'),
  );
  const relayOptions = part(
    'relay',
    'an object of relay options, e.g. { pollIntervalMs: 500 }',
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  );
  const eventTypes = part('eventTypes', 'an array of event types', Array.isArray) ?? [];
  if (givenCalendar !== undefined && options.eventTypes !== undefined) {
    throw new InvalidOptionError(
      'eventTypes',
      options.eventTypes,
      'left out when "calendar" is given: eventTypes seed the memory calendar, used without "calendar"',
      { factory: FACTORY },
    );
  }
  const tenantsOption = part(
    'tenants',
    'an array of tenants, or a TenantDirectory, e.g. createPostgresTenantDirectory({ sql })',
    (v) => Array.isArray(v) || hasMethods(v, 'get', 'findByPhoneNumber', 'findByApiKey', 'findByRouteKey'),
  );
  const availabilityTtlMs =
    options.availabilityTtlMs === undefined
      ? 300_000
      : checkNumberOption(
          'availabilityTtlMs',
          options.availabilityTtlMs,
          { min: 1, max: 86_400_000, integer: true },
          { factory: FACTORY },
        );

  const recoveryIntervalMs =
    options.recoveryIntervalMs === undefined
      ? 60_000
      : checkNumberOption(
          'recoveryIntervalMs',
          options.recoveryIntervalMs,
          { min: 0, max: 86_400_000, integer: true },
          { factory: FACTORY },
        );

  const tenants: TenantDirectory = Array.isArray(tenantsOption)
    ? createMemoryTenantDirectory({ tenants: tenantsOption.map(withTenantDefaults) })
    : ((tenantsOption as TenantDirectory | undefined) ?? createMemoryTenantDirectory({ tenants: [] }));
  const calendar = (givenCalendar ??
    createMemoryCalendarProvider({ clock, eventTypes: [...eventTypes] })) as Calendar;
  const stores = (givenStores ?? createMemoryStores({ clock })) as Stores;
  // The stores' own saga log, when they have one, shares their transactions: a book commits twice.
  const sagas = givenSagas ?? stores.sagas ?? createMemorySagaStore();
  // Likewise their idempotency store: a book claims and answers its key in its own transactions.
  const idempotency = givenIdempotency ?? stores.idempotency ?? createMemoryIdempotencyStore();
  const bus = createEventBus({ catalog: bookingEvents, outbox: stores.outbox, clock, logger });
  const relay = renamingOptions('relay.', () =>
    createOutboxRelay({ ...relayOptions, bus, store: stores.outbox, clock, logger }),
  );
  const availability = renamingOptions('', () =>
    createAvailabilityService({
      calendar,
      cache: givenCache ?? createMemoryAvailabilityCache({ clock }),
      ttlMs: availabilityTtlMs,
      clock,
      logger,
    }),
  );
  // Made here rather than by the service, so that the kit can hand it to front ends (the REST API).
  const admission = admissionPolicy(options.admission, FACTORY);
  const core = renamingOptions('', () =>
    createBookingService({
      ...serviceOptionsOf(options),
      admission: admission ?? false,
      stores,
      tenants,
      calendar,
      bus,
      sagas,
      idempotency,
      availability,
      clock,
      logger,
    }),
  );
  const invalidation = registerAvailabilityInvalidation(bus, { availability });
  const erasure = createCustomerErasure({ stores, bus, tenants, clock, logger });

  const inFlight = new Set<Promise<unknown>>();
  let closed: Promise<void> | undefined;
  /** Runs a command unless the kit is closed, and remembers it until it settles. */
  const track = <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new KitClosedError({ operation }));
    const promise = run();
    inFlight.add(promise);
    const forget = (): void => void inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  };
  const service: BookingService = {
    book: (command, callOptions) => track('book', () => core.book(command, callOptions)),
    reschedule: (command, callOptions) => track('reschedule', () => core.reschedule(command, callOptions)),
    cancel: (command, callOptions) => track('cancel', () => core.cancel(command, callOptions)),
    confirm: (command, callOptions) => track('confirm', () => core.confirm(command, callOptions)),
    markNoShow: (command, callOptions) => track('markNoShow', () => core.markNoShow(command, callOptions)),
    syncToCalendar: (command, callOptions) =>
      track('syncToCalendar', () => core.syncToCalendar(command, callOptions)),
    recover: (recoverOptions) => track('recover', () => core.recover(recoverOptions)),
    coordinator: core.coordinator,
    dispose: () => core.dispose(),
  };

  let started: Promise<SagaRecoveryReport> | undefined;
  let recoveryTimer: TimerHandle | undefined;
  /** Runs the recovery again every `recoveryIntervalMs` (in the background) until the kit closes. */
  const scheduleRecovery = (): void => {
    if (recoveryIntervalMs === 0 || closed) return;
    recoveryTimer = clock.setTimer(
      () => {
        if (closed) return;
        service
          .recover()
          .then(
            (report) => {
              if (report.claimed > 0)
                logger.info({ recovered: report }, 'recovered sagas whose lease expired');
            },
            (error: unknown) => {
              if (!closed) logger.warn({ err: error }, 'saga recovery failed; it runs again later');
            },
          )
          .finally(scheduleRecovery);
      },
      recoveryIntervalMs,
      { background: true },
    );
  };
  return {
    service,
    admission,
    bus,
    relay,
    stores,
    availability,
    calendar,
    tenants,
    sagas,
    idempotency,
    clock,
    logger,
    eraseCustomer: (tenantId, customerId, eraseOptions) =>
      track('eraseCustomer', () => erasure.eraseCustomer(tenantId, customerId, eraseOptions)),
    start() {
      if (closed) return Promise.reject(new KitClosedError({ operation: 'start' }));
      if (!started) {
        relay.start();
        const recovering = service.recover();
        // A failed recovery may be retried by calling start() again.
        recovering.then(scheduleRecovery, () => {
          if (started === recovering) started = undefined;
        });
        started = recovering;
      }
      return started;
    },
    close() {
      closed ??= (async () => {
        recoveryTimer?.clear();
        await Promise.allSettled([...inFlight]);
        await relay.stop();
        core.dispose();
        invalidation.dispose();
      })();
      return closed;
    },
  };
}

/** The pass-through options of the booking service that were given. */
function serviceOptionsOf(options: BookingKitOptions<CalendarProvider, BookingKitStores>) {
  const {
    alternatives,
    calendarPolicy,
    calendarSync,
    eventTypeCacheTtlMs,
    idempotencyTtlMs,
    idempotencyWaitMs,
    ids,
  } = options;
  return Object.fromEntries(
    Object.entries({
      alternatives,
      calendarPolicy,
      calendarSync,
      eventTypeCacheTtlMs,
      idempotencyTtlMs,
      idempotencyWaitMs,
      ids,
    }).filter(([, value]) => value !== undefined),
  );
}

/**
 * Runs a part's factory with options the kit passed through, and reports a bad one as the kit's
 * option (`relay.batchSize`), so the message names the factory and the option that the caller used.
 */
function renamingOptions<T>(prefix: string, create: () => T): T {
  try {
    return create();
  } catch (error) {
    if (!isInvalidOptionError(error)) throw error;
    const { option, value, expected } = error.context;
    throw new InvalidOptionError(`${prefix}${option}`, value, expected, { factory: FACTORY });
  }
}

function withTenantDefaults(tenant: BookingKitTenant): Tenant {
  if (typeof tenant !== 'object' || tenant === null) return tenant;
  return {
    name: tenant.id,
    status: 'active',
    timeZone: 'UTC',
    calendarUnavailablePolicy: 'fail',
    locale: 'en',
    phoneNumbers: [],
    apiKeyHashes: [],
    routeKeys: [],
    ...tenant,
  };
}

function hasMethods(value: unknown, ...names: string[]): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function')
  );
}

function isStores(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stores = value as Partial<Record<keyof BookingKitStores, unknown>>;
  return (
    hasMethods(stores.unitOfWork, 'run') &&
    hasMethods(stores.outbox, 'append', 'claim') &&
    typeof stores.appointments === 'object' &&
    stores.appointments !== null &&
    typeof stores.customers === 'object' &&
    stores.customers !== null &&
    typeof stores.calls === 'object' &&
    stores.calls !== null
  );
}
