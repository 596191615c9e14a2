import { describe, expect, it } from 'vitest';
import { CallUpsert } from '../../domain/call-merge.js';
import { bookingEvents } from '../../booking/events.js';
import { RetellCall } from '../webhook-schema.js';
import { retellCallEvents, retellCallFailed } from './call-events.js';
import { retellCallUpsert, retellCostCents } from './call-upsert.js';

const T0 = Date.parse('2026-03-03T13:30:00.000Z');

const ended = RetellCall.parse({
  call_id: 'call_a1',
  call_type: 'phone_call',
  agent_id: 'agent_1',
  agent_version: 3,
  call_status: 'ended',
  direction: 'inbound',
  from_number: '+4915112345678',
  to_number: '+493012345678',
  start_timestamp: T0,
  end_timestamp: T0 + 95_000,
  duration_ms: 95_000,
  disconnection_reason: 'user_hangup',
  transcript: 'Agent: Hallo\nUser: Hallo\n',
  call_cost: { combined_cost: 30.6, product_costs: [], total_duration_seconds: 95 },
});

describe('retellCallUpsert', () => {
  it('maps every field of a phone call, cost in whole cents (Retell reports cents)', () => {
    const upsert = retellCallUpsert('call_ended', ended, { receivedAt: T0 + 96_000, customerId: 'cust_1' });
    expect(CallUpsert.parse(upsert)).toEqual({
      event: 'call_ended',
      id: 'call_a1',
      at: '2026-03-03T13:31:36.000Z',
      status: 'ended',
      callType: 'phone_call',
      direction: 'inbound',
      fromNumber: '+4915112345678',
      toNumber: '+493012345678',
      agentId: 'agent_1',
      customerId: 'cust_1',
      startedAt: '2026-03-03T13:30:00.000Z',
      endedAt: '2026-03-03T13:31:35.000Z',
      durationMs: 95_000,
      disconnectionReason: 'user_hangup',
      transcript: 'Agent: Hallo\nUser: Hallo\n',
      analysis: null,
      costCents: 31,
    });
  });

  it('leaves out what the event does not carry, so nothing known is erased', () => {
    const started = RetellCall.parse({
      call_id: 'call_a1',
      call_type: 'phone_call',
      agent_id: 'agent_1',
      agent_version: 3,
      call_status: 'ongoing',
      direction: 'outbound',
      from_number: '+493012345678',
      to_number: '+4915112345678',
      start_timestamp: T0,
    });
    const upsert = retellCallUpsert('call_started', started, { receivedAt: T0 });
    expect(upsert).toMatchObject({
      direction: 'outbound',
      endedAt: null,
      durationMs: null,
      costCents: null,
      transcript: null,
      customerId: null,
    });
  });

  it('keeps statuses, directions and reasons Retell adds, and calls a web call’s direction web', () => {
    const odd = RetellCall.parse({ ...ended, call_status: 'voicemail', direction: 'sideways' });
    expect(retellCallUpsert('call_ended', odd, { receivedAt: T0 })).toMatchObject({
      status: 'voicemail',
      direction: 'sideways',
    });
    const web = RetellCall.parse({
      call_id: 'call_w',
      call_type: 'web_call',
      agent_id: 'agent_1',
      agent_version: 1,
      call_status: 'ended',
      access_token: 'secret',
    });
    expect(retellCallUpsert('call_ended', web, { receivedAt: T0 })).toMatchObject({
      direction: 'web',
      callType: 'web_call',
      fromNumber: null,
      toNumber: null,
    });
  });

  it('keeps no transcript when told so, or when the call opted out of storage', () => {
    expect(
      retellCallUpsert('call_ended', ended, { receivedAt: T0, transcript: false }).transcript,
    ).toBeNull();
    const optedOut = RetellCall.parse({ ...ended, data_storage_setting: 'basic_attributes_only' });
    expect(retellCallUpsert('call_ended', optedOut, { receivedAt: T0 }).transcript).toBeNull();
    const legacy = RetellCall.parse({ ...ended, opt_out_sensitive_data_storage: true });
    expect(retellCallUpsert('call_ended', legacy, { receivedAt: T0 }).transcript).toBeNull();
  });

  it('derives the duration from start and end when Retell sent none', () => {
    const { duration_ms: _d, ...rest } = ended;
    expect(retellCallUpsert('call_ended', RetellCall.parse(rest), { receivedAt: T0 }).durationMs).toBe(
      95_000,
    );
    expect(retellCallEvents('call_ended', RetellCall.parse(rest), T0)[0]?.data).toMatchObject({
      durationMs: 95_000,
    });
  });

  it('rounds cost to the cent and ignores a missing or negative one', () => {
    expect(retellCostCents({ call_cost: { combined_cost: 0.4 } })).toBe(0);
    expect(retellCostCents({ call_cost: { combined_cost: 7 } })).toBe(7);
    expect(retellCostCents({ call_cost: { combined_cost: -1 } })).toBeNull();
    expect(retellCostCents({})).toBeNull();
  });
});

describe('retellCallEvents', () => {
  const valid = (drafts: ReturnType<typeof retellCallEvents>) =>
    drafts.map((draft) => ({ type: draft.type, data: bookingEvents.specs[draft.type].parse(draft.data) }));

  it('gives call.started dated by start_timestamp, or by its arrival when Retell sent none', () => {
    const started = RetellCall.parse({ ...ended, call_status: 'ongoing', end_timestamp: null });
    expect(valid(retellCallEvents('call_started', started, T0 + 5))).toEqual([
      { type: 'call.started', data: { callId: 'call_a1', startedAt: '2026-03-03T13:30:00.000Z' } },
    ]);
    const undated = RetellCall.parse({ ...started, start_timestamp: null });
    expect(valid(retellCallEvents('call_started', undated, T0 + 5))[0]?.data).toMatchObject({
      startedAt: '2026-03-03T13:30:00.005Z',
    });
  });

  it('gives call.ended with status, reason and cost in cents', () => {
    expect(valid(retellCallEvents('call_ended', ended, T0))).toEqual([
      {
        type: 'call.ended',
        data: {
          callId: 'call_a1',
          status: 'ended',
          endedAt: '2026-03-03T13:31:35.000Z',
          durationMs: 95_000,
          disconnectionReason: 'user_hangup',
          costCents: 31,
        },
      },
    ]);
  });

  it('adds call.failed for an error status or an error_* reason, not for a call nobody answered', () => {
    const broken = RetellCall.parse({ ...ended, disconnection_reason: 'error_llm_websocket_open' });
    expect(retellCallEvents('call_ended', broken, T0).map((d) => d.type)).toEqual([
      'call.ended',
      'call.failed',
    ]);
    expect(valid(retellCallEvents('call_ended', broken, T0))[1]?.data).toEqual({
      callId: 'call_a1',
      reason: 'error_llm_websocket_open',
    });
    const errored = RetellCall.parse({ ...ended, call_status: 'error', disconnection_reason: null });
    expect(valid(retellCallEvents('call_ended', errored, T0))[1]?.data).toEqual({
      callId: 'call_a1',
      reason: 'error',
    });
    const unanswered = RetellCall.parse({
      ...ended,
      call_status: 'not_connected',
      disconnection_reason: 'dial_no_answer',
      duration_ms: null,
    });
    expect(retellCallFailed(unanswered)).toBe(false);
    expect(valid(retellCallEvents('call_ended', unanswered, T0))).toEqual([
      {
        type: 'call.ended',
        data: expect.objectContaining({ status: 'not_connected', disconnectionReason: 'dial_no_answer' }),
      },
    ]);
  });

  it('gives call.analyzed with the analysis as reported', () => {
    const analyzed = RetellCall.parse({
      ...ended,
      call_analysis: {
        call_summary: 'Booked a haircut.',
        user_sentiment: 'Mixed',
        call_successful: true,
        in_voicemail: false,
        custom_analysis_data: { service: 'haircut' },
      },
    });
    expect(valid(retellCallEvents('call_analyzed', analyzed, T0))).toEqual([
      {
        type: 'call.analyzed',
        data: {
          callId: 'call_a1',
          summary: 'Booked a haircut.',
          successful: true,
          sentiment: 'Mixed',
          costCents: 31,
          inVoicemail: false,
          customAnalysis: { service: 'haircut' },
        },
      },
    ]);
  });

  it('gives nothing for other events', () => {
    expect(retellCallEvents('transcript_updated', ended, T0)).toEqual([]);
    expect(retellCallEvents('call_exploded', ended, T0)).toEqual([]);
  });
});
