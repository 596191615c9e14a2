import type { Appointment } from '../domain/appointment.js';
import type { CalendarBooking } from '../ports/calendar-provider.js';
import {
  comparePair,
  compareLocalOnly,
  compareRemoteOnly,
  type Comparison,
  type Relation,
} from './compare.js';
import { DRIFT_CLASSES, localSideOf, type DriftClass, type PlanItem, type ReconcileAction } from './drift.js';
import type { InFlightCheck, SkipReason } from './in-flight.js';
import type { ReconcilePolicy } from './policy.js';
import type { PlanCounts } from './plan-types.js';

/** What became of an appointment that `localOnly` judged without its booking. @internal */
export type TentativeOutcome = 'replaced' | 'skipped' | 'absent';

/** Collects a plan's results as pairs are found. @internal */
export interface PlanBuilder {
  /** An appointment and its booking (`links`: the old halves of reschedules on the way). */
  pair(
    local: Appointment,
    remote: CalendarBooking,
    relation: Relation,
    links: readonly CalendarBooking[],
  ): void;
  /**
   * An appointment whose booking was not found (so far): recorded tentatively, since its
   * booking may still turn up further on (a time drift) and then `takeBack` withdraws it.
   */
  localOnly(local: Appointment, rescheduledTo: string | null, links: readonly CalendarBooking[]): void;
  /** A booking that no appointment stands for (`duplicateOf`: the appointment it is a second booking of). */
  remoteOnly(remote: CalendarBooking, duplicateOf: string | null): void;
  /** Withdraws what `localOnly` recorded for the appointment, so that it can be paired after all. */
  takeBack(appointmentId: string): TentativeOutcome;
  readonly counts: () => PlanCounts;
  readonly items: () => PlanItem[];
  readonly oldestSkippedUpdate: () => string | null;
}

const CANCELLING: ReadonlySet<string> = new Set([
  'accept_remote:cancelled_in_calendar',
  'accept_remote:not_in_calendar',
  'accept_local:cancelled_locally',
  'accept_local:not_in_database',
  'accept_local:duplicate',
]);

/** Creates a {@link PlanBuilder}. @internal */
export function createPlanBuilder(policy: ReconcilePolicy, inFlight: InFlightCheck): PlanBuilder {
  const classes = Object.fromEntries(DRIFT_CLASSES.map((c) => [c, 0])) as Record<DriftClass, number>;
  const skipped: Record<SkipReason, number> = { saga_unfinished: 0, sync_queued: 0, recently_changed: 0 };
  const items: (PlanItem | null)[] = [];
  /** Appointments judged alone: the index of their item, or their count, to take back. */
  const tentative = new Map<
    string,
    { item: number | null; counted: DriftClass | 'skipped'; reason?: SkipReason }
  >();
  let oldestSkipped: number | null = null;

  const skip = (reason: SkipReason, updatedAt: string): void => {
    skipped[reason] += 1;
    const at = Date.parse(updatedAt);
    if (oldestSkipped === null || at < oldestSkipped) oldestSkipped = at;
  };

  /** Records a comparison; answers the index of its item, if it has one. */
  const record = (
    comparison: Comparison,
    local: Appointment | null,
    remote: CalendarBooking | null,
  ): number | null => {
    classes[comparison.class] += 1;
    if (comparison.cause === null) return null;
    const action: ReconcileAction = policy.actions[comparison.cause];
    const side = local ? localSideOf(local) : null;
    items.push({
      id: `${comparison.cause}:${side?.id ?? '-'}:${remote?.uid ?? '-'}:v${side?.version ?? 0}`,
      class: comparison.class as PlanItem['class'],
      cause: comparison.cause,
      action,
      local: side,
      remote,
      cancels: CANCELLING.has(`${action}:${comparison.cause}`),
      details: comparison.details,
    });
    return items.length - 1;
  };

  const remoteSkip = (bookings: readonly CalendarBooking[]): { reason: SkipReason; at: string } | null => {
    for (const booking of bookings) {
      const reason = inFlight.remote(booking);
      if (reason) return { reason, at: booking.updatedAt };
    }
    return null;
  };

  return {
    pair(local, remote, relation, links) {
      const reason = inFlight.local(local);
      if (reason) return skip(reason, local.updatedAt);
      const remoteReason = remoteSkip([remote, ...links]);
      if (remoteReason) return skip(remoteReason.reason, remoteReason.at);
      record(comparePair(localSideOf(local), remote, relation, policy.ignore), local, remote);
    },
    localOnly(local, rescheduledTo, links) {
      const reason = inFlight.local(local) ?? remoteSkip(links)?.reason ?? null;
      if (reason) {
        skip(reason, local.updatedAt);
        tentative.set(local.id, { item: null, counted: 'skipped', reason });
        return;
      }
      const comparison = compareLocalOnly(localSideOf(local), rescheduledTo);
      const item = record(comparison, local, links[links.length - 1] ?? null);
      tentative.set(local.id, { item, counted: comparison.class });
    },
    remoteOnly(remote, duplicateOf) {
      const reason = inFlight.remote(remote);
      if (reason) return skip(reason, remote.updatedAt);
      record(compareRemoteOnly(remote, duplicateOf), null, remote);
    },
    takeBack(appointmentId) {
      const entry = tentative.get(appointmentId);
      if (!entry) return 'absent';
      tentative.delete(appointmentId);
      if (entry.counted === 'skipped') return 'skipped';
      classes[entry.counted] -= 1;
      if (entry.item !== null) items[entry.item] = null;
      return 'replaced';
    },
    counts: () => ({ classes: { ...classes }, skipped: { ...skipped } }),
    items: () => items.filter((item): item is PlanItem => item !== null),
    oldestSkippedUpdate: () => (oldestSkipped === null ? null : new Date(oldestSkipped).toISOString()),
  };
}
