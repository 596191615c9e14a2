import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import type { IdempotencyStore } from '../../idempotency/idempotency-store.js';
import type { EventBus } from '../../events/event-bus.js';
import type { AppointmentRepository } from '../../ports/appointment-repository.js';
import type { CalendarProvider } from '../../ports/calendar-provider.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { BulkheadOptions } from '../../resilience/bulkhead.js';
import type { Policy } from '../../resilience/policy.js';
import type { SagaStore } from '../../saga/saga-store.js';
import type { TenantDirectory } from '../../tenancy/tenant-directory.js';
import {
  checkClockOption,
  checkFunctionOption,
  checkLoggerOption,
  checkNumberOption,
  hasMethods,
  numberOption,
  optionalOption,
  requireOption,
} from '../../util/options.js';
import type { AvailabilityService } from '../availability/availability-service.js';
import type { BookingEvents } from '../events.js';
import type { CalendarSyncOptions } from './calendar-sync-listener.js';

/** The stores the booking service writes through (see `createMemoryStores` / `createPostgresStores`). */
export interface BookingStores {
  readonly appointments: AppointmentRepository;
  readonly customers: CustomerRepository;
  /**
   * Writes an appointment and its outbox messages atomically; its outbox must be the bus's. When
   * its transactions also carry the saga log (`tx.sagas`, as Postgres units of work do) and that
   * log is the service's `sagas` (`stores.sagas`), a book commits twice instead of once per step.
   */
  readonly unitOfWork: UnitOfWork<{ readonly sagas?: SagaStore; readonly idempotency?: IdempotencyStore }>;
  /**
   * The saga log the unit of work's transactions write to, if they carry one
   * (`createPostgresStores().sagas`). Passing the same store as the service's `sagas` lets the
   * sagas' local steps record their completion in their own transactions. @default none
   */
  readonly sagas?: SagaStore;
  /**
   * The idempotency store the unit of work's transactions write to, if they carry one
   * (`createPostgresStores().idempotency`). Passed as the service's `idempotency` too, with the
   * saga log joined as well, a book claims its key in its first transaction and stores its answer
   * in its last. @default none
   */
  readonly idempotency?: IdempotencyStore;
}

/** Options of {@link createBookingService}. */
export interface BookingServiceOptions {
  readonly stores: BookingStores;
  readonly tenants: TenantDirectory;
  readonly calendar: CalendarProvider;
  /** The bus, created with the same outbox store as `stores.unitOfWork` writes to. */
  readonly bus: EventBus<BookingEvents>;
  /** The saga log; `stores.sagas` lets the log join the unit of work's transactions. */
  readonly sagas: SagaStore;
  readonly idempotency: IdempotencyStore;
  /** Finds alternatives to offer when a slot is taken. @default none: conflicts carry no alternatives */
  readonly availability?: AvailabilityService;
  /** How many alternatives a slot conflict offers. @default 3 */
  readonly alternatives?: number;
  /**
   * The policy every calendar call runs under.
   * @default wrap(circuitBreaker({ name: 'calendar' }), timeout(10_000)): the breaker outside the
   * timeout, so that a call that times out counts against it
   */
  readonly calendarPolicy?: Policy;
  /**
   * Retry schedule of deferred calendar syncs (tenant policy `queue`). The outbox relay must run
   * (`relay.start()`, or `kit.start()` of `createBookingKit`) for queued listeners and deferred
   * calendar syncs; until it does, their messages wait in the outbox.
   */
  readonly calendarSync?: CalendarSyncOptions;
  /**
   * How long a tenant's list of calendar event types is used to check commands (event type and
   * duration) before it is fetched again, in ms; an unknown event type fetches it again at once.
   * @default 300_000
   */
  readonly eventTypeCacheTtlMs?: number;
  /** How long an idempotency key remembers its result, in ms. @default 86_400_000 */
  readonly idempotencyTtlMs?: number;
  /**
   * How long a duplicate command (same idempotency key) that arrives while the first one still
   * runs waits for it, in ms, to answer with its result (`replayed: true`). A voice agent's
   * retried function call or a redelivered webhook arrives seconds after the first, while a
   * book can take up to the calendar timeout (10 s): 15 s covers that plus the database work.
   * When the wait runs out, or with `0`, the duplicate fails with `IdempotencyInProgressError`.
   * @default 15_000
   */
  readonly idempotencyWaitMs?: number;
  /**
   * Admission control of this instance: at most `maxConcurrent` commands (book, reschedule,
   * cancel, confirm, markNoShow; not `recover`) run at once, up to `maxQueue` more wait first in,
   * first out, and any command beyond that is refused at once with a `BulkheadRejectedError`
   * (503 with `Retry-After` from `problemResponse`) before anything is written. Under overload
   * the excess is shed instead of every command slowing down together, so admitted commands stay
   * near the service time. A queued command whose signal aborts leaves the queue. A command is
   * validated before it is admitted. Pass a `Policy` (e.g. a `bulkhead()` shared by several
   * services) to admit commands your way; it runs each command with the signal it hands on.
   *
   * The defaults suit a 20-connection Postgres pool and a calendar answering in 100-500 ms: a
   * command holds a connection only for its short transactions, so 64 running commands leave most
   * of the pool free, and a queue of 64 makes an admitted command wait at most about one service
   * time. Raise `maxQueue` to ride out longer bursts at the cost of latency.
   * @default { maxConcurrent: 64, maxQueue: 64, retryAfterMs: 1_000 }
   */
  readonly admission?: BulkheadOptions | Policy | false;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** Makes new appointment ids. @default uuidv7 */
  readonly ids?: () => string;
}

/** The factory these options belong to, as errors name it. @internal */
export const FACTORY = 'createBookingService';

/** The stores the booking service uses, each with a method it must have. */
const STORE_MEMBERS = [
  ['appointments', 'an AppointmentRepository', 'get'],
  ['customers', 'a CustomerRepository', 'get'],
  ['unitOfWork', 'a UnitOfWork', 'run'],
] as const;

/** Checks each store the service uses, naming it as `stores.<name>`. */
function checkStores(stores: BookingStores): void {
  for (const [name, kind, method] of STORE_MEMBERS) {
    const store: unknown = stores[name];
    if (!hasMethods(method)(store)) {
      throw new InvalidOptionError(`stores.${name}`, store, `${kind}, e.g. createMemoryStores().${name}`, {
        factory: FACTORY,
      });
    }
  }
}

/** Checks the retry schedule of deferred calendar syncs, naming it as `calendarSync.<option>`. */
function checkCalendarSync(sync: CalendarSyncOptions | undefined): void {
  if (sync === undefined) return;
  const details = { factory: FACTORY };
  requireOption(
    FACTORY,
    { calendarSync: sync },
    'calendarSync',
    'an object { delays?, maxAttempts? }',
    (value) => typeof value === 'object',
  );
  const { delays, maxAttempts } = sync;
  if (delays !== undefined) {
    if (!Array.isArray(delays) || delays.length === 0) {
      throw new InvalidOptionError(
        'calendarSync.delays',
        delays,
        'a non-empty array of milliseconds',
        details,
      );
    }
    delays.forEach((delay, i) =>
      checkNumberOption(`calendarSync.delays[${i}]`, delay, { max: 86_400_000 * 30 }, details),
    );
  }
  numberOption(
    'calendarSync.maxAttempts',
    maxAttempts,
    1,
    { integer: true, min: 1, max: 1_000_000 },
    details,
  );
}

/** The options of {@link createBookingService} with their defaults applied. @internal */
export interface ResolvedBookingServiceOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly alternatives: number;
  readonly eventTypeCacheTtlMs: number;
  readonly idempotencyTtlMs: number;
  readonly idempotencyWaitMs: number;
}

/**
 * Checks every option of {@link createBookingService} (a missing dependency or a value out of
 * range is refused with an `InvalidOptionError` naming the factory and the option) and applies the
 * defaults of the plain values.
 *
 * @internal
 */
export function resolveBookingServiceOptions(options: BookingServiceOptions): ResolvedBookingServiceOptions {
  const required = (name: keyof BookingServiceOptions, expected: string): void =>
    void requireOption(FACTORY, options, name, expected);
  required('stores', 'the stores, e.g. createMemoryStores()');
  required('tenants', 'a TenantDirectory, e.g. createMemoryTenantDirectory({ tenants })');
  required('calendar', 'a CalendarProvider, e.g. createMemoryCalendarProvider({ eventTypes })');
  required('bus', 'an EventBus over bookingEvents, e.g. createEventBus({ catalog: bookingEvents, outbox })');
  required('sagas', 'a SagaStore, e.g. createMemorySagaStore()');
  required('idempotency', 'an IdempotencyStore, e.g. createMemoryIdempotencyStore()');
  checkStores(options.stores);
  const details = { factory: FACTORY };
  checkClockOption(options.clock, details);
  checkLoggerOption(options.logger, details);
  checkFunctionOption('ids', options.ids, false, details);
  optionalOption(
    FACTORY,
    options,
    'calendarPolicy',
    "a Policy (an object with execute()), e.g. wrap(circuitBreaker({ name: 'calendar' }), timeout(10_000))",
    hasMethods('execute'),
  );
  optionalOption(
    FACTORY,
    options,
    'availability',
    'an AvailabilityService, e.g. createAvailabilityService({ calendar, cache, ttlMs })',
    hasMethods('findAlternatives'),
  );
  checkCalendarSync(options.calendarSync);
  const alternatives = numberOption(
    'alternatives',
    options.alternatives,
    3,
    { integer: true, max: 20 },
    details,
  );
  const eventTypeCacheTtlMs = numberOption(
    'eventTypeCacheTtlMs',
    options.eventTypeCacheTtlMs,
    300_000,
    { integer: true, max: 86_400_000 },
    details,
  );
  const idempotencyTtlMs = numberOption(
    'idempotencyTtlMs',
    options.idempotencyTtlMs,
    86_400_000,
    { integer: true, min: 1_000 },
    details,
  );
  const idempotencyWaitMs = numberOption(
    'idempotencyWaitMs',
    options.idempotencyWaitMs,
    15_000,
    { integer: true },
    details,
  );
  return {
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    alternatives,
    eventTypeCacheTtlMs,
    idempotencyTtlMs,
    idempotencyWaitMs,
  };
}
