import type { OperationOptions } from '../../util/abort.js';
import type { RetellCall, RetellPhoneCall } from '../webhook-schema.js';
import { createCalls } from './calls.js';
import { normalizeRetellClientOptions, type RetellClientOptions } from './client-options.js';
import type { RetellCallPage } from './paging.js';
import type { RetellCreatePhoneCallRequest, RetellListCallsRequest } from './schemas.js';
import { createRetellTransport } from './transport.js';

/**
 * A Retell REST client for one workspace (one API key): read a call, list calls page by page,
 * start an outbound phone call. Answers are validated, errors are typed, and only reads are
 * retried: a create is sent once, because Retell takes no idempotency key and another attempt
 * could dial the customer twice.
 *
 * @example
 * ```ts
 * declare const retell: RetellClient;
 * // ---cut---
 * const since = Date.parse('2026-03-01T00:00:00Z');
 * for await (const page of retell.listCalls({ filter_criteria: { start_timestamp: { type: 'number', op: 'ge', value: since } }, limit: 200 })) {
 *   for (const call of page.items) console.log(call.call_id, call.call_status, call.disconnection_reason);
 * }
 * ```
 */
export interface RetellClient {
  /**
   * The call with this id (`GET /v2/get-call/{call_id}`), transcripts included; `null` when
   * Retell does not know it (404, or 422 "Cannot find requested asset"), so a missing call is a
   * value to branch on rather than an error. Retried on 429, 5xx and network failures.
   *
   * @throws {@link bookingkit!ValidationError} for an empty id; {@link RetellAuthError},
   * {@link RetellRateLimitedError}, {@link RetellUnavailableError}, {@link RetellApiError},
   * {@link RetellResponseError}; the signal's reason when it aborts.
   */
  getCall(callId: string, options?: OperationOptions): Promise<RetellCall | null>;
  /**
   * Calls matching `request`, one page per iteration (`POST /v3/list-calls`, following
   * `pagination_key` while `has_more`). A page is fetched only when the loop asks for the next,
   * so memory stays bounded by `limit`; `break` stops fetching. Each page is retried like a read.
   * To resume a listing, pass the last page's `paginationKey` as `pagination_key`.
   * Items may lack the transcripts: read a call with {@link RetellClient.getCall} for them.
   *
   * @throws {@link bookingkit!ValidationError} at once for a bad request; while iterating, the
   * errors of {@link RetellClient.getCall}, and the signal's reason when it aborts.
   */
  listCalls(
    request?: RetellListCallsRequest,
    options?: OperationOptions,
  ): AsyncGenerator<RetellCallPage, void, undefined>;
  /**
   * Starts an outbound phone call (`POST /v2/create-phone-call`); Retell answers with the call,
   * `registered`. Sent exactly once: a 5xx, a network failure or a timeout is a
   * {@link RetellUnavailableError} with `inDoubt: true` (the call may have been dialled: find it
   * by its `metadata` with `listCalls` before creating it again), and a 429 is thrown, not waited.
   *
   * @throws {@link bookingkit!ValidationError} for a bad request, before anything is sent; the
   * errors of {@link RetellClient.getCall}.
   */
  createPhoneCall(
    request: RetellCreatePhoneCallRequest,
    options?: OperationOptions,
  ): Promise<RetellPhoneCall>;
}

/**
 * Creates a {@link RetellClient} on `fetch`, against `https://api.retellai.com` with the
 * workspace's API key as a bearer token. Options are checked at once.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a bad option.
 * @example
 * ```ts
 * import { circuitBreaker, consecutiveFailures } from 'bookingkit';
 * // ---cut---
 * const retell = createRetellClient({
 *   apiKey: process.env.RETELL_API_KEY!,
 *   policy: circuitBreaker({ name: 'retell', policy: consecutiveFailures(5), openDuration: 30_000 }),
 * });
 * const call = await retell.createPhoneCall({
 *   from_number: '+14155550100',
 *   to_number: '+14155550199',
 *   retell_llm_dynamic_variables: { customer_name: 'Ada' },
 *   metadata: { appointmentId: 'apt_123' },
 * });
 * const later = await retell.getCall(call.call_id, { signal: AbortSignal.timeout(10_000) });
 * if (later?.call_status === 'ended') console.log(later.disconnection_reason);
 * ```
 */
export function createRetellClient(options: RetellClientOptions): RetellClient {
  const normalized = normalizeRetellClientOptions(options);
  return Object.freeze(createCalls(createRetellTransport(normalized)));
}
