import type { AppointmentStatus } from '../domain/appointment.js';
import type { CalendarBooking } from '../ports/calendar-provider.js';

/**
 * How the two sides of one booking compare. `in_sync` and `both_cancelled` need nothing; the
 * other four are drift:
 * - `missing_remote`: the local appointment is active but the calendar has no booking for it;
 * - `missing_local`: the calendar has an active booking that no local appointment stands for;
 * - `time_drift`: both are active, at different times;
 * - `status_drift`: cancelled on one side only, or pending on one and accepted on the other.
 */
export type DriftClass =
  'in_sync' | 'missing_remote' | 'missing_local' | 'time_drift' | 'status_drift' | 'both_cancelled';

/** Every {@link DriftClass}, in report order. */
export const DRIFT_CLASSES: readonly DriftClass[] = Object.freeze([
  'in_sync',
  'missing_remote',
  'missing_local',
  'time_drift',
  'status_drift',
  'both_cancelled',
]);

/**
 * Why a pair drifted, finer than its class; the policy chooses an action per cause.
 *
 * | cause | class | what was found |
 * | --- | --- | --- |
 * | `not_in_calendar` | missing_remote | an active appointment with no calendar booking |
 * | `unlinked` | missing_remote | the calendar has the tagged booking but the appointment does not record it |
 * | `not_in_database` | missing_local | an active calendar booking no appointment stands for |
 * | `duplicate` | missing_local | a second active booking tagged with an appointment that has another |
 * | `moved` | time_drift | the same booking at different times, with no reschedule to explain it |
 * | `rescheduled_in_calendar` | time_drift | the calendar rescheduled the booking (new uid) and the appointment never heard |
 * | `rescheduled_outside_window` | time_drift | as above, but the new booking lies outside the listed window |
 * | `cancelled_in_calendar` | status_drift | cancelled in the calendar only |
 * | `cancelled_locally` | status_drift | cancelled locally only |
 * | `pending_locally` | status_drift | pending locally, accepted in the calendar |
 * | `pending_in_calendar` | status_drift | confirmed locally, pending (awaiting the host) in the calendar |
 */
export type DriftCause =
  | 'not_in_calendar'
  | 'unlinked'
  | 'not_in_database'
  | 'duplicate'
  | 'moved'
  | 'rescheduled_in_calendar'
  | 'rescheduled_outside_window'
  | 'cancelled_in_calendar'
  | 'cancelled_locally'
  | 'pending_locally'
  | 'pending_in_calendar';

/** The class each {@link DriftCause} belongs to. */
export const CLASS_OF_CAUSE: Readonly<Record<DriftCause, Exclude<DriftClass, 'in_sync' | 'both_cancelled'>>> =
  Object.freeze({
    not_in_calendar: 'missing_remote',
    unlinked: 'missing_remote',
    not_in_database: 'missing_local',
    duplicate: 'missing_local',
    moved: 'time_drift',
    rescheduled_in_calendar: 'time_drift',
    rescheduled_outside_window: 'time_drift',
    cancelled_in_calendar: 'status_drift',
    cancelled_locally: 'status_drift',
    pending_locally: 'status_drift',
    pending_in_calendar: 'status_drift',
  });

/**
 * What to do about a drifted pair:
 * - `heal_remote`: create the booking in the calendar, idempotently (`BookingService.syncToCalendar`);
 * - `import_local`: record the calendar's booking as a local appointment (`book` with the
 *   existing booking, calendar `already_applied`);
 * - `accept_remote`: the local side takes the calendar's state (reschedule, cancel or confirm
 *   locally, calendar `already_applied`: nothing is pushed back);
 * - `accept_local`: the calendar takes the local state (cancel or move the booking there);
 * - `flag_manual_review`: change nothing; raise `appointment.manual_review_required`.
 */
export type ReconcileAction =
  'heal_remote' | 'import_local' | 'accept_remote' | 'accept_local' | 'flag_manual_review';

/** The local side of a pair, as much of the appointment as a plan keeps. */
export interface LocalSide {
  readonly id: string;
  readonly status: AppointmentStatus;
  readonly start: string;
  readonly end: string;
  readonly eventTypeId: string;
  readonly version: number;
  readonly calendarBookingUid: string | null;
  readonly updatedAt: string;
}

/** One drifted pair and the action the tenant's policy chose for it. */
export interface PlanItem {
  /**
   * Stable identity of this drift (cause, appointment, booking, appointment version): the
   * idempotency keys of the commands `apply` sends derive from it, so applying the same drift
   * twice (an interrupted apply run again) replays instead of acting twice.
   */
  readonly id: string;
  readonly class: Exclude<DriftClass, 'in_sync' | 'both_cancelled'>;
  readonly cause: DriftCause;
  readonly action: ReconcileAction;
  /** The local appointment, or `null` (`missing_local`). */
  readonly local: LocalSide | null;
  /** The calendar booking, or `null` (`missing_remote`; a reschedule to outside the window). */
  readonly remote: CalendarBooking | null;
  /** Whether the action cancels an active booking on either side (what the mass-cancel guard counts). */
  readonly cancels: boolean;
  /** What was found, in words, for logs and the manual-review event. */
  readonly details: string;
}

/** The local side of an appointment, as a plan item keeps it. @internal */
export function localSideOf(appointment: {
  readonly id: string;
  readonly status: AppointmentStatus;
  readonly start: string;
  readonly end: string;
  readonly eventTypeId: string;
  readonly version: number;
  readonly external: { readonly calendarBookingUid: string | null };
  readonly updatedAt: string;
}): LocalSide {
  return {
    id: appointment.id,
    status: appointment.status,
    start: appointment.start,
    end: appointment.end,
    eventTypeId: appointment.eventTypeId,
    version: appointment.version,
    calendarBookingUid: appointment.external.calendarBookingUid,
    updatedAt: appointment.updatedAt,
  };
}
