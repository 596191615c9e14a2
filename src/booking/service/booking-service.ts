import { parseWith } from '../../errors/validation-error.js';
import { idempotent } from '../../idempotency/idempotent.js';
import { idempotentJoined, type IdempotencyJoin } from '../../idempotency/idempotent-joined.js';
import { fingerprint } from '../../idempotency/fingerprint.js';
import { circuitBreaker } from '../../resilience/breaker/circuit-breaker.js';
import { timeout } from '../../resilience/timeout.js';
import { wrap } from '../../resilience/wrap.js';
import { createSagaCoordinator } from '../../saga/coordinator.js';
import type { SagaCoordinator, SagaRecoveryReport } from '../../saga/coordinator-types.js';
import { sagaEventsToBus } from '../../saga/saga-events-to-bus.js';
import { resolveTenant } from '../../tenancy/resolve-tenant.js';
import type { Tenant } from '../../tenancy/tenant.js';
import type { OperationOptions } from '../../util/abort.js';
import { uuidv7 } from '../../util/uuid.js';
import { createCustomerService } from '../customers/customer-service.js';
import { Appointment } from '../../domain/appointment.js';
import { admissionPolicy } from './admission.js';
import {
  FACTORY,
  resolveBookingServiceOptions,
  type BookingServiceOptions,
} from './booking-service-options.js';
import { createBookSaga } from './book-saga.js';
import { bookingTransactions, type BookingContext, type BookingTransaction } from './booking-context.js';
import { createCalendarGateway } from './calendar-gateway.js';
import { observeCommand, type CommandTelemetry } from './command-telemetry.js';
import { registerCalendarSync } from './calendar-sync-listener.js';
import { createCancelSaga } from './cancel-saga.js';
import { createEventTypeCheck } from './event-type-check.js';
import {
  BookCommand,
  CancelCommand,
  ConfirmCommand,
  MarkNoShowCommand,
  RescheduleCommand,
  SyncToCalendarCommand,
  calendarModeOf,
  type CalendarMode,
  type BookCommand as BookCommandInput,
  type CancelCommand as CancelCommandInput,
  type ConfirmCommand as ConfirmCommandInput,
  type MarkNoShowCommand as MarkNoShowCommandInput,
  type RescheduleCommand as RescheduleCommandInput,
  type SyncToCalendarCommand as SyncToCalendarCommandInput,
} from './commands.js';
import { runSyncToCalendar } from './sync-to-calendar-command.js';
import { runBook } from './book-command.js';
import { runCancel } from './cancel-command.js';
import { runConfirm, runMarkNoShow, type CommandDeps } from './command-handlers.js';
import { runReschedule } from './reschedule-command.js';
import { createRescheduleSaga } from './reschedule-saga.js';

/**
 * The command as its fingerprint sees it: a `calendar` mode that only restates the default is left
 * out, so the same command keeps its fingerprint whether the mode is spelled out or not (and
 * across the version that added the field).
 */
function withoutDefaultCalendarMode<C extends object>(command: C): C {
  if (!('calendar' in command) || command.calendar === undefined) return command;
  const { calendar, ...rest } = command as C & { calendar: CalendarMode; origin: string };
  return calendarModeOf(rest) === calendar ? (rest as unknown as C) : command;
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
 * Options of {@link BookingService.book}.
 *
 * @example
 * ```ts
 * declare const kit: BookingKit;
 * declare const command: BookCommand;
 * declare const deliveryKey: string;
 * // ---cut---
 * // A webhook's delivery claim, committed with the booking it records (Postgres stores). `answer`
 * // is given the book's answer: store what the webhook answers (here the appointment id).
 * const idOf = (answer: IdempotencyValue) => (answer as { appointment: { id: string } }).appointment.id;
 * await idempotentJoined(
 *   kit.idempotency,
 *   { tenantId: 'acme', key: deliveryKey, fingerprint: deliveryKey },
 *   async (join) => {
 *     const { appointment } = await kit.service.book(command, {
 *       join: { claim: (tx) => join.claim(tx), answer: (tx, answer) => join.answer(tx, idOf(answer)) },
 *     });
 *     return appointment.id;
 *   },
 * );
 * ```
 */
export interface BookOptions extends OperationOptions {
  /**
   * A claim of the caller's own (e.g. a webhook's delivery key, see `idempotentJoined`) to take and
   * answer in the service's transactions: `claim` in the transaction of the book's first write,
   * before its own key, and `answer` (with the book's answer) in that of its last, so that the
   * caller's claim commits with the booking or not at all. Taken only when the service writes its
   * own idempotency key in its transactions (its idempotency store is its stores'); otherwise it
   * is never called, and the caller claims on its own. `answer` is given the book's answer (`{
   * appointment, calendar }`); a caller that stores another maps it. A refusal thrown from `claim`
   * rolls the transaction back and is thrown by `book` as it is.
   */
  readonly join?: IdempotencyJoin;
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
  book(command: BookCommandInput, options?: BookOptions): Promise<BookingResult>;
  /** Moves an appointment. @throws as `book`, and {@link NotFoundError}, {@link InvalidTransitionError}. */
  reschedule(command: RescheduleCommandInput, options?: OperationOptions): Promise<BookingResult>;
  /** Cancels an appointment; cancelling a cancelled one answers it unchanged. */
  cancel(command: CancelCommandInput, options?: OperationOptions): Promise<BookingResult>;
  /** Confirms a pending appointment. */
  confirm(command: ConfirmCommandInput, options?: OperationOptions): Promise<BookingResult>;
  /** Marks a confirmed appointment that has started as a no-show. */
  markNoShow(command: MarkNoShowCommandInput, options?: OperationOptions): Promise<BookingResult>;
  /**
   * Pushes an existing appointment to the calendar, e.g. one whose booking was lost there
   * (reconciliation's "heal remote"): looks the booking up by the appointment's tag first,
   * records the one found, and creates it only when absent, so running it again never books
   * twice. A cancelled appointment is answered as it is (`not_needed`). Nothing is queued: a
   * failure is thrown, with `appointment.sync_failed` (`willRetry: false`) recorded and the
   * appointment unchanged, for the caller to retry.
   * @throws {@link NotFoundError}, {@link CalendarUnavailableError} (whatever the tenant's
   * policy), the calendar's refusals (`CalendarSlotUnavailableError`, ...), and as `book`.
   */
  syncToCalendar(command: SyncToCalendarCommandInput, options?: OperationOptions): Promise<BookingResult>;
  /** Finishes or compensates the sagas of instances that died; call at start-up and periodically. */
  recover(options?: OperationOptions): Promise<SagaRecoveryReport>;
  /** The saga coordinator, to list sagas by state for operators. */
  readonly coordinator: SagaCoordinator;
  /** Removes the calendar-sync listener from the bus. */
  dispose(): void;
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
  const { clock, logger, alternatives, eventTypeCacheTtlMs, idempotencyTtlMs, idempotencyWaitMs } =
    resolveBookingServiceOptions(options);
  const admission = admissionPolicy(options.admission, FACTORY);
  // The breaker outside the timeout: a call that times out counts against it (a timeout outside
  // would abort the breaker's call, which the breaker takes for its caller giving up).
  const policy =
    options.calendarPolicy ?? wrap(circuitBreaker({ name: 'calendar', clock }), timeout(10_000, { clock }));
  const { stores, bus } = options;

  const context: BookingContext = {
    appointments: stores.appointments,
    unitOfWork: stores.unitOfWork,
    bus,
    calendar: createCalendarGateway(options.calendar, policy),
    clock,
    logger,
  };
  // A store joins the transactions only when it is the very store they write to; the idempotency
  // claim rides on the saga's creation, so it needs the saga log joined as well.
  const sagaLogJoined = stores.sagas !== undefined && stores.sagas === options.sagas;
  const idempotencyJoined =
    sagaLogJoined && stores.idempotency !== undefined && stores.idempotency === options.idempotency;
  const customers = createCustomerService({ customers: stores.customers, clock });
  const sagas = {
    book: createBookSaga(context, customers),
    reschedule: createRescheduleSaga(context),
    cancel: createCancelSaga(context),
  };
  const coordinator = createSagaCoordinator({
    store: options.sagas,
    sagas: [sagas.book, sagas.reschedule, sagas.cancel],
    clock,
    logger,
    events: sagaEventsToBus(bus),
    transactions: bookingTransactions(context, sagaLogJoined, idempotencyJoined),
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
    customers,
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
      join?: IdempotencyJoin<BookingTransaction>,
    ) => Promise<Omit<BookingResult, 'replayed'>>,
    /** The handler claims and answers the key in its own transactions when it can. */
    joinable = false,
  ) {
    const run = async (
      parsed: C,
      signal: AbortSignal | undefined,
      telemetry: CommandTelemetry,
      caller?: IdempotencyJoin,
    ): Promise<BookingResult> => {
      const callOptions: OperationOptions = signal ? { signal } : {};
      const tenant = await resolveTenant(options.tenants, { tenantId: parsed.tenantId }, callOptions);
      telemetry.tenant(tenant.id);
      const idempotencyOptions = {
        tenantId: parsed.tenantId,
        key: `${command}:${parsed.idempotencyKey}`,
        fingerprint: fingerprint({ command, ...withoutDefaultCalendarMode(parsed) }),
        ttlMs: idempotencyTtlMs,
        waitMs: idempotencyWaitMs,
        clock,
        ...(callOptions.signal ? { signal: callOptions.signal } : {}),
      };
      const outcome =
        joinable && idempotencyJoined
          ? await idempotentJoined(
              options.idempotency,
              idempotencyOptions,
              async (join: IdempotencyJoin<BookingTransaction>) =>
                (await handler(
                  deps,
                  parsed,
                  tenant,
                  signal,
                  caller ? joinBoth(caller, join) : join,
                )) as never,
            )
          : await idempotent(
              options.idempotency,
              idempotencyOptions,
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
    return (input: unknown, callOptions: BookOptions = {}): Promise<BookingResult> =>
      observeCommand(command, async (telemetry) => {
        const parsed = parseWith(schema as never, input, `${command} command`) as C;
        telemetry.correlate(parsed.idempotencyKey);
        const { join } = callOptions;
        if (!admission) return run(parsed, callOptions.signal, telemetry, join);
        // Admitted (or refused) before the tenant lookup and the idempotency claim: a refused
        // command leaves nothing behind, so sending it again later runs it for the first time.
        return admission.execute(({ signal }) => run(parsed, signal, telemetry, join), {
          signal: callOptions.signal,
        });
      });
  }

  return {
    book: guarded('book', BookCommand, runBook, true),
    reschedule: guarded('reschedule', RescheduleCommand, runReschedule, true),
    cancel: guarded('cancel', CancelCommand, runCancel, true),
    confirm: guarded('confirm', ConfirmCommand, runConfirm),
    markNoShow: guarded('no-show', MarkNoShowCommand, runMarkNoShow),
    syncToCalendar: guarded('sync-to-calendar', SyncToCalendarCommand, runSyncToCalendar),
    recover: (recoverOptions = {}) => coordinator.recover(recoverOptions),
    coordinator,
    dispose: () => syncListener.dispose(),
  };
}

/** The caller's claim taken before the command's own and answered after it, in the same transactions. */
function joinBoth(
  caller: IdempotencyJoin,
  own: IdempotencyJoin<BookingTransaction>,
): IdempotencyJoin<BookingTransaction> {
  return {
    async claim(tx) {
      await caller.claim(tx);
      await own.claim(tx);
    },
    async answer(tx, result) {
      await own.answer(tx, result);
      await caller.answer(tx, result);
    },
  };
}
