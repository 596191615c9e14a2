import { z } from 'zod';
import {
  CalcomBookingPayloadSchema,
  CalcomCancelledBookingPayloadSchema,
  CalcomNoShowPayloadSchema,
  CalcomPaymentBookingPayloadSchema,
  CalcomRescheduledBookingPayloadSchema,
} from './booking-payload-schema.js';

// The envelope of Cal.com webhooks without a payload template: `{ triggerEvent, createdAt,
// payload }` (facts: shared/reference/calcom.md §4). Trigger names from Cal.com's
// `WebhookTriggerEvents` enum, plus `PING` from the dashboard's "Ping test".

const envelope = {
  /** When Cal.com sent (or scheduled) the delivery, ISO 8601. */
  createdAt: z.iso.datetime({ offset: true }),
};

/** `BOOKING_CREATED` (also fired when a pending booking is confirmed), `BOOKING_REQUESTED`, `BOOKING_REJECTED`. */
export const CalcomBookingWebhookSchema = z.looseObject({
  triggerEvent: z.enum(['BOOKING_CREATED', 'BOOKING_REQUESTED', 'BOOKING_REJECTED']),
  ...envelope,
  payload: CalcomBookingPayloadSchema,
});

/** `BOOKING_CANCELLED`. */
export const CalcomBookingCancelledWebhookSchema = z.looseObject({
  triggerEvent: z.literal('BOOKING_CANCELLED'),
  ...envelope,
  payload: CalcomCancelledBookingPayloadSchema,
});

/** `BOOKING_RESCHEDULED`: the payload describes the new booking, with a link to the old one. */
export const CalcomBookingRescheduledWebhookSchema = z.looseObject({
  triggerEvent: z.literal('BOOKING_RESCHEDULED'),
  ...envelope,
  payload: CalcomRescheduledBookingPayloadSchema,
});

/** `BOOKING_PAID` and `BOOKING_PAYMENT_INITIATED`. */
export const CalcomBookingPaymentWebhookSchema = z.looseObject({
  triggerEvent: z.enum(['BOOKING_PAID', 'BOOKING_PAYMENT_INITIATED']),
  ...envelope,
  payload: CalcomPaymentBookingPayloadSchema,
});

/** `BOOKING_NO_SHOW_UPDATED`. */
export const CalcomNoShowWebhookSchema = z.looseObject({
  triggerEvent: z.literal('BOOKING_NO_SHOW_UPDATED'),
  ...envelope,
  payload: CalcomNoShowPayloadSchema,
});

/** The dashboard's "Ping test", with a dummy payload; answer it with a 2xx. */
export const CalcomPingWebhookSchema = z.looseObject({
  triggerEvent: z.literal('PING'),
  ...envelope,
  payload: z.record(z.string(), z.unknown()),
});

/**
 * Documented triggers whose payloads bookingkit does not model (forms, meetings, recordings,
 * out-of-office, Cal Video no-shows, credential errors); the payload is passed through untyped.
 */
export const CalcomOtherWebhookSchema = z.looseObject({
  triggerEvent: z.enum([
    'FORM_SUBMITTED',
    'FORM_SUBMITTED_NO_EVENT',
    'MEETING_STARTED',
    'MEETING_ENDED',
    'RECORDING_READY',
    'RECORDING_TRANSCRIPTION_GENERATED',
    'INSTANT_MEETING',
    'OOO_CREATED',
    'AFTER_HOSTS_CAL_VIDEO_NO_SHOW',
    'AFTER_GUESTS_CAL_VIDEO_NO_SHOW',
    'DELEGATION_CREDENTIAL_ERROR',
  ]),
  ...envelope,
  payload: z.record(z.string(), z.unknown()),
});

/** Every documented Cal.com webhook, told apart by `triggerEvent`. */
export const CalcomKnownWebhookSchema = z.discriminatedUnion('triggerEvent', [
  CalcomBookingWebhookSchema,
  CalcomBookingCancelledWebhookSchema,
  CalcomBookingRescheduledWebhookSchema,
  CalcomBookingPaymentWebhookSchema,
  CalcomNoShowWebhookSchema,
  CalcomPingWebhookSchema,
  CalcomOtherWebhookSchema,
]);

/** A created, requested or rejected booking. */
export type CalcomBookingWebhook = z.infer<typeof CalcomBookingWebhookSchema>;
/** A cancelled booking. */
export type CalcomBookingCancelledWebhook = z.infer<typeof CalcomBookingCancelledWebhookSchema>;
/** A rescheduled booking. */
export type CalcomBookingRescheduledWebhook = z.infer<typeof CalcomBookingRescheduledWebhookSchema>;
/** A payment started or completed. */
export type CalcomBookingPaymentWebhook = z.infer<typeof CalcomBookingPaymentWebhookSchema>;
/** Attendees' no-show flags changed. */
export type CalcomNoShowWebhook = z.infer<typeof CalcomNoShowWebhookSchema>;
/** The dashboard's ping test. */
export type CalcomPingWebhook = z.infer<typeof CalcomPingWebhookSchema>;
/** A documented trigger with an untyped payload. */
export type CalcomOtherWebhook = z.infer<typeof CalcomOtherWebhookSchema>;
/** Any documented Cal.com webhook; narrow on `triggerEvent`. */
export type CalcomKnownWebhook = z.infer<typeof CalcomKnownWebhookSchema>;
/** The name of a documented Cal.com trigger (or `PING`). */
export type CalcomTriggerEvent = CalcomKnownWebhook['triggerEvent'];

/** Every documented Cal.com trigger name, and `PING`. */
export const calcomTriggerEvents: readonly CalcomTriggerEvent[] = Object.freeze([
  ...CalcomBookingWebhookSchema.shape.triggerEvent.options,
  CalcomBookingCancelledWebhookSchema.shape.triggerEvent.value,
  CalcomBookingRescheduledWebhookSchema.shape.triggerEvent.value,
  ...CalcomBookingPaymentWebhookSchema.shape.triggerEvent.options,
  CalcomNoShowWebhookSchema.shape.triggerEvent.value,
  CalcomPingWebhookSchema.shape.triggerEvent.value,
  ...CalcomOtherWebhookSchema.shape.triggerEvent.options,
]);
