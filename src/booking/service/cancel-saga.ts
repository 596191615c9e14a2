import { defineSaga } from '../../saga/define-saga.js';
import type { CalendarUnavailablePolicy } from '../../tenancy/tenant.js';
import type { Actor, Origin } from '../../domain/origin.js';
import type { Appointment } from '../../domain/appointment.js';
import {
  appointmentEvent,
  nextVersion,
  nowIso,
  type BookingContext,
  type BookingTransaction,
} from './booking-context.js';
import { CALENDAR_STEP_RETRY, onCalendarStepFailure } from './calendar-gateway.js';
import { calendarModeOf, type CalendarMode } from './commands.js';

/** What the cancel saga is started with (JSON). @internal */
export interface CancelSagaInput {
  readonly tenantId: string;
  readonly appointmentId: string;
  readonly reason: string | null;
  readonly policy: CalendarUnavailablePolicy;
  readonly origin: Origin;
  /**
   * `already_applied`: the calendar cancelled it already; the step leaves it alone. Absent in
   * sagas logged before the field existed: then origin `calcom` means `already_applied`.
   */
  readonly calendar?: CalendarMode;
  readonly actor: Actor;
  readonly correlationId: string;
  /** The calendar booking to cancel; `null` when it never reached the calendar. */
  readonly calendarUid: string | null;
  /** The host asked the attendee to book another time (Cal.com's `requestReschedule`). @default false */
  readonly requestReschedule?: boolean;
}

/**
 * Cancelling as a saga: `calendar` first (a cancellation cannot be undone there, so nothing local
 * changes unless the calendar agreed or the tenant queues), then `cancel` locally with
 * `appointment.cancelled` (its output carries the appointment as it left it). A change the calendar already has (`calendar: 'already_applied'`) skips the
 * first step.
 *
 * @internal
 */
export function createCancelSaga(context: BookingContext) {
  return defineSaga<CancelSagaInput, BookingTransaction>({ name: 'bookingkit.cancel' })
    .step('calendar', {
      run: async ({ input, attempt, signal }) => {
        if (calendarModeOf(input) === 'already_applied' || input.calendarUid === null)
          return { queued: false, error: null };
        try {
          await context.calendar.cancel(input.tenantId, input.calendarUid, input.reason, signal);
          return { queued: false, error: null };
        } catch (error) {
          const queuedBecause = onCalendarStepFailure(error, attempt, input.policy, input.tenantId, 'cancel');
          return { queued: true, error: queuedBecause };
        }
      },
      retry: CALENDAR_STEP_RETRY,
    })
    .localStep('cancel', {
      run: async ({ input, results, tx, signal }) => {
        const current = await tx.appointments.get(input.tenantId, input.appointmentId, { signal });
        if (!current) throw new Error(`Appointment ${input.appointmentId} vanished during its cancellation`);
        if (current.status === 'cancelled') return { version: current.version, appointment: current }; // re-run: done before
        const { queued, error } = results.calendar;
        const origin = {
          tenantId: input.tenantId,
          origin: input.origin,
          actor: input.actor,
          correlationId: input.correlationId,
        };
        const cancelled = nextVersion(
          current,
          {
            status: 'cancelled',
            origin: input.origin,
            cancelledBy: input.actor,
            cancellationReason: input.reason,
            ...(input.requestReschedule
              ? { metadata: { ...current.metadata, requestReschedule: true } }
              : {}),
            sync: queued
              ? {
                  status: 'pending',
                  attempts: current.sync.attempts + 1,
                  lastError: error,
                  lastAttemptAt: nowIso(context.clock),
                }
              : current.sync,
          },
          context.clock,
        );
        await tx.appointments.update(cancelled, current.version, { signal });
        const event = appointmentEvent('appointment.cancelled', cancelled, {
          appointmentId: cancelled.id,
          eventTypeId: cancelled.eventTypeId,
          start: cancelled.start,
          end: cancelled.end,
          calendarBookingUid: cancelled.external.calendarBookingUid,
          cancelledBy: input.actor,
          reason: input.reason,
        });
        const syncFailed = appointmentEvent('appointment.sync_failed', cancelled, {
          appointmentId: cancelled.id,
          operation: 'cancel',
          error: error ?? 'calendar unavailable',
          attempts: cancelled.sync.attempts,
          willRetry: true,
        });
        await tx.record(origin, queued ? [event, syncFailed] : [event]);
        return { version: cancelled.version, appointment: cancelled };
      },
    });
}

/** What the cancel saga's `cancel` step answers: the appointment as it left it. @internal */
export interface CancelStepOutput {
  readonly version: number;
  readonly appointment: Appointment;
}

/** The cancel saga's definition type. @internal */
export type CancelSaga = ReturnType<typeof createCancelSaga>;
