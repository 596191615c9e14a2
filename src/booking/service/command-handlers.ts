import { z } from 'zod';
import type { SagaCoordinator } from '../../saga/coordinator-types.js';
import { isSagaCompensatedError } from '../../saga/saga-errors.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import type { SagaStore } from '../../saga/saga-store.js';
import { NotFoundError } from '../../errors/store-errors.js';
import { parseWith } from '../../errors/validation-error.js';
import type { Tenant } from '../../tenancy/tenant.js';
import type { AvailabilityService } from '../availability/availability-service.js';
import type { CustomerService } from '../customers/customer-service.js';
import {
  InvalidTransitionError,
  SlotConflictError,
  isCalendarOutsideBookingHoursError,
  isCalendarRequestRejectedError,
  isCalendarSlotUnavailableError,
  isSlotConflictError,
} from '../errors.js';
import type { Appointment } from '../../domain/appointment.js';
import { Id } from '../../domain/common.js';
import type { Customer } from '../../domain/customer.js';
import type { TimeRange } from '../../domain/time-range.js';
import { attendeeFor } from './attendee.js';
import type { BookSaga, BookSagaInput, ConfirmStepOutput } from './book-saga.js';
import type { IdempotencyJoin } from '../../idempotency/idempotent-joined.js';
import type { SagaRecord } from '../../saga/saga-store.js';
import { normalizeContact, type NormalizedContact } from '../customers/customer-input.js';
import {
  appointmentEvent,
  commitWithEvents,
  loadAppointment,
  nextVersion,
  nowIso,
  type BookingContext,
  type BookingTransaction,
} from './booking-context.js';
import type { CancelSaga } from './cancel-saga.js';
import type { EventTypeCheck } from './event-type-check.js';
import type {
  BookCommand,
  CancelCommand,
  ConfirmCommand,
  MarkNoShowCommand,
  RescheduleCommand,
} from './commands.js';
import { findCause, isCalendarUnavailableError } from './errors.js';
import type { RescheduleSaga } from './reschedule-saga.js';

/** What the command handlers need. @internal */
export interface CommandDeps {
  readonly context: BookingContext;
  readonly coordinator: SagaCoordinator;
  readonly sagas: {
    readonly book: BookSaga;
    readonly reschedule: RescheduleSaga;
    readonly cancel: CancelSaga;
  };
  readonly customers: CustomerService;
  readonly customerRepository: CustomerRepository;
  readonly availability: AvailabilityService | undefined;
  readonly alternatives: number;
  readonly ids: () => string;
  /** Checks a command's event type and duration against the calendar's, before any write. */
  readonly eventTypes: EventTypeCheck;
  /** The saga log, to drop the record of a booking that lost its slot at the hold. */
  readonly sagaStore: SagaStore;
}

/** A command's answer before the idempotency layer adds `replayed`. @internal */
export interface CommandOutcome {
  readonly appointment: Appointment;
  readonly calendar: 'synced' | 'queued' | 'not_needed';
}

type Parsed<S extends z.ZodType> = z.output<S>;

/** The id of a new appointment, as the `ids` option made it. */
const NewAppointmentId = z.object({ id: Id });

function calendarOutcome(appointment: Appointment, touchedCalendar: boolean): CommandOutcome['calendar'] {
  if (!touchedCalendar) return 'not_needed';
  return appointment.sync.status === 'synced' ? 'synced' : 'queued';
}

async function reload(
  deps: CommandDeps,
  tenantId: string,
  id: string,
  signal: AbortSignal | undefined,
): Promise<Appointment> {
  const appointment = await deps.context.appointments.get(tenantId, id, signal ? { signal } : {});
  if (!appointment) throw new NotFoundError({ entity: 'Appointment', id, tenantId });
  return appointment;
}

/**
 * Turns a saga's failure into the error the caller should see: the calendar's unavailability, its
 * refusal of the time (outside the bookable hours) or of the request (not found, invalid), each as
 * its own error; a slot conflict (local or refused by the calendar) with alternatives; or the saga
 * error itself.
 */
async function explain(
  deps: CommandDeps,
  error: unknown,
  tenantId: string,
  eventTypeId: string,
  requested: TimeRange,
  resourceId: string,
): Promise<never> {
  const unavailable = findCause(error, isCalendarUnavailableError);
  if (unavailable) throw unavailable;
  const refusal =
    findCause(error, isCalendarOutsideBookingHoursError) ?? findCause(error, isCalendarRequestRejectedError);
  if (refusal) throw refusal;
  const conflict =
    findCause(error, isSlotConflictError) ??
    (findCause(error, isCalendarSlotUnavailableError)
      ? new SlotConflictError(
          { tenantId, resourceId, requested, conflictingAppointmentId: null, alternatives: [] },
          { cause: error },
        )
      : undefined);
  if (!conflict) throw error;
  if (!deps.availability) throw conflict;
  try {
    const offers = await deps.availability.findAlternatives(
      tenantId,
      eventTypeId,
      requested,
      deps.alternatives,
    );
    throw conflict.withAlternatives(offers);
  } catch (lookupError) {
    if (isSlotConflictError(lookupError)) throw lookupError;
    deps.context.logger.warn({ err: lookupError }, 'could not look up alternatives for a slot conflict');
    throw conflict;
  }
}

/**
 * Removes the saga record of a booking that lost its slot at the hold. The hold's insert was
 * refused inside its transaction, so nothing of the saga took effect and its record, compensated,
 * is history only: without this, every losing attempt of a contested slot would leave one behind.
 * The saga id is the new appointment's, never reused, so forgetting it cannot let a run repeat. A
 * failure to remove it is only logged (the retention purge removes it later).
 */
async function forgetLostHold(deps: CommandDeps, sagaId: string, error: unknown): Promise<void> {
  const compensated = findCause(error, isSagaCompensatedError);
  if (compensated?.context.failedStep !== 'hold' || !findCause(error, isSlotConflictError)) return;
  try {
    // The saga ended by now, on this clock: its finish time is at most now.
    await deps.sagaStore.purge({ finishedBefore: deps.context.clock.now() + 1, id: sagaId });
  } catch (purgeError) {
    deps.context.logger.warn({ err: purgeError, sagaId }, 'could not remove the saga record of a lost hold');
  }
}

/** @internal */
export async function runBook(
  deps: CommandDeps,
  command: Parsed<typeof BookCommand>,
  tenant: Tenant,
  signal: AbortSignal | undefined,
  join?: IdempotencyJoin<BookingTransaction>,
): Promise<CommandOutcome> {
  const { clock } = deps.context;
  // A booking made in the calendar (origin calcom) was accepted there already: nothing to check.
  if (!command.existingCalendarBooking && command.origin !== 'calcom') {
    await deps.eventTypes.check(
      {
        tenantId: command.tenantId,
        eventTypeId: command.eventTypeId,
        range: { start: command.start, end: command.end },
        subject: 'book command',
        unknownType: 'refuse',
      },
      signal,
    );
  }
  // A known customer is read here; a contact is checked here and found or created by the hold, in
  // its transaction.
  let known: Customer | null = null;
  let contact: NormalizedContact | null = null;
  if ('customerId' in command.customer) {
    known = await deps.customerRepository.get(
      command.tenantId,
      command.customer.customerId,
      signal ? { signal } : {},
    );
    if (!known)
      throw new NotFoundError({
        entity: 'Customer',
        id: command.customer.customerId,
        tenantId: command.tenantId,
      });
  } else {
    contact = normalizeContact(command.customer);
  }
  const now = nowIso(clock);
  const resourceId = command.resourceId ?? command.eventTypeId;
  // Built from the parsed command and a stored customer: only the id is new input (the `ids`
  // option), so only it is checked here; the repository validates the record as it stores it.
  const { id } = parseWith(NewAppointmentId, { id: deps.ids() }, 'appointment');
  const appointment: BookSagaInput['appointment'] = {
    id,
    tenantId: command.tenantId,
    eventTypeId: command.eventTypeId,
    resourceId,
    customerId: known?.id ?? null,
    start: command.start,
    end: command.end,
    timeZone: command.timeZone,
    status: 'pending',
    origin: command.origin,
    createdBy: command.actor,
    rescheduledBy: null,
    cancelledBy: null,
    cancellationReason: null,
    external: {
      calendarBookingUid: command.existingCalendarBooking?.uid ?? null,
      calendarBookingId: command.existingCalendarBooking?.id ?? null,
      previousCalendarBookingUids: [],
    },
    sync: { status: 'pending', attempts: 0, lastError: null, lastAttemptAt: null },
    version: 1,
    idempotencyKey: command.idempotencyKey,
    metadata: { ...(command.metadata ?? {}), ...(command.callId ? { callId: command.callId } : {}) },
    createdAt: now,
    updatedAt: now,
  };
  const sagaId = `book:${appointment.id}`;
  let completion;
  try {
    completion = await deps.coordinator.start(
      deps.sagas.book,
      {
        appointment,
        attendee: known ? attendeeFor(known, appointment) : null,
        customer: contact ? { contact, callId: command.callId ?? null } : null,
        policy: tenant.calendarUnavailablePolicy,
        origin: command.origin,
        actor: command.actor,
        correlationId: command.idempotencyKey,
        existingCalendarBooking: command.existingCalendarBooking ?? null,
        extraEvents: [],
      },
      {
        sagaId,
        tenantId: command.tenantId,
        ...(signal ? { signal } : {}),
        // The idempotency claim commits with the hold, the answer with the confirmation.
        ...(join && {
          join: {
            start: (tx: BookingTransaction) => join.claim(tx),
            end: async (tx: BookingTransaction, record: SagaRecord) => {
              const confirmed = (record.steps.at(-1)?.output as ConfirmStepOutput | null)?.appointment;
              if (confirmed) await join.answer(tx, bookOutcome(command, confirmed) as never);
            },
          },
        }),
      },
    );
  } catch (error) {
    await forgetLostHold(deps, sagaId, error);
    return explain(
      deps,
      error,
      command.tenantId,
      command.eventTypeId,
      { start: command.start, end: command.end },
      resourceId,
    );
  }
  // The confirm step answers the appointment as it left it (a log from an older version may not),
  // as the saga log holds it: the caller gets a copy of its own.
  const confirmed = completion.output.confirm.appointment;
  return bookOutcome(
    command,
    confirmed ? structuredClone(confirmed) : await reload(deps, command.tenantId, appointment.id, signal),
  );
}

/** A book's answer for the appointment as the booking left it. */
function bookOutcome(command: Parsed<typeof BookCommand>, appointment: Appointment): CommandOutcome {
  return {
    appointment,
    calendar: command.existingCalendarBooking ? 'not_needed' : calendarOutcome(appointment, true),
  };
}

function assertActive(appointment: Appointment, command: string): void {
  if (appointment.status !== 'pending' && appointment.status !== 'confirmed') {
    throw new InvalidTransitionError({ appointmentId: appointment.id, from: appointment.status, command });
  }
}

/** @internal */
export async function runReschedule(
  deps: CommandDeps,
  command: Parsed<typeof RescheduleCommand>,
  tenant: Tenant,
  signal: AbortSignal | undefined,
): Promise<CommandOutcome> {
  const current = await loadAppointment(deps.context.appointments, command.tenantId, command.target, signal);
  assertActive(current, 'reschedule');
  const fromCalendar = command.origin === 'calcom';
  // A move made in the calendar was accepted there already; otherwise the length must still fit.
  if (!fromCalendar) {
    await deps.eventTypes.check(
      {
        tenantId: command.tenantId,
        eventTypeId: current.eventTypeId,
        range: { start: command.start, end: command.end },
        subject: 'reschedule command',
        unknownType: 'skip',
      },
      signal,
    );
  }
  try {
    await deps.coordinator.start(
      deps.sagas.reschedule,
      {
        tenantId: command.tenantId,
        appointmentId: current.id,
        version: current.version,
        previous: { start: current.start, end: current.end },
        next: { start: command.start, end: command.end },
        reason: command.reason ?? null,
        policy: tenant.calendarUnavailablePolicy,
        origin: command.origin,
        actor: command.actor,
        correlationId: command.idempotencyKey,
        previousUid: current.external.calendarBookingUid,
        calendarUidFromCalendar: command.newCalendarBookingUid ?? null,
      },
      {
        sagaId: `reschedule:${current.id}:${deps.ids()}`,
        tenantId: command.tenantId,
        ...(signal ? { signal } : {}),
      },
    );
  } catch (error) {
    return explain(
      deps,
      error,
      command.tenantId,
      current.eventTypeId,
      { start: command.start, end: command.end },
      current.resourceId,
    );
  }
  const stored = await reload(deps, command.tenantId, current.id, signal);
  return { appointment: stored, calendar: fromCalendar ? 'not_needed' : calendarOutcome(stored, true) };
}

/** @internal */
export async function runCancel(
  deps: CommandDeps,
  command: Parsed<typeof CancelCommand>,
  tenant: Tenant,
  signal: AbortSignal | undefined,
): Promise<CommandOutcome> {
  const current = await loadAppointment(deps.context.appointments, command.tenantId, command.target, signal);
  if (current.status === 'cancelled') return { appointment: current, calendar: 'not_needed' };
  assertActive(current, 'cancel');
  const uid = current.external.calendarBookingUid;
  try {
    await deps.coordinator.start(
      deps.sagas.cancel,
      {
        tenantId: command.tenantId,
        appointmentId: current.id,
        reason: command.reason ?? null,
        policy: tenant.calendarUnavailablePolicy,
        origin: command.origin,
        actor: command.actor,
        correlationId: command.idempotencyKey,
        calendarUid: uid,
        ...(command.requestReschedule ? { requestReschedule: true } : {}),
      },
      {
        sagaId: `cancel:${current.id}:${deps.ids()}`,
        tenantId: command.tenantId,
        ...(signal ? { signal } : {}),
      },
    );
  } catch (error) {
    const unavailable = findCause(error, isCalendarUnavailableError);
    throw unavailable ?? error;
  }
  const stored = await reload(deps, command.tenantId, current.id, signal);
  const touched = command.origin !== 'calcom' && uid !== null;
  return { appointment: stored, calendar: calendarOutcome(stored, touched) };
}

async function transition(
  deps: CommandDeps,
  command: Parsed<typeof ConfirmCommand>,
  signal: AbortSignal | undefined,
  change: (current: Appointment) => {
    readonly next: Partial<Appointment>;
    readonly event: 'appointment.confirmed' | 'appointment.no_show';
  } | null,
): Promise<CommandOutcome> {
  const current = await loadAppointment(deps.context.appointments, command.tenantId, command.target, signal);
  const plan = change(current);
  if (!plan) return { appointment: current, calendar: 'not_needed' };
  const origin = {
    tenantId: command.tenantId,
    origin: command.origin,
    actor: command.actor,
    correlationId: command.idempotencyKey,
  };
  const updated = await commitWithEvents(deps.context, origin, async (stores) => {
    const next = nextVersion(current, { ...plan.next, origin: command.origin }, deps.context.clock);
    await stores.appointments.update(next, current.version, signal ? { signal } : {});
    const event =
      plan.event === 'appointment.confirmed'
        ? appointmentEvent('appointment.confirmed', next, {
            appointmentId: next.id,
            confirmedBy: command.actor,
          })
        : appointmentEvent('appointment.no_show', next, { appointmentId: next.id, markedBy: command.actor });
    return { value: next, events: [event] };
  });
  return { appointment: updated, calendar: 'not_needed' };
}

/** @internal */
export function runConfirm(
  deps: CommandDeps,
  command: Parsed<typeof ConfirmCommand>,
  _tenant: Tenant,
  signal: AbortSignal | undefined,
): Promise<CommandOutcome> {
  return transition(deps, command, signal, (current) => {
    if (current.status === 'confirmed') return null;
    if (current.status !== 'pending')
      throw new InvalidTransitionError({
        appointmentId: current.id,
        from: current.status,
        command: 'confirm',
      });
    return { next: { status: 'confirmed' }, event: 'appointment.confirmed' };
  });
}

/**
 * Marks a no-show, or clears one (`noShow: false`: the appointment is confirmed again and
 * `appointment.confirmed` is published). A mark from the calendar (origin `calcom`) is not held
 * back for an appointment that has not started by this clock: the calendar's host decided it.
 *
 * @internal
 */
export function runMarkNoShow(
  deps: CommandDeps,
  command: Parsed<typeof MarkNoShowCommand>,
  _tenant: Tenant,
  signal: AbortSignal | undefined,
): Promise<CommandOutcome> {
  return transition(deps, command, signal, (current) => {
    if (!command.noShow) {
      if (current.status !== 'no_show') return null;
      return { next: { status: 'confirmed' }, event: 'appointment.confirmed' };
    }
    if (current.status === 'no_show') return null;
    if (current.status !== 'confirmed')
      throw new InvalidTransitionError({
        appointmentId: current.id,
        from: current.status,
        command: 'mark as no-show',
      });
    if (command.origin !== 'calcom' && Date.parse(current.start) > deps.context.clock.now()) {
      throw new InvalidTransitionError({
        appointmentId: current.id,
        from: 'not yet started',
        command: 'mark as no-show',
      });
    }
    return { next: { status: 'no_show' }, event: 'appointment.no_show' };
  });
}
