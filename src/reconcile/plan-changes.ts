import type { Appointment } from '../domain/appointment.js';
import type { CalendarBooking } from '../ports/calendar-provider.js';
import type { Relation } from './compare.js';
import { findLocalOf } from './local-lookup.js';
import { findRemoteOf } from './remote-lookup.js';
import { orderedListing } from './ordered-listing.js';
import { finishPlan, startPlan } from './plan-window.js';
import type { ReconciliationPlan } from './plan-types.js';
import type { ResolvedReconcilerOptions } from './reconciler-options.js';
import { follow, isRescheduleLink, localState, relate, rescheduledTo, type LocalState } from './relate.js';

/** What an incremental plan compares: what either side changed since its cursor. */
export interface ChangesPlanRequest {
  readonly tenant: string;
  /** Local changes at or after this instant (ISO); `null`: all. */
  readonly localSince: string | null;
  /** Calendar changes at or after this instant (ISO); `null`: all. */
  readonly remoteSince: string | null;
  readonly signal?: AbortSignal;
}

const EPOCH = new Date(0).toISOString();

/**
 * Plans an incremental reconciliation: the appointments and the bookings changed since the
 * cursors, each settled with its counterpart by point lookups (the calendar's tag lookup or the
 * appointment's own time, the repository's uid and id lookups). Memory: a page of each listing, and the ids of what changed
 * (to judge a pair changed on both sides once). Writes nothing.
 *
 * @internal
 */
export async function planChanges(
  options: ResolvedReconcilerOptions,
  request: ChangesPlanRequest,
): Promise<ReconciliationPlan> {
  const { tenant, signal } = request;
  const start = await startPlan(options, tenant, signal);
  const { builder } = start;
  const callOptions = signal ? { signal } : {};
  const limit = options.pageSize;
  const judged = new Set<string>();
  const seenRemote = new Set<string>();
  /** Appointments whose booking the calendar moved: its successor should follow among the changes. */
  const following = new Map<string, LocalState>();

  const local = orderedListing<Appointment>({
    tenantId: tenant,
    side: 'local',
    page: (cursor) =>
      options.appointments.list(
        tenant,
        {
          updatedSince: request.localSince ?? EPOCH,
          orderBy: 'updatedAt',
          limit,
          ...(cursor === undefined ? {} : { cursor }),
        },
        callOptions,
      ),
    keyOf: (appointment) => ({ time: Date.parse(appointment.updatedAt), id: appointment.id }),
  });
  while ((await local.peek()) !== undefined) {
    const appointment = local.take();
    if (judged.has(appointment.id)) continue;
    const booking = await findRemoteOf(options.calendar, tenant, appointment, limit, signal);
    const state = localState(appointment);
    const relation = booking === null ? 'none' : relate(state, booking);
    if (booking !== null && relation === 'link') {
      follow(state, booking);
      following.set(appointment.id, state);
      continue;
    }
    judged.add(appointment.id);
    if (booking === null || relation === 'none' || relation === 'stale') {
      builder.localOnly(appointment, null, []);
    } else if (relation === 'duplicate') {
      builder.remoteOnly(booking, appointment.id);
      seenRemote.add(booking.uid);
    } else {
      builder.pair(appointment, booking, relation as Relation, []);
      seenRemote.add(booking.uid);
    }
  }

  const remote = orderedListing<CalendarBooking>({
    tenantId: tenant,
    side: 'remote',
    page: (cursor) =>
      options.calendar.listBookingsUpdatedSince(
        tenant,
        { updatedAfter: request.remoteSince ?? EPOCH, limit, ...(cursor === undefined ? {} : { cursor }) },
        callOptions,
      ),
    keyOf: (booking) => ({ time: Date.parse(booking.updatedAt), id: booking.uid }),
  });
  while ((await remote.peek()) !== undefined) {
    const booking = remote.take();
    if (seenRemote.has(booking.uid)) continue;
    seenRemote.add(booking.uid);
    const appointment = await findLocalOf(options.appointments, tenant, booking, signal);
    if (appointment === null) {
      if (!isRescheduleLink(booking)) builder.remoteOnly(booking, null);
      continue;
    }
    if (judged.has(appointment.id)) continue;
    const state = following.get(appointment.id) ?? localState(appointment);
    const relation = relate(state, booking);
    if (relation === 'link') {
      follow(state, booking);
      following.set(appointment.id, state);
    } else if (relation === 'duplicate') {
      builder.remoteOnly(booking, appointment.id);
    } else if (relation === 'partner' || relation === 'successor' || relation === 'unlinked') {
      judged.add(appointment.id);
      following.delete(appointment.id);
      builder.pair(state.appointment, booking, relation, state.links);
    }
  }
  // Moved in the calendar to a booking that did not show up among the changes.
  for (const state of following.values()) {
    if (!judged.has(state.appointment.id))
      builder.localOnly(state.appointment, rescheduledTo(state), state.links);
  }

  return finishPlan(options, start, {
    tenantId: tenant,
    mode: 'incremental',
    window: null,
    since: { local: request.localSince, remote: request.remoteSince },
    listed: { local: local.count, remote: remote.count, localPages: local.pages, remotePages: remote.pages },
  });
}
