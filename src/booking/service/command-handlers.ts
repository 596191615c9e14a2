import type { z } from 'zod';
import type { SagaCoordinator } from '../../saga/coordinator-types.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import type { SagaStore } from '../../saga/saga-store.js';
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
import type { TimeRange } from '../../domain/time-range.js';
import type { BookSaga } from './book-saga.js';
import {
  appointmentEvent,
  commitWithEvents,
  loadAppointment,
  nextVersion,
  type BookingContext,
} from './booking-context.js';
import type { CancelSaga } from './cancel-saga.js';
import type { EventTypeCheck } from './event-type-check.js';
import type { ConfirmCommand, MarkNoShowCommand } from './commands.js';
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

/** A command as its schema parsed it. @internal */
export type Parsed<S extends z.ZodType> = z.output<S>;

/** What a command did to the calendar, judged from the appointment it left. @internal */
export function calendarOutcome(
  appointment: Appointment,
  touchedCalendar: boolean,
): CommandOutcome['calendar'] {
  if (!touchedCalendar) return 'not_needed';
  return appointment.sync.status === 'synced' ? 'synced' : 'queued';
}

/**
 * Turns a saga's failure into the error the caller should see: the calendar's unavailability, its
 * refusal of the time (outside the bookable hours) or of the request (not found, invalid), each as
 * its own error; a slot conflict (local or refused by the calendar) with alternatives; or the saga
 * error itself.
 */
export async function explain(
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

/** @throws {@link InvalidTransitionError} unless the appointment is pending or confirmed. @internal */
export function assertActive(appointment: Appointment, command: string): void {
  if (appointment.status !== 'pending' && appointment.status !== 'confirmed') {
    throw new InvalidTransitionError({ appointmentId: appointment.id, from: appointment.status, command });
  }
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
