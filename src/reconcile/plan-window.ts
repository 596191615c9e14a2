import type { Appointment } from '../domain/appointment.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { CalendarBooking } from '../ports/calendar-provider.js';
import { uuidv7 } from '../util/uuid.js';
import { appointmentsInLiveSagas, inFlightCheck } from './in-flight.js';
import { findLocalOf } from './local-lookup.js';
import { mergeJoin } from './merge-join.js';
import { orderedListing } from './ordered-listing.js';
import { createPlanBuilder, type PlanBuilder } from './plan-builder.js';
import type { ReconciliationPlan } from './plan-types.js';
import type { ResolvedReconcilerOptions } from './reconciler-options.js';

/** What `plan` compares: a tenant's bookings overlapping `[from, to)`. */
export interface PlanRequest {
  readonly tenant: string;
  /** ISO instant. */
  readonly from: string;
  /** ISO instant, after `from`. */
  readonly to: string;
  readonly signal?: AbortSignal;
}

/** The shared start of a plan: run id, clock, in-flight rules and builder. @internal */
export async function startPlan(options: ResolvedReconcilerOptions, tenantId: string, signal?: AbortSignal) {
  const startedAt = options.clock.now();
  const live = await appointmentsInLiveSagas(options.bookings.coordinator, tenantId, signal);
  const policy = await options.policyFor(tenantId);
  const builder = createPlanBuilder(policy, inFlightCheck(live, startedAt, options.graceMs));
  return { runId: uuidv7(startedAt), startedAt, builder };
}

/** The plan out of a builder. @internal */
export function finishPlan(
  options: ResolvedReconcilerOptions,
  start: { readonly runId: string; readonly startedAt: number; readonly builder: PlanBuilder },
  fields: Pick<ReconciliationPlan, 'tenantId' | 'mode' | 'window' | 'since' | 'listed'>,
): ReconciliationPlan {
  const { builder } = start;
  const counts = builder.counts();
  const items = builder.items();
  return {
    runId: start.runId,
    ...fields,
    startedAt: new Date(start.startedAt).toISOString(),
    durationMs: options.clock.now() - start.startedAt,
    counts,
    compared: Object.values(counts.classes).reduce((sum, n) => sum + n, 0),
    cancellations: items.filter((item) => item.cancels).length,
    items,
    oldestSkippedUpdate: builder.oldestSkippedUpdate(),
  };
}

/**
 * Plans a full reconciliation of one window: both sides listed page by page in start order and
 * merge-joined (see `mergeJoin`). Writes nothing.
 *
 * @internal
 */
export async function planWindow(
  options: ResolvedReconcilerOptions,
  request: PlanRequest,
): Promise<ReconciliationPlan> {
  const { tenant, signal } = request;
  const from = Date.parse(request.from);
  const to = Date.parse(request.to);
  if (!Number.isFinite(from)) throw new InvalidOptionError('from', request.from, 'an ISO instant');
  if (!Number.isFinite(to) || to <= from)
    throw new InvalidOptionError('to', request.to, 'an ISO instant after from');
  const window = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  const start = await startPlan(options, tenant, signal);
  const callOptions = signal ? { signal } : {};
  const limit = options.pageSize;
  const local = orderedListing<Appointment>({
    tenantId: tenant,
    side: 'local',
    page: (cursor) =>
      options.appointments.list(
        tenant,
        { ...window, limit, ...(cursor === undefined ? {} : { cursor }) },
        callOptions,
      ),
    keyOf: (appointment) => ({ time: Date.parse(appointment.start), id: appointment.id }),
  });
  const remote = orderedListing<CalendarBooking>({
    tenantId: tenant,
    side: 'remote',
    page: (cursor) =>
      options.calendar.listBookings(
        tenant,
        { ...window, limit, ...(cursor === undefined ? {} : { cursor }) },
        callOptions,
      ),
    keyOf: (booking) => ({ time: Date.parse(booking.start), id: booking.uid }),
  });
  await mergeJoin({
    local,
    remote,
    from,
    to,
    lookupLocal: (booking) => findLocalOf(options.appointments, tenant, booking, signal),
    builder: start.builder,
  });
  return finishPlan(options, start, {
    tenantId: tenant,
    mode: 'full',
    window,
    since: null,
    listed: { local: local.count, remote: remote.count, localPages: local.pages, remotePages: remote.pages },
  });
}
