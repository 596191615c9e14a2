import type { BookingEvents } from '../../booking/events.js';
import type { EventDataInput } from '../../events/catalog.js';
import type { RetellCall } from '../webhook-schema.js';
import { retellCostCents, retellDurationMs } from './call-upsert.js';

/** The call events a Retell lifecycle webhook leads to. */
export type RetellCallEventType = 'call.started' | 'call.ended' | 'call.analyzed' | 'call.failed';

/** A call event to publish: its type and data, without the envelope. */
export type RetellCallEventDraft = {
  [T in RetellCallEventType]: {
    readonly type: T;
    readonly data: EventDataInput<BookingEvents, T>;
  };
}[RetellCallEventType];

const iso = (ms: number | null | undefined): string | null =>
  typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether a call ended in failure: Retell's status `error`, or a disconnection reason of the
 * `error_*` family (`error_llm_websocket_open`, `error_retell`, ...). A call nobody answered
 * (`not_connected`: `dial_no_answer`, `dial_busy`) did not fail: it ended.
 *
 * @example
 * ```ts
 * declare const call: RetellCall;
 * // ---cut---
 * if (retellCallFailed(call)) console.warn(call.disconnection_reason);
 * ```
 */
export function retellCallFailed(call: Pick<RetellCall, 'call_status' | 'disconnection_reason'>): boolean {
  return call.call_status === 'error' || (call.disconnection_reason ?? '').startsWith('error_');
}

/**
 * The bookingkit events of one Retell lifecycle webhook: `call_started` gives `call.started`;
 * `call_ended` gives `call.ended`, and `call.failed` too when the call failed
 * ({@link retellCallFailed}); `call_analyzed` gives `call.analyzed`. Other events give none.
 * Publish them only when the webhook was applied for the first time (`CallRepository.upsert`
 * answered `applied: true`), so each is published once per call whatever Retell resends.
 *
 * @param receivedAt - when the webhook arrived, epoch ms: a `call_started` without a
 *   `start_timestamp` is dated by it.
 * @example
 * ```ts
 * declare const call: RetellCall;
 * // ---cut---
 * const drafts = retellCallEvents('call_ended', call, Date.now());
 * // [{ type: 'call.ended', data: { callId, status: 'ended', endedAt, durationMs, disconnectionReason, costCents } }]
 * ```
 */
export function retellCallEvents(
  event: string,
  call: RetellCall,
  receivedAt: number,
): RetellCallEventDraft[] {
  const callId = call.call_id;
  switch (event) {
    case 'call_started':
      return [
        { type: 'call.started', data: { callId, startedAt: iso(call.start_timestamp) ?? iso(receivedAt)! } },
      ];
    case 'call_ended': {
      const ended: RetellCallEventDraft = {
        type: 'call.ended',
        data: {
          callId,
          status: call.call_status,
          endedAt: iso(call.end_timestamp),
          durationMs: retellDurationMs(call),
          disconnectionReason: call.disconnection_reason ?? null,
          costCents: retellCostCents(call),
        },
      };
      if (!retellCallFailed(call)) return [ended];
      const reason = call.disconnection_reason ?? call.call_status;
      return [ended, { type: 'call.failed', data: { callId, reason } }];
    }
    case 'call_analyzed': {
      const analysis = call.call_analysis;
      const custom = analysis?.custom_analysis_data;
      return [
        {
          type: 'call.analyzed',
          data: {
            callId,
            summary: analysis?.call_summary ?? null,
            successful: analysis?.call_successful ?? null,
            sentiment: analysis?.user_sentiment ?? null,
            costCents: retellCostCents(call),
            inVoicemail: analysis?.in_voicemail ?? null,
            customAnalysis: isRecord(custom) ? custom : null,
          },
        },
      ];
    }
    default:
      return [];
  }
}
