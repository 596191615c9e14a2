import { z } from 'zod';
import { Call, type CallStatus } from './call.js';
import { Id, Instant } from './common.js';

/**
 * What one provider event knows about a call: its id and any fields it carries. A field left out
 * or `null` means "not known from this event" and never erases a known value.
 */
export const CallPatch = Call.pick({
  fromNumber: true,
  toNumber: true,
  direction: true,
  callType: true,
  status: true,
  agentId: true,
  customerId: true,
  startedAt: true,
  endedAt: true,
  durationMs: true,
  disconnectionReason: true,
  transcript: true,
  analysis: true,
  costCents: true,
})
  .partial()
  .extend({
    /** The provider's call id (Retell's `call_id`). */
    id: Id,
    /** Appointments to link; added to the ones the call has. */
    appointmentIds: z.array(Id).optional(),
  });
/** @see {@link CallPatch} */
export type CallPatch = z.infer<typeof CallPatch>;

/**
 * One provider event's patch to a call, for `CallRepository.upsert`: `event` names the event
 * (`call_started`, `call_ended`, `call_analyzed`, ...) and is applied at most once per call; `at`
 * is when it was received (stored as `updatedAt`, and `createdAt` of a new record; default now).
 *
 * @example
 * ```ts
 * const upsert: CallUpsert = { event: 'call_ended', id: 'call_123', status: 'ended', costCents: 31 };
 * ```
 */
export const CallUpsert = CallPatch.extend({
  event: z.string().min(1),
  at: Instant.optional(),
});
/** @see {@link CallUpsert} */
export type CallUpsert = z.input<typeof CallUpsert>;

/** Where a status stands in a call's life; a status never moves back to a lower rank. */
function rankOf(status: CallStatus): number {
  switch (status) {
    case 'registered':
      return 0;
    case 'ended':
    case 'not_connected':
    case 'error':
      return 2;
    default:
      // `ongoing`, and statuses Retell may add: the call is live.
      return 1;
  }
}

type Mergeable = Exclude<keyof CallPatch, 'id' | 'appointmentIds' | 'status'>;
const MERGEABLE: readonly Mergeable[] = [
  'fromNumber',
  'toNumber',
  'direction',
  'callType',
  'agentId',
  'customerId',
  'startedAt',
  'endedAt',
  'durationMs',
  'disconnectionReason',
  'transcript',
  'analysis',
  'costCents',
];

/** A call nothing is known about yet but its id: what a first patch is applied to. */
function blankCall(tenantId: string, id: string, at: string): Call {
  return {
    id,
    tenantId,
    fromNumber: null,
    toNumber: null,
    direction: null,
    callType: null,
    status: 'registered',
    agentId: null,
    customerId: null,
    startedAt: null,
    endedAt: null,
    durationMs: null,
    disconnectionReason: null,
    transcript: null,
    analysis: null,
    costCents: null,
    appointmentIds: [],
    events: [],
    version: 0,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Applies `patch` (already validated) to `stored` (or to a new record when `null`), for the
 * adapters' `upsert` and `linkAppointment`. Rules, so that any arrival order gives one result:
 * the status never moves back in the call's life (`ended` stays `ended` when a late
 * `call_started` arrives); an event older than the stored status (a lower rank) only fills
 * fields still unknown; `null` and absent fields never erase; appointment ids are a set union;
 * `event` (when given) is recorded, and an event already recorded changes nothing.
 *
 * @returns the record to store at `version + 1`, or `null` when nothing changes (a duplicate
 *   event, or a link that is already there).
 * @internal
 */
export function mergeCall(
  stored: Call | null,
  tenantId: string,
  patch: CallPatch,
  event: string | null,
  at: string,
): Call | null {
  const base = stored ?? blankCall(tenantId, patch.id, at);
  if (event !== null && base.events.includes(event)) return null;
  const next: Call = { ...base, appointmentIds: [...base.appointmentIds], events: [...base.events] };
  let changed = stored === null || event !== null;
  const stale = patch.status != null && rankOf(patch.status) < rankOf(base.status);
  if (patch.status != null && !stale && patch.status !== base.status) {
    next.status = patch.status;
    changed = true;
  }
  for (const field of MERGEABLE) {
    const value = patch[field];
    if (value === undefined || value === null) continue;
    if (stale && base[field] !== null) continue;
    (next as Record<Mergeable, unknown>)[field] = value;
    changed = true;
  }
  for (const appointmentId of patch.appointmentIds ?? []) {
    if (next.appointmentIds.includes(appointmentId)) continue;
    next.appointmentIds.push(appointmentId);
    changed = true;
  }
  if (!changed) return null;
  if (event !== null) next.events.push(event);
  next.version = base.version + 1;
  next.updatedAt = at;
  return next;
}
