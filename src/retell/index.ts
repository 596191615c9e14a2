/**
 * Retell adapter. This release holds the webhook side: verification of `x-retell-signature`
 * (`v=<ms>,d=<hex>`: HMAC-SHA256 of the raw body plus timestamp with the webhook-badged API key,
 * constant-time, inside a ±5 minute replay window), zod schemas of the webhook bodies (call,
 * transfer, inbound-call and chat events), a parser that returns a typed union, and a verifier that
 * plugs into `createWebhookHandler` from `bookingkit/http`.
 *
 * @example
 * ```ts
 * declare function recordCall(call: RetellCall): Promise<void>;
 * // ---cut---
 * import { createWebhookHandler } from 'bookingkit/http';
 * import { retellWebhookVerifier, parseRetellWebhook } from 'bookingkit/retell';
 *
 * export const retellWebhook = createWebhookHandler({
 *   verify: retellWebhookVerifier(process.env.RETELL_API_KEY!),
 *   parse: parseRetellWebhook,
 *   handle: async (webhook) => {
 *     if (webhook.known && webhook.event === 'call_ended') await recordCall(webhook.call);
 *   },
 * });
 * ```
 *
 * @module bookingkit/retell
 */
// Webhook ingestion: verify the signature over the raw body, then parse into a typed union
export { retellWebhookVerifier, type RetellWebhookVerifierOptions } from './verifier.js';
export { parseRetellWebhook, type RetellUnknownWebhook, type RetellWebhook } from './webhook.js';
export {
  verifyRetellSignature,
  signRetellBody,
  retellSignatureHeader,
  defaultRetellToleranceMs,
  type RetellSignatureFailure,
  type RetellSignatureResult,
  type VerifyRetellSignatureOptions,
  type SignRetellBodyOptions,
} from './signature.js';

// Webhook schemas (zod): each schema and the type it validates share one name
export {
  RetellCallAnalysis,
  RetellCallCost,
  RetellPhoneCall,
  RetellWebCall,
  RetellCall,
  RetellCallWebhook,
  RetellTransferWebhook,
  RetellInboundCallWebhook,
  RetellChatWebhook,
  RetellKnownWebhook,
  type RetellWebhookEvent,
  retellWebhookEvents,
} from './webhook-schema.js';

// Idempotency: the keys of Retell deliveries and function calls (Retell retries and sends no event id)
export { retellWebhookKey, retellFunctionCallKey } from './idempotency-keys.js';

// REST client: calls read (retried) and placed (never retried: a retry could dial twice)
export { createRetellClient, type RetellClient } from './client/client.js';
export type { RetellClientOptions, RetellReadRetryOptions } from './client/client-options.js';
export type { RetellCallPage } from './client/paging.js';
export {
  RetellCallFilter,
  RetellFilterPredicate,
  RetellKeyedFilterPredicate,
  RetellListCallsRequest,
  RetellListCallsResponse,
  RetellCreatePhoneCallRequest,
} from './client/schemas.js';
export {
  RetellAuthError,
  isRetellAuthError,
  RetellRateLimitedError,
  isRetellRateLimitedError,
  RetellUnavailableError,
  isRetellUnavailableError,
  RetellApiError,
  isRetellApiError,
  RetellResponseError,
  isRetellResponseError,
  type RetellCallContext,
  type RetellAuthContext,
  type RetellRateLimitedContext,
  type RetellUnavailableContext,
  type RetellApiErrorContext,
  type RetellResponseContext,
} from './client/errors.js';

// Voice function calls: a router of custom functions that book through BookingService, answered once each
export {
  createRetellFunctionRouter,
  type RetellFunctionRouter,
  type RetellFunctionResult,
} from './functions/router.js';
export type { RetellFunctionRouterOptions } from './functions/router-options.js';
export {
  defineRetellFunction,
  type RetellFunction,
  type RetellFunctionSpec,
  type RetellFunctionContext,
  type RetellFunctionAnswer,
  type RetellTenantContext,
} from './functions/define-function.js';
export { RetellFunctionCall, RetellFunctionCallInfo } from './functions/function-call.js';
export {
  retellToolDefinitions,
  type RetellCustomToolDefinition,
  type RetellToolDefinitionsOptions,
} from './functions/tool-definitions.js';
export { timeBudgetFor, defaultRetellToolTimeoutMs } from './functions/time-budget.js';
export { retellBuiltInFunctionSpecs } from './functions/builtins/built-in-functions.js';

// Speech: dates, times and lists as a voice agent says them (de, en), in the tenant's time zone
export type { LocalizedText } from './speech/locale.js';
export { createSpeech, type Speech } from './speech/speech.js';
export { speakDay, speakTime, speakDateTime, speakDate, type SpeakTimeOptions } from './speech/speak-time.js';
export { speakList } from './speech/speak-list.js';
export { phrasesFor, type Phrases, type SpokenDay } from './speech/phrases.js';

// Call lifecycle: webhooks merged into call records once per event, tenants from phone numbers, the inbound call
export {
  createRetellWebhookHandler,
  type RetellWebhookHandler,
  type RetellWebhookHandlerOptions,
  type RetellWebhookResult,
  type RetellWebhookAction,
} from './ingestion/retell-webhook-handler.js';
export {
  createRetellInboundHandler,
  type RetellInboundHandler,
  type RetellInboundHandlerOptions,
  type RetellInboundAnswer,
} from './ingestion/retell-inbound-handler.js';
export type { RetellEndpointOptions } from './ingestion/retell-endpoint.js';
export type { RetellApiKey, RetellApiKeyResolver, RetellWorkspace } from './ingestion/workspace-keys.js';
export type { RetellWebhookStats, RetellInboundStats } from './ingestion/ingestion-stats.js';
export {
  retellCallNumbers,
  type RetellCallNumbers,
  type RetellUnresolvedTenant,
} from './ingestion/call-tenant.js';
export { inboundDynamicVariables, type InboundFacts } from './ingestion/inbound-variables.js';
export {
  retellCallUpsert,
  retellCostCents,
  retellDurationMs,
  type RetellCallUpsertOptions,
} from './calls/call-upsert.js';
export {
  retellCallEvents,
  retellCallFailed,
  type RetellCallEventDraft,
  type RetellCallEventType,
} from './calls/call-events.js';
export { retellTenantsFromNumbers } from './functions/tenant-from-numbers.js';
