import { z } from 'zod';
import {
  CalcomBookingPayload,
  CalcomCancelledBookingPayload,
  CalcomNoShowPayload,
  CalcomPaymentBookingPayload,
  CalcomRescheduledBookingPayload,
} from './booking-payload-schema.js';

// The envelope of Cal.com webhooks without a payload template: `{ triggerEvent, createdAt,
// payload }` (facts: shared/reference/calcom.md §4). Trigger names from Cal.com's
// `WebhookTriggerEvents` enum, plus `PING` from the dashboard's "Ping test".

const envelope = {
  /** When Cal.com sent (or scheduled) the delivery, ISO 8601. */
  createdAt: z.iso.datetime({ offset: true }),
};

/** `BOOKING_CREATED` (also fired when a pending booking is confirmed), `BOOKING_REQUESTED`, `BOOKING_REJECTED`. */
export const CalcomBookingWebhook = z.looseObject({
  triggerEvent: z.enum(['BOOKING_CREATED', 'BOOKING_REQUESTED', 'BOOKING_REJECTED']),
  ...envelope,
  payload: CalcomBookingPayload,
});

/** `BOOKING_CANCELLED`. */
export const CalcomBookingCancelledWebhook = z.looseObject({
  triggerEvent: z.literal('BOOKING_CANCELLED'),
  ...envelope,
  payload: CalcomCancelledBookingPayload,
});

/** `BOOKING_RESCHEDULED`: the payload describes the new booking, with a link to the old one. */
export const CalcomBookingRescheduledWebhook = z.looseObject({
  triggerEvent: z.literal('BOOKING_RESCHEDULED'),
  ...envelope,
  payload: CalcomRescheduledBookingPayload,
});

/** `BOOKING_PAID` and `BOOKING_PAYMENT_INITIATED`. */
export const CalcomBookingPaymentWebhook = z.looseObject({
  triggerEvent: z.enum(['BOOKING_PAID', 'BOOKING_PAYMENT_INITIATED']),
  ...envelope,
  payload: CalcomPaymentBookingPayload,
});

/** `BOOKING_NO_SHOW_UPDATED`. */
export const CalcomNoShowWebhook = z.looseObject({
  triggerEvent: z.literal('BOOKING_NO_SHOW_UPDATED'),
  ...envelope,
  payload: CalcomNoShowPayload,
});

/** The dashboard's "Ping test", with a dummy payload; answer it with a 2xx. */
export const CalcomPingWebhook = z.looseObject({
  triggerEvent: z.literal('PING'),
  ...envelope,
  payload: z.record(z.string(), z.unknown()),
});

/**
 * `MEETING_STARTED` and `MEETING_ENDED`: jobs Cal.com schedules at booking time and fires from a
 * cron with the booking payload it stored then (so the times are the booking's, not when the
 * meeting really started or ended). Historically unreliable, and sent unsigned before a fix.
 */
export const CalcomMeetingWebhook = z.looseObject({
  triggerEvent: z.enum(['MEETING_STARTED', 'MEETING_ENDED']),
  ...envelope,
  payload: CalcomBookingPayload,
});

/**
 * Documented triggers whose payloads bookingkit does not model (forms, recordings,
 * out-of-office, Cal Video no-shows, credential errors); the payload is passed through untyped.
 */
export const CalcomOtherWebhook = z.looseObject({
  triggerEvent: z.enum([
    'FORM_SUBMITTED',
    'FORM_SUBMITTED_NO_EVENT',
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
export const CalcomKnownWebhook = z.discriminatedUnion('triggerEvent', [
  CalcomBookingWebhook,
  CalcomBookingCancelledWebhook,
  CalcomBookingRescheduledWebhook,
  CalcomBookingPaymentWebhook,
  CalcomNoShowWebhook,
  CalcomPingWebhook,
  CalcomMeetingWebhook,
  CalcomOtherWebhook,
]);

/** A created, requested or rejected booking. */
export type CalcomBookingWebhook = z.infer<typeof CalcomBookingWebhook>;
/** A cancelled booking. */
export type CalcomBookingCancelledWebhook = z.infer<typeof CalcomBookingCancelledWebhook>;
/** A rescheduled booking. */
export type CalcomBookingRescheduledWebhook = z.infer<typeof CalcomBookingRescheduledWebhook>;
/** A payment started or completed. */
export type CalcomBookingPaymentWebhook = z.infer<typeof CalcomBookingPaymentWebhook>;
/** Attendees' no-show flags changed. */
export type CalcomNoShowWebhook = z.infer<typeof CalcomNoShowWebhook>;
/** The dashboard's ping test. */
export type CalcomPingWebhook = z.infer<typeof CalcomPingWebhook>;
/** A meeting started or ended (a scheduled job carrying the booking). */
export type CalcomMeetingWebhook = z.infer<typeof CalcomMeetingWebhook>;
/** A documented trigger with an untyped payload. */
export type CalcomOtherWebhook = z.infer<typeof CalcomOtherWebhook>;
/** Any documented Cal.com webhook; narrow on `triggerEvent`. */
export type CalcomKnownWebhook = z.infer<typeof CalcomKnownWebhook>;
/** The name of a documented Cal.com trigger (or `PING`). */
export type CalcomTriggerEvent = CalcomKnownWebhook['triggerEvent'];

/** Every documented Cal.com trigger name, and `PING`. */
export const calcomTriggerEvents: readonly CalcomTriggerEvent[] = Object.freeze([
  ...CalcomBookingWebhook.shape.triggerEvent.options,
  CalcomBookingCancelledWebhook.shape.triggerEvent.value,
  CalcomBookingRescheduledWebhook.shape.triggerEvent.value,
  ...CalcomBookingPaymentWebhook.shape.triggerEvent.options,
  CalcomNoShowWebhook.shape.triggerEvent.value,
  CalcomPingWebhook.shape.triggerEvent.value,
  ...CalcomMeetingWebhook.shape.triggerEvent.options,
  ...CalcomOtherWebhook.shape.triggerEvent.options,
]);
