/**
 * Cal.com adapter. This release holds the webhook side: signature verification over the raw body
 * (`x-cal-signature-256`, hex HMAC-SHA256 of the body with the webhook secret, constant-time),
 * zod schemas of the webhook envelope and booking payloads, a parser that returns a typed union,
 * and a verifier that plugs into `createWebhookHandler` from `bookingkit/http`.
 *
 * @example
 * ```ts
 * declare function cancelLocally(uid: string): Promise<void>;
 * // ---cut---
 * import { createWebhookHandler } from 'bookingkit/http';
 * import { calcomWebhookVerifier, parseCalcomWebhook } from 'bookingkit/calcom';
 *
 * export const calcomWebhook = createWebhookHandler({
 *   verify: calcomWebhookVerifier(process.env.CALCOM_WEBHOOK_SECRET!),
 *   parse: parseCalcomWebhook,
 *   limitBytes: 256 * 1024,
 *   handle: async (webhook) => {
 *     if (!webhook.known || webhook.triggerEvent === 'PING') return;
 *     if (webhook.triggerEvent === 'BOOKING_CANCELLED') await cancelLocally(webhook.payload.uid);
 *   },
 * });
 * ```
 *
 * @module bookingkit/calcom
 */
// Webhook ingestion: verify the signature over the raw body, then parse into a typed union
export { calcomWebhookVerifier } from './verifier.js';
export { parseCalcomWebhook, type CalcomUnknownWebhook, type CalcomWebhook } from './webhook.js';
export {
  verifyCalcomSignature,
  signCalcomBody,
  calcomSignatureHeader,
  calcomUnsignedMarker,
  type CalcomSignatureFailure,
  type CalcomSignatureResult,
} from './signature.js';

// Webhook schemas (zod): each schema and the type it validates share one name
export {
  CalcomBookingWebhook,
  CalcomBookingCancelledWebhook,
  CalcomBookingRescheduledWebhook,
  CalcomBookingPaymentWebhook,
  CalcomNoShowWebhook,
  CalcomPingWebhook,
  CalcomMeetingWebhook,
  CalcomOtherWebhook,
  CalcomKnownWebhook,
  type CalcomTriggerEvent,
  calcomTriggerEvents,
} from './webhook-schema.js';
export {
  CalcomOrganizer,
  CalcomAttendee,
  CalcomBookingPayload,
  CalcomCancelledBookingPayload,
  CalcomRescheduledBookingPayload,
  CalcomPaymentBookingPayload,
  CalcomNoShowPayload,
} from './booking-payload-schema.js';

// Idempotency: the key of a Cal.com delivery (Cal.com sends no delivery id)
export { calcomWebhookKey } from './webhook-key.js';

// Client: the Cal.com API v2 over fetch, per tenant, with rate limiting and read-only retries
export { createCalcomClient, type CalcomClient } from './client/client.js';
export { type CalcomClientOptions, type CalcomReadRetryOptions } from './client/client-options.js';
export {
  calcomApiVersions,
  type CalcomApiVersions,
  type CalcomEndpointGroup,
  type CalcomVersionedGroup,
} from './client/api-versions.js';
export {
  CalcomCredentials,
  createCalcomCredentialsResolver,
  type CalcomCredentialsLookup,
  type CalcomCredentialsResolver,
  type CalcomCredentialsResolverOptions,
} from './client/credentials.js';
export {
  createMemoryRateLimiter,
  type RateLimiter,
  type RateLimitDecision,
  type MemoryRateLimiterOptions,
} from './client/rate-limiter.js';
export {
  CalcomAuthError,
  isCalcomAuthError,
  CalcomRateLimitedError,
  isCalcomRateLimitedError,
  CalcomUnavailableError,
  isCalcomUnavailableError,
  CalcomResponseError,
  isCalcomResponseError,
  type CalcomCallContext,
  type CalcomAuthContext,
  type CalcomRateLimitedContext,
  type CalcomUnavailableContext,
  type CalcomResponseContext,
} from './client/errors.js';
export { isCalcomAlreadyCancelled, isCalcomBookingEnded } from './client/error-mapping.js';
export type { CalcomPage } from './client/paging.js';
export type { CalcomBookings, CalcomBookingWriteOptions, CalcomSlotHint } from './client/bookings.js';
export { CalcomSlotsQuery, CalcomReserveSlotInput, type CalcomSlots } from './client/slots.js';
export { CalcomEventTypesQuery, type CalcomEventTypes } from './client/event-types.js';
export {
  CalcomCreateWebhookInput,
  CalcomUpdateWebhookInput,
  CalcomWebhookTarget,
  type CalcomWebhookSubscriptions,
  type EnsuredWebhookSubscription,
} from './client/webhook-subscriptions.js';
export {
  CalcomAttendeeInput,
  CalcomMetadata,
  CalcomCreateBookingInput,
  CalcomCancelBookingInput,
  CalcomRescheduleBookingInput,
  CalcomDeclineBookingInput,
  CalcomMarkAbsentInput,
  CalcomBookingFilters,
} from './client/booking-requests.js';
export {
  CalcomBooking,
  CalcomBookingAttendee,
  CalcomBookingStatus,
  calcomBookingStatuses,
  CalcomPagination,
  CalcomSlot,
  CalcomSlotsByDate,
  CalcomSlotReservation,
  CalcomEventType,
  CalcomWebhookSubscription,
} from './client/response-schemas.js';

// Webhook ingestion: verified, deduplicated deliveries turned into BookingService commands
export {
  createCalcomWebhookHandler,
  type CalcomWebhookHandlerOptions,
} from './ingestion/calcom-webhook-handler.js';
export {
  calcomRoutesFromDirectory,
  type CalcomDirectoryRoutesOptions,
} from './ingestion/directory-routes.js';
export { CalcomWebhookRoute, type CalcomWebhookRouteResolver } from './ingestion/routes.js';
export type { CalcomIngestionResult, CalcomIngestionAction } from './ingestion/ingestion-result.js';
export type { CalcomEventTypeMapper } from './ingestion/booking-commands.js';
export { calcomRouteVerifier } from './verifier.js';

// CalendarProvider over Cal.com: what BookingService and reconciliation use
export { createCalcomCalendarProvider } from './provider/calcom-calendar-provider.js';
export type {
  CalcomCalendarProviderOptions,
  CalcomCalendarProviderSettings,
} from './provider/provider-options.js';
