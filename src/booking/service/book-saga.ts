import { isBrokenCircuitError } from '../../resilience/errors.js';
import { defineSaga } from '../../saga/define-saga.js';
import { NonRetryableError } from '../../saga/step-errors.js';
import {
  APPOINTMENT_TAG,
  type CalendarAttendee,
  type CalendarBooking,
} from '../../ports/calendar-provider.js';
import { isSlotConflictError } from '../errors.js';
import type { CustomerService } from '../customers/customer-service.js';
import type { NormalizedContact } from '../customers/customer-input.js';
import { attendeeFor } from './attendee.js';
import { callIdOf } from '../appointment-call.js';
import { isDuplicateRecordError, isVersionConflictError } from '../../errors/store-errors.js';
import type { Appointment } from '../../domain/appointment.js';
import { trustedRecord } from '../../domain/trusted-record.js';
import type { Actor, Origin } from '../../domain/origin.js';
import type { CalendarUnavailablePolicy } from '../../tenancy/tenant.js';
import {
  appointmentEvent,
  customerEventDrafts,
  nextVersion,
  nowIso,
  type BookingContext,
  type BookingTransaction,
  type ChangeOrigin,
  type EventDraft,
} from './booking-context.js';
import {
  CALENDAR_STEP_RETRY,
  isCalendarOutage,
  lookupOf,
  onCalendarStepFailure,
} from './calendar-gateway.js';

/** What the book saga is started with (JSON, as it is logged). @internal */
export interface BookSagaInput {
  /** The appointment to hold; `customerId` is `null` when the hold finds or creates the customer. */
  readonly appointment: Omit<Appointment, 'customerId'> & { readonly customerId: string | null };
  /** The known customer's attendee; `null` when the hold finds or creates the customer. */
  readonly attendee: CalendarAttendee | null;
  /** The contact (normalised) that the hold finds or creates the customer by, in its transaction. */
  readonly customer: { readonly contact: NormalizedContact; readonly callId: string | null } | null;
  readonly policy: CalendarUnavailablePolicy;
  readonly origin: Origin;
  readonly actor: Actor;
  readonly correlationId: string;
  /** Set when the calendar has the booking already (`calendar: 'already_applied'`): it is not created again. */
  readonly existingCalendarBooking: {
    readonly uid: string;
    readonly id: string | null;
    /** `pending`: awaiting the host's approval there, so the appointment stays pending. @default 'accepted' */
    readonly status?: 'accepted' | 'pending';
  } | null;
}

/** The hold's output: the appointment's version and whom it is for. @internal */
export interface HoldStepOutput {
  readonly version: number;
  readonly customerId: string;
  readonly attendee: CalendarAttendee;
}

/** The calendar step's output. @internal */
export interface CalendarStepOutput {
  readonly uid: string | null;
  readonly id: string | null;
  /** The calendar was unavailable and the tenant's policy is `queue`: sync later. */
  readonly queued: boolean;
  readonly error: string | null;
}

function changeOrigin(input: BookSagaInput): ChangeOrigin {
  return {
    tenantId: input.appointment.tenantId,
    origin: input.origin,
    actor: input.actor,
    correlationId: input.correlationId,
  };
}

function toOutput(booking: CalendarBooking): CalendarStepOutput {
  return { uid: booking.uid, id: booking.id, queued: false, error: null };
}

/**
 * The booking flow of DESIGN.md as a saga: `hold` (insert the appointment as pending; the
 * double-booking rule applies), `calendar` (create the calendar booking tagged with the appointment
 * id, never blindly retried: a transient failure is retried after looking the booking up, a
 * refusal never is), `confirm` (mark confirmed and write `appointment.booked`). A failure
 * compensates in reverse: the calendar booking is cancelled and the hold released.
 *
 * `hold` and `confirm` are local steps: each is one transaction with its outbox messages, and,
 * when the saga log lives in the same database, with its own log entry (the saga's creation for
 * `hold`, the calendar step's completion and the saga's end for `confirm`). A book then commits
 * twice, around the calendar call (docs/decisions/0009-two-transaction-book.md).
 *
 * @internal
 */
export function createBookSaga(context: BookingContext, customers: CustomerService) {
  return defineSaga<BookSagaInput, BookingTransaction>({ name: 'bookingkit.book' })
    .localStep('hold', {
      run: async ({ input, tx, signal }): Promise<HoldStepOutput> => {
        const events: EventDraft[] = [];
        const { tenantId } = input.appointment;
        let { customerId } = input.appointment;
        let attendee = input.attendee;
        if (input.customer) {
          // Found or created in the hold's transaction: the customer commits with the hold.
          const found = await customers.findOrCreate(tenantId, input.customer.contact, {
            origin: input.origin,
            callId: input.customer.callId,
            customers: tx.customers,
            signal,
          });
          customerId = found.customer.id;
          attendee = attendeeFor(found.customer, input.appointment);
          events.push(...customerEventDrafts(found));
        }
        if (customerId === null || attendee === null) throw new Error('book saga input names no customer');
        const whom = { customerId, attendee };
        // Built from the parsed command (through the saga log, which this code wrote) and the
        // stored or new customer: the repository need not parse it again.
        const appointment: Appointment = trustedRecord({ ...input.appointment, customerId });
        try {
          await tx.appointments.insert(appointment, { signal });
        } catch (error) {
          if (isSlotConflictError(error)) throw new NonRetryableError(error);
          // Run again after a commit whose log entry was lost (a saga log outside the database):
          // the hold is there.
          if (!isDuplicateRecordError(error)) throw error;
          const existing = await tx.appointments.get(tenantId, appointment.id, { signal });
          if (!existing) throw error;
          return { ...whom, version: existing.version };
        }
        const requested = appointmentEvent('appointment.requested', appointment, {
          appointmentId: appointment.id,
          eventTypeId: appointment.eventTypeId,
          customerId,
          start: appointment.start,
          end: appointment.end,
          timeZone: appointment.timeZone,
          requestedBy: input.actor,
        });
        await tx.record(changeOrigin(input), [...events, requested]);
        return { version: appointment.version, ...whom };
      },
      compensate: async ({ input, tx, signal }) => {
        const current = await tx.appointments.get(input.appointment.tenantId, input.appointment.id, {
          signal,
        });
        if (!current || current.status === 'cancelled') return;
        await tx.appointments.update(
          nextVersion(
            current,
            {
              status: 'cancelled',
              cancelledBy: { type: 'system' },
              cancellationReason: 'hold released: the booking did not complete',
              origin: input.origin,
            },
            context.clock,
          ),
          current.version,
          { signal },
        );
      },
    })
    .step('calendar', {
      run: async ({ input, results, attempt, signal }): Promise<CalendarStepOutput> => {
        const existing = input.existingCalendarBooking;
        if (existing) return { uid: existing.uid, id: existing.id, queued: false, error: null };
        const { appointment } = input;
        const { attendee } = results.hold;
        try {
          if (attempt > 1) {
            // A repeated run may follow a create whose answer was lost: look before creating again.
            const found = await context.calendar.findByAppointment(
              appointment.tenantId,
              lookupOf(appointment, attendee.email),
              signal,
            );
            if (found) return toOutput(found);
          }
          return toOutput(await createBooking(context, appointment, attendee, signal));
        } catch (error) {
          if (isCalendarOutage(error) && !isBrokenCircuitError(error)) {
            const found = await lookUpAfterFailure(context, appointment, attendee.email, signal);
            if (found) return toOutput(found);
          }
          const queuedBecause = onCalendarStepFailure(
            error,
            attempt,
            input.policy,
            appointment.tenantId,
            'create',
          );
          return { uid: null, id: null, queued: true, error: queuedBecause };
        }
      },
      compensate: async ({ input, output, signal }) => {
        if (!output.uid || input.existingCalendarBooking) return;
        await context.calendar.cancel(
          input.appointment.tenantId,
          output.uid,
          'booking did not complete',
          signal,
        );
      },
      retry: CALENDAR_STEP_RETRY,
    })
    .localStep('confirm', {
      run: async ({ input, results, tx, signal }): Promise<ConfirmStepOutput> => {
        const held: Appointment = {
          ...input.appointment,
          customerId: results.hold.customerId,
          version: results.hold.version,
        };
        const calendar = results.calendar;
        const now = nowIso(context.clock);
        // A booking imported while it awaits the host's approval stays pending until confirmed.
        const awaitingHost = input.existingCalendarBooking?.status === 'pending';
        const next = calendar.queued
          ? nextVersion(
              held,
              { sync: { status: 'pending', attempts: 1, lastError: calendar.error, lastAttemptAt: now } },
              context.clock,
            )
          : nextVersion(
              held,
              {
                status: awaitingHost ? 'pending' : 'confirmed',
                external: {
                  ...held.external,
                  calendarBookingUid: calendar.uid,
                  calendarBookingId: calendar.id,
                },
                sync: { status: 'synced', attempts: 1, lastError: null, lastAttemptAt: now },
              },
              context.clock,
            );
        try {
          // Written against the version the hold left: nothing is read first. Built here from the
          // held appointment and the calendar's answer, whose only parts in it (uid and id) are
          // checked here: then not parsed again by the repository.
          const checked = isCalendarRef(calendar.uid) && isCalendarRef(calendar.id);
          await tx.appointments.update(checked ? trustedRecord(next) : next, held.version, { signal });
        } catch (error) {
          if (!isVersionConflictError(error)) throw error;
          // Changed since the hold: by an earlier run of this step (a saga log outside the
          // database), or by another command. Either way, what is stored now is the answer.
          const current = await tx.appointments.get(held.tenantId, held.id, { signal });
          if (!current)
            throw new Error(`Appointment ${held.id} vanished during its booking`, { cause: error });
          return { status: current.status, appointment: current };
        }
        const event = calendar.queued
          ? appointmentEvent('appointment.sync_failed', next, {
              appointmentId: next.id,
              operation: 'create',
              error: calendar.error ?? 'calendar unavailable',
              attempts: 1,
              willRetry: true,
            })
          : appointmentEvent('appointment.booked', next, {
              appointmentId: next.id,
              eventTypeId: next.eventTypeId,
              customerId: next.customerId,
              start: next.start,
              end: next.end,
              timeZone: next.timeZone,
              calendarBookingUid: next.external.calendarBookingUid,
              bookedBy: input.actor,
              callId: callIdOf(next),
            });
        // Pending in the calendar: not booked yet (the host's confirmation sends `appointment.confirmed`).
        await tx.record(changeOrigin(input), awaitingHost && !calendar.queued ? [] : [event]);
        return { status: next.status, appointment: next };
      },
    });
}

/**
 * The confirm step's output: the appointment as the booking left it, so the command answers
 * without reading it back. @internal
 */
export interface ConfirmStepOutput {
  readonly status: Appointment['status'];
  readonly appointment: Appointment;
}

/** A calendar booking uid or id as an appointment stores it: none, or a non-empty string. */
function isCalendarRef(value: unknown): value is string | null {
  return value === null || (typeof value === 'string' && value.length > 0);
}

/** The book saga's definition type. @internal */
export type BookSaga = ReturnType<typeof createBookSaga>;

function createBooking(
  context: BookingContext,
  appointment: BookSagaInput['appointment'],
  attendee: CalendarAttendee,
  signal: AbortSignal,
): Promise<CalendarBooking> {
  return context.calendar.create(
    {
      tenantId: appointment.tenantId,
      eventTypeId: appointment.eventTypeId,
      start: appointment.start,
      end: appointment.end,
      attendee,
      metadata: { [APPOINTMENT_TAG]: appointment.id },
    },
    signal,
  );
}

/**
 * After a timeout or 5xx the create may have happened with its answer lost: ask the calendar for a
 * booking tagged with this appointment before concluding anything. A lookup that fails as well
 * answers `null`.
 */
async function lookUpAfterFailure(
  context: BookingContext,
  appointment: BookSagaInput['appointment'],
  attendeeEmail: string,
  signal: AbortSignal,
): Promise<CalendarBooking | null> {
  try {
    return await context.calendar.findByAppointment(
      appointment.tenantId,
      lookupOf(appointment, attendeeEmail),
      signal,
    );
  } catch (error) {
    context.logger.warn(
      { err: error, appointmentId: appointment.id },
      'calendar lookup after a failed create failed too',
    );
    return null;
  }
}
