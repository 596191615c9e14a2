/**
 * What a Cal.com webhook did locally:
 * - `imported`: a booking made in Cal.com was recorded as a new appointment;
 * - `confirmed`, `rescheduled`, `cancelled`, `no_show_marked`, `no_show_cleared`: the appointment
 *   it concerns changed that way (with origin `calcom`, so nothing is sent back to Cal.com);
 * - `unchanged`: the appointment already reflects it (our own booking, a later state, a stale
 *   delivery about an uid the appointment has moved on from);
 * - `tombstoned`: a cancellation for a booking not (yet) known, remembered so that its creation,
 *   if it arrives later, is not imported;
 * - `skipped`: a creation for a booking whose cancellation arrived first;
 * - `acknowledged`: `PING` and `MEETING_STARTED` / `MEETING_ENDED`, which change nothing;
 * - `ignored`: a trigger bookingkit does not act on, or a booking it does not know.
 */
export type CalcomIngestionAction =
  | 'imported'
  | 'confirmed'
  | 'rescheduled'
  | 'cancelled'
  | 'no_show_marked'
  | 'no_show_cleared'
  | 'unchanged'
  | 'tombstoned'
  | 'skipped'
  | 'acknowledged'
  | 'ignored';

/** The outcome of one Cal.com webhook; the handler answers it as JSON (status 200). */
export interface CalcomIngestionResult {
  /** The trigger as sent. */
  readonly trigger: string;
  readonly action: CalcomIngestionAction;
  /** The appointment it concerned, when there is one. */
  readonly appointmentId: string | null;
  /** Why, for `unchanged`, `skipped` and `ignored`. */
  readonly detail: string | null;
  /**
   * `true` when this delivery was seen before (same trigger, booking uid, start and status) and
   * this is the first delivery's result, replayed without acting again.
   */
  readonly replayed: boolean;
}
