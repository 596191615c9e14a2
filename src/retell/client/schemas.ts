import { z } from 'zod';
import { RetellCall } from '../webhook-schema.js';

// Wire shapes of Retell's REST calls (facts: shared/reference/retell.md §5, the call object §1.4).
// Answers reuse the webhook's call schemas, which get-call shares ("same as GET /v2/get-call",
// §1.3): loose objects, open enumerations, so a field Retell adds never fails a call.

/**
 * One typed predicate of the list filter: `{ type: 'enum', op: 'in', value: ['ended'] }`,
 * `{ type: 'number', op: 'ge', value: 1767600000000 }`, `{ type: 'range', op: 'bt', value: [lo, hi] }`.
 */
export const RetellFilterPredicate = z.looseObject({
  type: z.string().min(1),
  op: z.string().min(1),
  value: z.unknown(),
});

/** A predicate on one key of `metadata`, `dynamic_variables` or `custom_analysis_data`. */
export const RetellKeyedFilterPredicate = z.looseObject({
  ...RetellFilterPredicate.shape,
  key: z.string().min(1),
});

/**
 * `filter_criteria` of `POST /v3/list-calls`: one typed predicate per field. The fields below are
 * typed; others are sent as given.
 */
export const RetellCallFilter = z.looseObject({
  /** Epoch ms: `{ type: 'number', op: 'ge', value }` or `{ type: 'range', op: 'bt', value: [lo, hi] }`. */
  start_timestamp: RetellFilterPredicate.optional(),
  /** Calls of these agents (and versions). */
  agent: z
    .array(z.looseObject({ agent_id: z.string().min(1), version: z.array(z.number().int()).optional() }))
    .optional(),
  call_status: RetellFilterPredicate.optional(),
  direction: RetellFilterPredicate.optional(),
  call_type: RetellFilterPredicate.optional(),
  disconnection_reason: RetellFilterPredicate.optional(),
  user_sentiment: RetellFilterPredicate.optional(),
  from_number: RetellFilterPredicate.optional(),
  to_number: RetellFilterPredicate.optional(),
  metadata: z.array(RetellKeyedFilterPredicate).optional(),
  dynamic_variables: z.array(RetellKeyedFilterPredicate).optional(),
  custom_analysis_data: z.array(RetellKeyedFilterPredicate).optional(),
});

/**
 * What to list with `listCalls`: the body of `POST /v3/list-calls`. The iterator sends each next
 * `pagination_key` itself; `skip` (Retell's alternative to it) and unknown keys are refused rather
 * than dropped, so a misspelt filter never lists every call.
 */
export const RetellListCallsRequest = z.strictObject({
  filter_criteria: RetellCallFilter.optional(),
  /** By `start_timestamp`. Retell's default: `descending`. */
  sort_order: z.enum(['ascending', 'descending']).optional(),
  /** Calls per page, 1 to 1000. Retell's default: 50. */
  limit: z.number().int().min(1).max(1_000).optional(),
  /** Ask Retell for the number of matching calls (`total` of each page). */
  include_total: z.boolean().optional(),
  /** Start after this key (a page's `paginationKey`), to resume a listing. */
  pagination_key: z.string().min(1).optional(),
});

/**
 * The answer of `POST /v3/list-calls` (retell.md §5): an object, not the bare array of the legacy
 * `/v2/list-calls`. Its items may lack the transcripts (and perhaps `recording_url`): read a call
 * with `getCall` when you need them.
 */
export const RetellListCallsResponse = z.looseObject({
  items: z.array(RetellCall),
  has_more: z.boolean(),
  /** Pass back to get the next page; absent on the last one. */
  pagination_key: z.string().nullish(),
  /** Matching calls in all, when `include_total` was asked for. */
  total: z.number().int().nullish(),
});

/**
 * The body of `POST /v2/create-phone-call`. Other documented fields (`agent_override`,
 * `custom_sip_headers`, `ignore_e164_validation`) are sent as given.
 */
export const RetellCreatePhoneCallRequest = z.looseObject({
  /** E.164; a number bought from or imported into Retell. */
  from_number: z.string().min(1),
  /** E.164; Retell numbers dial US destinations only. */
  to_number: z.string().min(1),
  /** Another agent than the from number's outbound agent. */
  override_agent_id: z.string().min(1).optional(),
  override_agent_version: z.number().int().optional(),
  /** Anything to find the call by later; Retell stores it on the call. */
  metadata: z.unknown().optional(),
  /** Values for the agent's `{{variables}}`; strings only. */
  retell_llm_dynamic_variables: z.record(z.string(), z.string()).optional(),
});

/** `filter_criteria` of a call listing. */
export type RetellCallFilter = z.infer<typeof RetellCallFilter>;
/** One predicate of a call filter. */
export type RetellFilterPredicate = z.infer<typeof RetellFilterPredicate>;
/** One predicate on a key of `metadata`, `dynamic_variables` or `custom_analysis_data`. */
export type RetellKeyedFilterPredicate = z.infer<typeof RetellKeyedFilterPredicate>;
/** What to list with `listCalls`. */
export type RetellListCallsRequest = z.infer<typeof RetellListCallsRequest>;
/** One page of `POST /v3/list-calls`, as Retell answers it. */
export type RetellListCallsResponse = z.infer<typeof RetellListCallsResponse>;
/** What `createPhoneCall` sends. */
export type RetellCreatePhoneCallRequest = z.infer<typeof RetellCreatePhoneCallRequest>;
