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
