import { defineSaga } from '../../saga/define-saga.js';
import { NonRetryableError } from '../../saga/step-errors.js';
import type { CalendarUnavailablePolicy } from '../../tenancy/tenant.js';
import { isSlotConflictError } from '../errors.js';
import type { Appointment } from '../../domain/appointment.js';
import type { TimeRange } from '../../domain/time-range.js';
import type { Actor, Origin } from '../../domain/origin.js';
import {
  appointmentEvent,
  nextVersion,
  nowIso,
  type BookingContext,
  type BookingTransaction,
  type ChangeOrigin,
} from './booking-context.js';
import type { AppointmentRepository } from '../../ports/appointment-repository.js';
import { CALENDAR_STEP_RETRY, lookupOf, onCalendarStepFailure } from './calendar-gateway.js';
import { calendarModeOf, type CalendarMode } from './commands.js';

/** What the reschedule saga is started with (JSON). @internal */
export interface RescheduleSagaInput {
  readonly tenantId: string;
  readonly appointmentId: string;
  /** The appointment's version when the command was accepted. */
  readonly version: number;
  readonly previous: TimeRange;
  readonly next: TimeRange;
  readonly reason: string | null;
  readonly policy: CalendarUnavailablePolicy;
  readonly origin: Origin;
  /**
   * `already_applied`: the calendar moved it already; the calendar step leaves it alone. Absent
   * in sagas logged before the field existed: then origin `calcom` means `already_applied`.
   */
  readonly calendar?: CalendarMode;
  readonly actor: Actor;
  readonly correlationId: string;
  /** The calendar booking before the move. */
  readonly previousUid: string | null;
  /** Set when the calendar already moved it (`already_applied`): its new uid. */
  readonly calendarUidFromCalendar: string | null;
}

function changeOrigin(input: RescheduleSagaInput): ChangeOrigin {
  return {
    tenantId: input.tenantId,
    origin: input.origin,
    actor: input.actor,
    correlationId: input.correlationId,
  };
}

async function load(
  appointments: AppointmentRepository,
  input: RescheduleSagaInput,
  signal: AbortSignal,
): Promise<Appointment> {
  const current = await appointments.get(input.tenantId, input.appointmentId, { signal });
  if (!current) throw new Error(`Appointment ${input.appointmentId} vanished during its reschedule`);
  return current;
}

/**
 * Rescheduling as a saga: `move` (the local appointment takes the new time; the double-booking
 * rule applies), `calendar` (move the calendar booking, unless the calendar has the move already:
 * `calendar: 'already_applied'`),
 * `confirm` (record the calendar's new uid and write `appointment.rescheduled`; its output carries the
 * appointment as it left it). A failure moves
 * the calendar booking and the appointment back.
 *
 * @internal
 */
export function createRescheduleSaga(context: BookingContext) {
  return defineSaga<RescheduleSagaInput, BookingTransaction>({ name: 'bookingkit.reschedule' })
    .localStep('move', {
      run: async ({ input, tx, signal }) => {
        const current = await load(tx.appointments, input, signal);
        if (current.start === input.next.start && current.end === input.next.end)
          return { version: current.version };
        try {
          const moved = nextVersion(
            current,
            { ...input.next, origin: input.origin, rescheduledBy: input.actor },
            context.clock,
          );
          await tx.appointments.update(moved, current.version, { signal });
          return { version: moved.version };
        } catch (error) {
          if (isSlotConflictError(error)) throw new NonRetryableError(error);
          throw error;
        }
      },
      compensate: async ({ input, tx, signal }) => {
        const current = await load(tx.appointments, input, signal);
        if (current.start === input.previous.start && current.end === input.previous.end) return;
        await tx.appointments.update(
          nextVersion(current, { ...input.previous }, context.clock),
          current.version,
          { signal },
        );
      },
    })
    .step('calendar', {
      run: async ({ input, attempt, signal }) => {
        const alreadyApplied = calendarModeOf(input) === 'already_applied';
        if (alreadyApplied || input.previousUid === null) {
          return {
            uid: input.calendarUidFromCalendar ?? input.previousUid,
            queued: input.previousUid === null && !alreadyApplied,
            error: null,
          };
        }
        try {
          if (attempt > 1) {
            const { eventTypeId } = await load(context.appointments, input, signal);
            const found = await context.calendar.findByAppointment(
              input.tenantId,
              lookupOf({ id: input.appointmentId, eventTypeId, ...input.next }, null),
              signal,
            );
            if (found && found.uid !== input.previousUid && found.start === input.next.start) {
              return { uid: found.uid, queued: false, error: null };
            }
          }
          const moved = await context.calendar.reschedule(
            input.tenantId,
            input.previousUid,
            input.next,
            input.reason,
            signal,
          );
          return { uid: moved.uid, queued: false, error: null };
        } catch (error) {
          const queuedBecause = onCalendarStepFailure(
            error,
            attempt,
            input.policy,
            input.tenantId,
            'reschedule',
          );
          return { uid: input.previousUid, queued: true, error: queuedBecause };
        }
      },
      compensate: async ({ input, output, signal }) => {
        if (
          output.queued ||
          output.uid === null ||
          output.uid === input.previousUid ||
          calendarModeOf(input) === 'already_applied'
        )
          return;
        // Cal.com answers a reschedule with a new booking: moving back yields yet another uid.
        const back = await context.calendar.reschedule(
          input.tenantId,
          output.uid,
          input.previous,
          'reschedule undone',
          signal,
        );
        const current = await load(context.appointments, input, signal);
        const previousUids = [...current.external.previousCalendarBookingUids, output.uid];
        await context.appointments.update(
          nextVersion(
            current,
            {
              external: {
                ...current.external,
                calendarBookingUid: back.uid,
                previousCalendarBookingUids: previousUids,
              },
            },
            context.clock,
          ),
          current.version,
          { signal },
        );
      },
      retry: CALENDAR_STEP_RETRY,
    })
    .localStep('confirm', {
      run: async ({ input, results, tx, signal }) => {
        const current = await load(tx.appointments, input, signal);
        // Re-run: done before.
        if (current.version !== results.move.version)
          return { version: current.version, appointment: current };
        const { uid, queued, error } = results.calendar;
        const uidChanged = uid !== null && uid !== current.external.calendarBookingUid;
        const external = uidChanged
          ? {
              ...current.external,
              calendarBookingUid: uid,
              previousCalendarBookingUids: current.external.calendarBookingUid
                ? [...current.external.previousCalendarBookingUids, current.external.calendarBookingUid]
                : current.external.previousCalendarBookingUids,
            }
          : current.external;
        const sync = queued
          ? {
              status: 'pending' as const,
              attempts: current.sync.attempts + 1,
              lastError: error,
              lastAttemptAt: nowIso(context.clock),
            }
          : {
              status: 'synced' as const,
              attempts: current.sync.attempts + 1,
              lastError: null,
              lastAttemptAt: nowIso(context.clock),
            };
        const done = nextVersion(current, { external, sync }, context.clock);
        await tx.appointments.update(done, current.version, { signal });
        const rescheduled = appointmentEvent('appointment.rescheduled', done, {
          appointmentId: done.id,
          eventTypeId: done.eventTypeId,
          previous: input.previous,
          start: done.start,
          end: done.end,
          timeZone: done.timeZone,
          calendarBookingUid: done.external.calendarBookingUid,
          previousCalendarBookingUid: input.previousUid,
          rescheduledBy: input.actor,
          reason: input.reason,
        });
        const events = queued
          ? [
              rescheduled,
              appointmentEvent('appointment.sync_failed', done, {
                appointmentId: done.id,
                operation: input.previousUid === null ? 'create' : 'reschedule',
                error: error ?? 'calendar unavailable',
                attempts: done.sync.attempts,
                willRetry: true,
              }),
            ]
          : [rescheduled];
        await tx.record(changeOrigin(input), events);
        return { version: done.version, appointment: done };
      },
    });
}

/** What the reschedule saga's `confirm` step answers: the appointment as it left it. @internal */
export interface RescheduleConfirmOutput {
  readonly version: number;
  readonly appointment: Appointment;
}

/** The reschedule saga's definition type. @internal */
export type RescheduleSaga = ReturnType<typeof createRescheduleSaga>;
