import { z } from 'zod';

// Wire shapes of Retell's webhooks (facts: shared/reference/retell.md §1, from the official SDK
// types). Every object is loose: Retell adds fields often, and an unknown field must never make a
// delivery fail. Optional fields accept `null` as well as absence. Enumerations Retell keeps
// growing (`call_status`, `disconnection_reason`, sentiments) are plain strings, documented.

/** Post-call analysis, present on `call_analyzed`. */
export const RetellCallAnalysis = z.looseObject({
  call_summary: z.string().nullish(),
  /** `Negative`, `Positive`, `Neutral` or `Unknown`. */
  user_sentiment: z.string().nullish(),
  call_successful: z.boolean().nullish(),
  /** The agent's custom post-call analysis fields; not filled for calls without a conversation. */
  custom_analysis_data: z.unknown().optional(),
  in_voicemail: z.boolean().nullish(),
});

/** What a call cost; amounts in cents. */
export const RetellCallCost = z.looseObject({
  combined_cost: z.number().nullish(),
  product_costs: z.array(z.looseObject({ product: z.string(), cost: z.number() })).nullish(),
  total_duration_seconds: z.number().nullish(),
  total_duration_unit_price: z.number().nullish(),
});

const callFields = {
  /** Opaque id (both 32-character and `call_…` forms occur). */
  call_id: z.string().min(1),
  agent_id: z.string().min(1),
  agent_version: z.number().int(),
  /** `registered`, `not_connected`, `ongoing`, `ended` or `error`. */
  call_status: z.string().min(1),
  agent_name: z.string().nullish(),
  /** Epoch milliseconds. */
  start_timestamp: z.number().nullish(),
  /** Epoch milliseconds. */
  end_timestamp: z.number().nullish(),
  duration_ms: z.number().nullish(),
  transcript: z.string().nullish(),
  transcript_object: z.array(z.looseObject({ role: z.string(), content: z.string() })).nullish(),
  /** Utterances interleaved with `tool_call_invocation` / `tool_call_result` entries. */
  transcript_with_tool_calls: z.array(z.looseObject({ role: z.string() })).nullish(),
  recording_url: z.string().nullish(),
  public_log_url: z.string().nullish(),
  /** e.g. `user_hangup`, `agent_hangup`, `dial_no_answer`, `error_retell`; new values appear. */
  disconnection_reason: z.string().nullish(),
  call_analysis: RetellCallAnalysis.nullish(),
  call_cost: RetellCallCost.nullish(),
  /** Whatever was set when the call was created; absent when never set. */
  metadata: z.unknown().optional(),
  /** Absent when never set. */
  retell_llm_dynamic_variables: z.record(z.string(), z.string()).nullish(),
  /** Variables collected during the call; only after it ended. */
  collected_dynamic_variables: z.record(z.string(), z.string()).nullish(),
  /** Where the call was transferred (a phone number or `sip:` URI). */
  transfer_destination: z.string().nullish(),
  /** `everything`, `everything_except_pii` or `basic_attributes_only`. */
  data_storage_setting: z.string().nullish(),
  /** Legacy (replaced by `data_storage_setting`), still seen in payloads. */
  opt_out_sensitive_data_storage: z.boolean().nullish(),
};

/** A phone call: inbound or outbound, between two E.164 numbers. */
export const RetellPhoneCall = z.looseObject({
  ...callFields,
  call_type: z.literal('phone_call'),
  /** `inbound` or `outbound`; kept as sent if Retell adds another. */
  direction: z.string().min(1),
  from_number: z.string().min(1),
  to_number: z.string().min(1),
});

/** A web call (browser or app); no phone numbers. */
export const RetellWebCall = z.looseObject({
  ...callFields,
  call_type: z.literal('web_call'),
  /** A credential for joining the call; never log it. */
  access_token: z.string().nullish(),
});

/** A call object, as in `GET /v2/get-call`; tell phone from web calls by `call_type`. */
export const RetellCall = z.discriminatedUnion('call_type', [RetellPhoneCall, RetellWebCall]);

/** Call lifecycle events whose body is `{ event, call }`. */
export const RetellCallWebhook = z.looseObject({
  event: z.enum(['call_started', 'call_ended', 'call_analyzed', 'transcript_updated', 'transfer_ended']),
  call: RetellCall,
});

/** Transfer events: the call, plus where and how it is being transferred, when known. */
export const RetellTransferWebhook = z.looseObject({
  event: z.enum(['transfer_started', 'transfer_bridged', 'transfer_cancelled']),
  call: RetellCall,
  /** An object here, unlike `call.transfer_destination`, which is a string. */
  transfer_destination: z
    .looseObject({ number: z.string().nullish(), extension: z.string().nullish() })
    .nullish(),
  /** e.g. `{ type: 'warm_transfer' }`. */
  transfer_option: z.looseObject({ type: z.string().nullish() }).nullish(),
});

/**
 * The inbound-call webhook, sent before an inbound call connects. There is no call id yet; the
 * answer (agent override, dynamic variables, metadata) goes in the response.
 */
export const RetellInboundCallWebhook = z.looseObject({
  event: z.literal('call_inbound'),
  call_inbound: z.looseObject({
    /** Present only when the number has an inbound agent. */
    agent_id: z.string().nullish(),
    agent_version: z.number().nullish(),
    from_number: z.string().min(1),
    to_number: z.string().min(1),
  }),
});

/**
 * Chat-agent events. Their names are documented but their bodies are not (the chat object is
 * probably under `chat`), so only the name is checked; the rest is passed through untyped.
 */
export const RetellChatWebhook = z.looseObject({
  event: z.enum(['chat_started', 'chat_ended', 'chat_analyzed', 'chat_inbound']),
});

/** Every documented Retell webhook, told apart by `event`. */
export const RetellKnownWebhook = z.discriminatedUnion('event', [
  RetellCallWebhook,
  RetellTransferWebhook,
  RetellInboundCallWebhook,
  RetellChatWebhook,
]);

/** Post-call analysis. */
export type RetellCallAnalysis = z.infer<typeof RetellCallAnalysis>;
/** Call cost, in cents. */
export type RetellCallCost = z.infer<typeof RetellCallCost>;
/** A phone call object. */
export type RetellPhoneCall = z.infer<typeof RetellPhoneCall>;
/** A web call object. */
export type RetellWebCall = z.infer<typeof RetellWebCall>;
/** A call object; narrow on `call_type`. */
export type RetellCall = z.infer<typeof RetellCall>;
/** A call lifecycle webhook. */
export type RetellCallWebhook = z.infer<typeof RetellCallWebhook>;
/** A transfer webhook. */
export type RetellTransferWebhook = z.infer<typeof RetellTransferWebhook>;
/** The inbound-call webhook. */
export type RetellInboundCallWebhook = z.infer<typeof RetellInboundCallWebhook>;
/** A chat-agent webhook (body untyped). */
export type RetellChatWebhook = z.infer<typeof RetellChatWebhook>;
/** Any documented Retell webhook; narrow on `event`. */
export type RetellKnownWebhook = z.infer<typeof RetellKnownWebhook>;
/** The name of a documented Retell webhook event. */
export type RetellWebhookEvent = RetellKnownWebhook['event'];

/** Every documented Retell webhook event name. */
export const retellWebhookEvents: readonly RetellWebhookEvent[] = Object.freeze([
  ...RetellCallWebhook.shape.event.options,
  ...RetellTransferWebhook.shape.event.options,
  RetellInboundCallWebhook.shape.event.value,
  ...RetellChatWebhook.shape.event.options,
]);
