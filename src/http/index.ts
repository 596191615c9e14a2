/**
 * Framework-agnostic, fetch-style HTTP building blocks: `(request: Request) => Promise<Response>`
 * handlers that run on Node, Bun, Deno, edge runtimes and inside Express, Fastify, Hono or Next.js
 * adapters. Reads bodies under a size limit, verifies webhook signatures over the raw bytes and
 * answers failures with RFC 9457 problem details. Knows no vendor: the Cal.com and Retell verifiers
 * and parsers live in `bookingkit/calcom` and `bookingkit/retell`.
 *
 * @example
 * ```ts
 * declare function saveCall(call: RetellCall): Promise<void>;
 * // ---cut---
 * import { createWebhookHandler } from 'bookingkit/http';
 * import { retellWebhookVerifier, parseRetellWebhook } from 'bookingkit/retell';
 *
 * const retellWebhook = createWebhookHandler({
 *   verify: retellWebhookVerifier(process.env.RETELL_API_KEY!),
 *   parse: parseRetellWebhook,
 *   handle: async (webhook) => {
 *     if (webhook.known && webhook.event === 'call_analyzed') await saveCall(webhook.call);
 *   },
 * });
 * // Any fetch-style server: export default { fetch: retellWebhook };
 * ```
 *
 * @module bookingkit/http
 */
// Webhook handlers
export {
  createWebhookHandler,
  type WebhookVerification,
  type WebhookVerifier,
  type WebhookContext,
  type WebhookHandlerOptions,
  defaultWebhookLimitBytes,
} from './webhook-handler.js';

// Request bodies and responses
export { readBodyLimited, type ReadBodyOptions, type RawRequestBody } from './read-body.js';
export { parseJsonBody } from './json-body.js';
export { jsonResponse } from './json-response.js';
export {
  problemResponse,
  problemStatuses,
  type ProblemDetails,
  type ProblemResponseOptions,
} from './problem.js';

// Errors, and the reference of every error code with its HTTP status
export {
  type PayloadTooLargeContext,
  PayloadTooLargeError,
  isPayloadTooLargeError,
  type WebhookSignatureContext,
  WebhookSignatureError,
  isWebhookSignatureError,
} from './errors.js';
export { errorReference, type ErrorCode, type ErrorReferenceEntry } from './error-reference.js';

// REST API: availability and appointments by tenant API key, with Idempotency-Key on writes
export { createBookingApi } from './api/booking-api.js';
export type { BookingApiOptions } from './api/booking-api-options.js';
export type { ApiHandler } from './api/serve-routes.js';
export { createAdminApi } from './api/admin-api.js';
export type {
  AdminApiOptions,
  EraseCustomerFunction,
  ReconcileFunction,
  ReconcileRequest,
} from './api/admin-api-options.js';
export {
  createHealthHandlers,
  type HealthHandlers,
  type HealthHandlersOptions,
  type ReadinessCheck,
  type ReadinessCheckResult,
} from './api/health.js';
export { breakerCheck, outboxLagCheck, type OutboxLagCheckOptions } from './api/readiness-checks.js';
export { apiSecurityHeaders, withSecurityHeaders } from './api/security-headers.js';
export { AuthenticationError, isAuthenticationError, type AuthenticationContext } from './api/errors.js';

// Framework adapters: serve any (Request) => Response handler from Node's http, Express or Fastify
export { toNodeHandler, type FetchHandler } from './frameworks/node.js';
export { admissionGate, type AdmissionGateOptions } from './frameworks/admission-gate.js';
export type { NodeAdapterOptions } from './frameworks/node-request.js';
export { toExpress, type ExpressRequestLike, type ExpressNext } from './frameworks/express.js';
export { toFastify, type FastifyRequestLike, type FastifyReplyLike } from './frameworks/fastify.js';
