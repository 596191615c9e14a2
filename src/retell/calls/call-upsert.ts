import type { CallUpsert } from '../../domain/call-merge.js';
import type { RetellCall } from '../webhook-schema.js';

/** Options of {@link retellCallUpsert}. */
export interface RetellCallUpsertOptions {
  /** When the webhook was received, epoch ms (the record's `updatedAt`). */
  readonly receivedAt: number;
  /** The customer the caller is, when known (looked up by the caller's number). */
  readonly customerId?: string | null;
  /**
   * Keep the transcript text. Even when `true`, a call whose `data_storage_setting` is
   * `basic_attributes_only` (or that carries the legacy `opt_out_sensitive_data_storage`) keeps
   * none: the tenant asked Retell not to store it, so bookingkit does not either.
   * @default true
   */
  readonly transcript?: boolean;
}

const iso = (ms: number | null | undefined): string | null =>
  typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null;

const wholeNonNegative = (value: number | null | undefined): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;

/** Whether the call's owner asked Retell to keep no transcript or recording. */
function storesNoTranscript(call: RetellCall): boolean {
  return (
    call.data_storage_setting === 'basic_attributes_only' || call.opt_out_sensitive_data_storage === true
  );
}

/**
 * The cost of a call in whole cents. Retell reports `call_cost.combined_cost` in cents already
 * (not dollars), with fractions of a cent; it is rounded to the nearest cent.
 *
 * @example
 * ```ts
 * declare const call: RetellCall;
 * // ---cut---
 * retellCostCents(call); // 31 for combined_cost 30.6, null when Retell sent no cost
 * ```
 */
export function retellCostCents(call: Pick<RetellCall, 'call_cost'>): number | null {
  return wholeNonNegative(call.call_cost?.combined_cost);
}

/**
 * How long a call lasted, ms: Retell's `duration_ms`, or its end minus its start when it sent no
 * duration; `null` when neither is known (a call that never connected).
 *
 * @example
 * ```ts
 * declare const call: RetellCall;
 * // ---cut---
 * retellDurationMs(call); // 95000
 * ```
 */
export function retellDurationMs(
  call: Pick<RetellCall, 'duration_ms' | 'start_timestamp' | 'end_timestamp'>,
): number | null {
  const { start_timestamp: start, end_timestamp: end } = call;
  return (
    wholeNonNegative(call.duration_ms) ??
    (typeof start === 'number' && typeof end === 'number' ? wholeNonNegative(end - start) : null)
  );
}

/**
 * What one Retell webhook knows about a call, as a `CallUpsert` for `CallRepository.upsert`:
 * status, type and direction (a web call's direction is `web`), numbers, agent, start and end
 * (epoch ms to ISO), duration (from `duration_ms`, or end minus start), disconnection reason,
 * transcript, post-call analysis and cost in cents. Values Retell leaves out stay out, so they
 * never erase what an earlier event stored; statuses and reasons Retell adds are kept as sent.
 *
 * @param event - the webhook's event name (`call_started`, `call_ended`, `call_analyzed`, ...):
 *   the repository applies each event once per call.
 * @example
 * ```ts
 * declare const call: RetellCall;
 * declare const calls: CallRepository;
 * // ---cut---
 * const upsert = retellCallUpsert('call_ended', call, { receivedAt: Date.now() });
 * const { applied } = await calls.upsert('tenant-a', upsert);
 * ```
 */
export function retellCallUpsert(
  event: string,
  call: RetellCall,
  options: RetellCallUpsertOptions,
): CallUpsert {
  const startedAt = iso(call.start_timestamp);
  const endedAt = iso(call.end_timestamp);
  const durationMs = retellDurationMs(call);
  const phone = call.call_type === 'phone_call' ? call : null;
  const keepTranscript = (options.transcript ?? true) && !storesNoTranscript(call);
  const analysis = call.call_analysis ? { ...call.call_analysis } : null;
  return {
    event,
    id: call.call_id,
    at: new Date(options.receivedAt).toISOString(),
    status: call.call_status,
    callType: call.call_type,
    direction: phone ? phone.direction : 'web',
    fromNumber: phone?.from_number ?? null,
    toNumber: phone?.to_number ?? null,
    agentId: call.agent_id,
    customerId: options.customerId ?? null,
    startedAt,
    endedAt,
    durationMs,
    disconnectionReason: call.disconnection_reason ?? null,
    transcript: keepTranscript ? (call.transcript ?? null) : null,
    analysis,
    costCents: retellCostCents(call),
  };
}
