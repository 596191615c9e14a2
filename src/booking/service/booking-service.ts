import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { parseWith } from '../../errors/validation-error.js';
import type { EventBus } from '../../events/event-bus.js';
import { idempotent } from '../../idempotency/idempotent.js';
import { fingerprint } from '../../idempotency/fingerprint.js';
import type { IdempotencyStore } from '../../idempotency/idempotency-store.js';
import type { AppointmentRepository } from '../../ports/appointment-repository.js';
import type { CalendarProvider } from '../../ports/calendar-provider.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import type { SagaStore } from '../../saga/saga-store.js';
import type { TenantDirectory } from '../../tenancy/tenant-directory.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import { circuitBreaker } from '../../resilience/breaker/circuit-breaker.js';
import type { BulkheadOptions } from '../../resilience/bulkhead.js';
import { signalOrNever, type Policy } from '../../resilience/policy.js';
import { timeout } from '../../resilience/timeout.js';
import { wrap } from '../../resilience/wrap.js';
import { createSagaCoordinator } from '../../saga/coordinator.js';
import type { SagaCoordinator, SagaRecoveryReport } from '../../saga/coordinator-types.js';
import { sagaEventsToBus } from '../../saga/saga-events-to-bus.js';
import { resolveTenant } from '../../tenancy/resolve-tenant.js';
import type { Tenant } from '../../tenancy/tenant.js';
import type { OperationOptions } from '../../util/abort.js';
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
import { uuidv7 } from '../../util/uuid.js';
import type { AvailabilityService } from '../availability/availability-service.js';
import { createCustomerService } from '../customers/customer-service.js';
import type { BookingEvents } from '../events.js';
import { Appointment } from '../../domain/appointment.js';
import { admissionPolicy } from './admission.js';
import { createBookSaga } from './book-saga.js';
import type { BookingContext } from './booking-context.js';
import { createCalendarGateway } from './calendar-gateway.js';
import { registerCalendarSync, type CalendarSyncOptions } from './calendar-sync-listener.js';
import { createCancelSaga } from './cancel-saga.js';
import { createEventTypeCheck } from './event-type-check.js';
import {
  BookCommand,
  CancelCommand,
  ConfirmCommand,
  MarkNoShowCommand,
  RescheduleCommand,
  type BookCommand as BookCommandInput,
  type CancelCommand as CancelCommandInput,
  type ConfirmCommand as ConfirmCommandInput,
  type MarkNoShowCommand as MarkNoShowCommandInput,
  type RescheduleCommand as RescheduleCommandInput,
} from './commands.js';
import {
  runBook,
  runCancel,
  runConfirm,
  runMarkNoShow,
  runReschedule,
  type CommandDeps,
} from './command-handlers.js';
import { createRescheduleSaga } from './reschedule-saga.js';

/** The stores the booking service writes through (see `createMemoryStores` / `createPostgresStores`). */
export interface BookingStores {
  readonly appointments: AppointmentRepository;
  readonly customers: CustomerRepository;
  /** Writes an appointment and its outbox messages atomically; its outbox must be the bus's. */
  readonly unitOfWork: UnitOfWork;
}

/** Options of {@link createBookingService}. */
export interface BookingServiceOptions {
  readonly stores: BookingStores;
  readonly tenants: TenantDirectory;
  readonly calendar: CalendarProvider;
  /** The bus, created with the same outbox store as `stores.unitOfWork` writes to. */
  readonly bus: EventBus<BookingEvents>;
  /** The saga log. */
  readonly sagas: SagaStore;
  readonly idempotency: IdempotencyStore;
  /** Finds alternatives to offer when a slot is taken. @default none: conflicts carry no alternatives */
  readonly availability?: AvailabilityService;
  /** How many alternatives a slot conflict offers. @default 3 */
  readonly alternatives?: number;
  /**
   * The policy every calendar call runs under.
   * @default wrap(timeout(10_000), circuitBreaker({ name: 'calendar' }))
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

/** What every command answers. */
export interface BookingResult {
  /** The appointment after the command (as it was then, for a replay). */
  readonly appointment: Appointment;
  /**
   * `synced`: the calendar has the change. `queued`: the calendar was unavailable and the change
   * is retried in the background (tenant policy `queue`); tell the caller the request was received.
   * The outbox relay must run (`relay.start()`, or `kit.start()` of `createBookingKit`) for queued
   * listeners and deferred calendar syncs; until it does, their messages wait in the outbox.
   * `not_needed`: the change came from the calendar, or does not concern it.
   */
  readonly calendar: 'synced' | 'queued' | 'not_needed';
  /** `true` when this is the stored answer to an earlier command with the same idempotency key. */
  readonly replayed: boolean;
}

/**
 * The one entry point for booking commands, whatever their source (API, voice agent, calendar
 * webhook, admin, reconciliation). Each command is validated, tenant-resolved, idempotent on its
 * key, and carried out as a saga across the local database and the calendar, with its events
 * written in the same transaction as the change.
 */
export interface BookingService {
  /**
   * Books an appointment: hold, calendar, confirm.
   * @throws {@link ValidationError}, {@link UnknownTenantError}, {@link SlotConflictError} (with
   * alternatives), {@link CalendarUnavailableError} (tenant policy `fail`),
   * `IdempotencyMismatchError`, `IdempotencyInProgressError` (a duplicate whose first run did not
   * finish within `idempotencyWaitMs`), `BulkheadRejectedError` (refused by `admission`: nothing
   * was written; try again after `context.retryAfterMs`).
   */
  book(command: BookCommandInput, options?: OperationOptions): Promise<BookingResult>;
  /** Moves an appointment. @throws as `book`, and {@link NotFoundError}, {@link InvalidTransitionError}. */
  reschedule(command: RescheduleCommandInput, options?: OperationOptions): Promise<BookingResult>;
  /** Cancels an appointment; cancelling a cancelled one answers it unchanged. */
  cancel(command: CancelCommandInput, options?: OperationOptions): Promise<BookingResult>;
  /** Confirms a pending appointment. */
  confirm(command: ConfirmCommandInput, options?: OperationOptions): Promise<BookingResult>;
  /** Marks a confirmed appointment that has started as a no-show. */
  markNoShow(command: MarkNoShowCommandInput, options?: OperationOptions): Promise<BookingResult>;
  /** Finishes or compensates the sagas of instances that died; call at start-up and periodically. */
  recover(options?: OperationOptions): Promise<SagaRecoveryReport>;
  /** The saga coordinator, to list sagas by state for operators. */
  readonly coordinator: SagaCoordinator;
  /** Removes the calendar-sync listener from the bus. */
  dispose(): void;
}

const FACTORY = 'createBookingService';

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

/**
 * Creates the booking service.
 *
 * @throws {@link InvalidOptionError} for a missing dependency or an out-of-range option.
 * @example
 * ```ts
 * declare const tenants: TenantDirectory;
 * declare const eventTypes: MemoryCalendarEventTypeInput[];
 * // ---cut---
 * const stores = createMemoryStores();
 * const bus = createEventBus({ catalog: bookingEvents, outbox: stores.outbox });
 * const service = createBookingService({
 *   stores, bus, tenants, calendar: createMemoryCalendarProvider({ eventTypes }),
 *   sagas: createMemorySagaStore(), idempotency: createMemoryIdempotencyStore(),
 * });
 * const { appointment } = await service.book({
 *   tenantId: 'acme', origin: 'voice', actor: { type: 'agent', id: 'agent_1' }, idempotencyKey: 'call_1:book',
 *   eventTypeId: 'consultation', start: '2026-01-05T09:00:00.000Z', end: '2026-01-05T09:30:00.000Z',
 *   timeZone: 'Europe/Berlin', customer: { name: 'Ana', phone: '+493012345678' },
 * });
 * ```
 */
export function createBookingService(options: BookingServiceOptions): BookingService {
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
    "a Policy (an object with execute()), e.g. wrap(timeout(10_000), circuitBreaker({ name: 'calendar' }))",
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
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
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
  const admission = admissionPolicy(options.admission, FACTORY);
  const policy =
    options.calendarPolicy ?? wrap(timeout(10_000, { clock }), circuitBreaker({ name: 'calendar', clock }));
  const { stores, bus } = options;

  const context: BookingContext = {
    appointments: stores.appointments,
    unitOfWork: stores.unitOfWork,
    bus,
    calendar: createCalendarGateway(options.calendar, policy),
    clock,
    logger,
  };
  const sagas = {
    book: createBookSaga(context),
    reschedule: createRescheduleSaga(context),
    cancel: createCancelSaga(context),
  };
  const coordinator = createSagaCoordinator({
    store: options.sagas,
    sagas: [sagas.book, sagas.reschedule, sagas.cancel],
    clock,
    logger,
    events: sagaEventsToBus(bus),
  });
  const syncListener = registerCalendarSync(
    bus,
    { ...context, customers: stores.customers },
    options.calendarSync,
  );

  const deps: CommandDeps = {
    context,
    coordinator,
    sagas,
    customers: createCustomerService({ customers: stores.customers, clock }),
    customerRepository: stores.customers,
    availability: options.availability,
    alternatives,
    ids: options.ids ?? (() => uuidv7(clock.now())),
    eventTypes: createEventTypeCheck({
      calendar: context.calendar,
      ttlMs: eventTypeCacheTtlMs,
      clock,
      logger,
    }),
    sagaStore: options.sagas,
  };

  function guarded<C extends { tenantId: string; idempotencyKey: string }>(
    command: string,
    schema: { safeParse(input: unknown): unknown },
    handler: (
      deps: CommandDeps,
      command: C,
      tenant: Tenant,
      signal: AbortSignal | undefined,
    ) => Promise<Omit<BookingResult, 'replayed'>>,
  ) {
    const run = async (parsed: C, signal: AbortSignal | undefined): Promise<BookingResult> => {
      const callOptions: OperationOptions = signal ? { signal } : {};
      const tenant = await resolveTenant(options.tenants, { tenantId: parsed.tenantId }, callOptions);
      const outcome = await idempotent(
        options.idempotency,
        {
          tenantId: parsed.tenantId,
          key: `${command}:${parsed.idempotencyKey}`,
          fingerprint: fingerprint({ command, ...parsed }),
          ttlMs: idempotencyTtlMs,
          waitMs: idempotencyWaitMs,
          clock,
          ...(callOptions.signal ? { signal: callOptions.signal } : {}),
        },
        async () => (await handler(deps, parsed, tenant, signal)) as never,
      );
      const value = outcome.value as unknown as Omit<BookingResult, 'replayed'>;
      // A fresh answer holds a copy the repository validated as it stored it; only a replay,
      // read back from the idempotency store, is parsed here.
      return {
        appointment: outcome.replayed
          ? parseWith(Appointment, value.appointment, 'stored booking result')
          : value.appointment,
        calendar: value.calendar,
        replayed: outcome.replayed,
      };
    };
    return async (input: unknown, callOptions: OperationOptions = {}): Promise<BookingResult> => {
      const parsed = parseWith(schema as never, input, `${command} command`) as C;
      if (!admission) return run(parsed, callOptions.signal);
      // Admitted (or refused) before the tenant lookup and the idempotency claim: a refused
      // command leaves nothing behind, so sending it again later runs it for the first time.
      return admission.execute(
        ({ signal }) => run(parsed, signal === signalOrNever(undefined) ? undefined : signal),
        { signal: callOptions.signal },
      );
    };
  }

  return {
    book: guarded('book', BookCommand, runBook),
    reschedule: guarded('reschedule', RescheduleCommand, runReschedule),
    cancel: guarded('cancel', CancelCommand, runCancel),
    confirm: guarded('confirm', ConfirmCommand, runConfirm),
    markNoShow: guarded('no-show', MarkNoShowCommand, runMarkNoShow),
    recover: (recoverOptions = {}) => coordinator.recover(recoverOptions),
    coordinator,
    dispose: () => syncListener.dispose(),
  };
}
