import type { CalendarBooking } from '../ports/calendar-provider.js';
import { CLASS_OF_CAUSE, type DriftCause, type DriftClass, type LocalSide } from './drift.js';
import type { ComparedField } from './policy.js';

/** How a calendar booking was tied to an appointment. @internal */
export type Relation =
  /** The appointment's current booking. */
  | 'partner'
  /** A booking the calendar made by rescheduling the appointment's booking (a new uid). */
  | 'successor'
  /** Tagged with the appointment, which records no booking at all. */
  | 'unlinked';

/** The outcome of comparing one pair (or one side alone). @internal */
export interface Comparison {
  readonly class: DriftClass;
  /** `null` for `in_sync` and `both_cancelled`. */
  readonly cause: DriftCause | null;
  readonly details: string;
}

const isActiveLocal = (local: LocalSide): boolean =>
  local.status === 'pending' || local.status === 'confirmed';
const isActiveRemote = (remote: CalendarBooking): boolean =>
  remote.status === 'accepted' || remote.status === 'pending';
const same = (a: string, b: string): boolean => Date.parse(a) === Date.parse(b);

const drift = (cause: DriftCause, details: string): Comparison => ({
  class: CLASS_OF_CAUSE[cause],
  cause,
  details,
});
const IN_SYNC: Comparison = Object.freeze({ class: 'in_sync', cause: null, details: 'in sync' });

/**
 * Compares an appointment with its calendar booking. A local `no_show` is a local fact about an
 * appointment that took place: against an active booking only its times are compared.
 *
 * @internal
 */
export function comparePair(
  local: LocalSide,
  remote: CalendarBooking,
  relation: Relation,
  ignore: readonly ComparedField[],
): Comparison {
  const localActive = isActiveLocal(local) || local.status === 'no_show';
  const remoteActive = isActiveRemote(remote);
  const statusMatters = !ignore.includes('status');
  if (!localActive && !remoteActive) {
    return { class: 'both_cancelled', cause: null, details: `cancelled on both sides (${remote.status})` };
  }
  if (statusMatters && local.status === 'cancelled' && remoteActive) {
    return drift('cancelled_locally', `cancelled locally, ${remote.status} in the calendar (${remote.uid})`);
  }
  if (statusMatters && localActive && !remoteActive) {
    return drift(
      'cancelled_in_calendar',
      `${remote.status} in the calendar (${remote.uid}), ${local.status} locally`,
    );
  }
  if (!localActive || !remoteActive) return IN_SYNC;
  const startDiffers = !ignore.includes('start') && !same(local.start, remote.start);
  const endDiffers = !ignore.includes('end') && !same(local.end, remote.end);
  if (startDiffers || endDiffers) {
    const times = `locally ${local.start}–${local.end}, in the calendar ${remote.start}–${remote.end}`;
    return relation === 'successor'
      ? drift('rescheduled_in_calendar', `rescheduled in the calendar to ${remote.uid}: ${times}`)
      : drift('moved', `different times (${remote.uid}): ${times}`);
  }
  if (relation === 'successor') {
    // Rescheduled in the calendar to the time the appointment already has: only the uid is new.
    return drift('rescheduled_in_calendar', `rescheduled in the calendar to ${remote.uid} at the same time`);
  }
  if (statusMatters && local.status === 'pending' && remote.status === 'accepted') {
    return drift('pending_locally', `pending locally, accepted in the calendar (${remote.uid})`);
  }
  if (statusMatters && local.status === 'confirmed' && remote.status === 'pending') {
    return drift(
      'pending_in_calendar',
      `confirmed locally, awaiting the host in the calendar (${remote.uid})`,
    );
  }
  if (relation === 'unlinked') {
    return drift(
      'unlinked',
      `the calendar has booking ${remote.uid} for it; the appointment does not record it`,
    );
  }
  return IN_SYNC;
}

/**
 * Compares an appointment whose booking the calendar listing does not hold: drift only when it
 * is active. `rescheduledTo` is the uid the calendar moved its booking to, when that was seen.
 *
 * @internal
 */
export function compareLocalOnly(local: LocalSide, rescheduledTo: string | null): Comparison {
  if (!isActiveLocal(local)) return IN_SYNC;
  if (rescheduledTo !== null) {
    return drift(
      'rescheduled_outside_window',
      `the calendar rescheduled booking ${local.calendarBookingUid ?? '?'} to ${rescheduledTo}, which lies outside the window`,
    );
  }
  return drift(
    'not_in_calendar',
    local.calendarBookingUid === null
      ? 'active locally, never booked in the calendar'
      : `active locally; its calendar booking ${local.calendarBookingUid} is not in the calendar`,
  );
}

/**
 * Compares a calendar booking that no appointment stands for: drift only when it is active.
 * `duplicateOf` names the appointment it is tagged with when that appointment has another booking.
 *
 * @internal
 */
export function compareRemoteOnly(remote: CalendarBooking, duplicateOf: string | null): Comparison {
  if (!isActiveRemote(remote)) return IN_SYNC;
  if (duplicateOf !== null) {
    return drift('duplicate', `a second active booking (${remote.uid}) of appointment ${duplicateOf}`);
  }
  return drift('not_in_database', `booking ${remote.uid} is in the calendar only`);
}
