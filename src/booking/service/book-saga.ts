import { isBrokenCircuitError } from '../../resilience/errors.js';
import { defineSaga } from '../../saga/define-saga.js';
import { NonRetryableError } from '../../saga/step-errors.js';
import {
  APPOINTMENT_TAG,
  type CalendarAttendee,
  type CalendarBooking,
} from '../../ports/calendar-provider.js';
import { isSlotConflictError } from '../errors.js';
import type { Appointment } from '../../domain/appointment.js';
import type { Actor, Origin } from '../../domain/origin.js';
import type { CalendarUnavailablePolicy } from '../../tenancy/tenant.js';
import {
  appointmentEvent,
  commitWithEvents,
  nextVersion,
  nowIso,
  type BookingContext,
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
  readonly appointment: Appointment;
  readonly attendee: CalendarAttendee;
  readonly policy: CalendarUnavailablePolicy;
  readonly origin: Origin;
  readonly actor: Actor;
  readonly correlationId: string;
  /** Set when the booking came from the calendar (origin `calcom`): it is not created again. */
  readonly existingCalendarBooking: { readonly uid: string; readonly id: string | null } | null;
  /** Customer events to write with the hold. */
  readonly extraEvents: readonly EventDraft[];
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
 * refusal never is), `confirm` (mark confirmed and write `appointment.booked` in one
 * transaction). A failure compensates in reverse: the calendar booking is cancelled and the hold
 * released.
 *
 * @internal
 */
export function createBookSaga(context: BookingContext) {
  return defineSaga<BookSagaInput>({ name: 'bookingkit.book' })
    .step('hold', {
      run: async ({ input, signal }) => {
        const { appointment } = input;
        const existing = await context.appointments.get(appointment.tenantId, appointment.id, { signal });
        if (existing) return { version: existing.version }; // re-run after a crash: the hold is there
        try {
          await commitWithEvents(context, changeOrigin(input), async (stores) => {
            await stores.appointments.insert(appointment, { signal });
            const requested = appointmentEvent('appointment.requested', appointment, {
              appointmentId: appointment.id,
              eventTypeId: appointment.eventTypeId,
              customerId: appointment.customerId,
              start: appointment.start,
              end: appointment.end,
              timeZone: appointment.timeZone,
              requestedBy: input.actor,
            });
            return { value: undefined, events: [...input.extraEvents, requested] };
          });
        } catch (error) {
          if (isSlotConflictError(error)) throw new NonRetryableError(error);
          throw error;
        }
        return { version: appointment.version };
      },
      compensate: async ({ input, signal }) => {
        const current = await context.appointments.get(input.appointment.tenantId, input.appointment.id, {
          signal,
        });
        if (!current || current.status === 'cancelled') return;
        await context.appointments.update(
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
      run: async ({ input, attempt, signal }): Promise<CalendarStepOutput> => {
        if (input.existingCalendarBooking)
          return { ...input.existingCalendarBooking, queued: false, error: null };
        const { appointment } = input;
        try {
          if (attempt > 1) {
            // A repeated run may follow a create whose answer was lost: look before creating again.
            const found = await context.calendar.findByAppointment(
              appointment.tenantId,
              lookupOf(appointment, input.attendee.email),
              signal,
            );
            if (found) return toOutput(found);
          }
          return toOutput(await createBooking(context, input, signal));
        } catch (error) {
          if (isCalendarOutage(error) && !isBrokenCircuitError(error)) {
            const found = await lookUpAfterFailure(context, appointment, input.attendee.email, signal);
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
    .step('confirm', {
      run: async ({ input, results, signal }) => {
        const { appointment } = input;
        const current = await context.appointments.get(appointment.tenantId, appointment.id, { signal });
        if (!current) throw new Error(`Appointment ${appointment.id} vanished during its booking`);
        if (current.version !== appointment.version) return { status: current.status }; // re-run: done before
        const calendar = results.calendar;
        return commitWithEvents(context, changeOrigin(input), async (stores) => {
          if (calendar.queued) {
            const pending = nextVersion(
              current,
              {
                sync: {
                  status: 'pending',
                  attempts: 1,
                  lastError: calendar.error,
                  lastAttemptAt: nowIso(context.clock),
                },
              },
              context.clock,
            );
            await stores.appointments.update(pending, current.version, { signal });
            const syncFailed = appointmentEvent('appointment.sync_failed', pending, {
              appointmentId: pending.id,
              operation: 'create',
              error: calendar.error ?? 'calendar unavailable',
              attempts: 1,
              willRetry: true,
            });
            return { value: { status: pending.status }, events: [syncFailed] };
          }
          const confirmed = nextVersion(
            current,
            {
              status: 'confirmed',
              external: {
                ...current.external,
                calendarBookingUid: calendar.uid,
                calendarBookingId: calendar.id,
              },
              sync: { status: 'synced', attempts: 1, lastError: null, lastAttemptAt: nowIso(context.clock) },
            },
            context.clock,
          );
          await stores.appointments.update(confirmed, current.version, { signal });
          const booked = appointmentEvent('appointment.booked', confirmed, {
            appointmentId: confirmed.id,
            eventTypeId: confirmed.eventTypeId,
            customerId: confirmed.customerId,
            start: confirmed.start,
            end: confirmed.end,
            timeZone: confirmed.timeZone,
            calendarBookingUid: confirmed.external.calendarBookingUid,
            bookedBy: input.actor,
          });
          return { value: { status: confirmed.status }, events: [booked] };
        });
      },
    });
}

/** The book saga's definition type. @internal */
export type BookSaga = ReturnType<typeof createBookSaga>;

function createBooking(
  context: BookingContext,
  input: BookSagaInput,
  signal: AbortSignal,
): Promise<CalendarBooking> {
  const { appointment } = input;
  return context.calendar.create(
    {
      tenantId: appointment.tenantId,
      eventTypeId: appointment.eventTypeId,
      start: appointment.start,
      end: appointment.end,
      attendee: input.attendee,
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
  appointment: Appointment,
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
