import { z } from 'zod';

// Wire shapes of the `payload` of Cal.com's booking webhooks, webhook version 2021-10-20 (facts:
// shared/reference/calcom.md §4.2, from Cal.com's BookingPayloadBuilder). Every object is loose:
// the payload spreads Cal.com's whole internal CalendarEvent, which changes between releases, so
// unknown fields are kept and never fail a delivery. Optional fields accept `null` as well as
// absence. Status values are plain strings (documented) so that a new status is not an error.

/** A timestamp as Cal.com writes it: ISO 8601 in UTC, e.g. `2023-05-25T09:30:00Z`. */
const isoTime = z.iso.datetime({ offset: true });

/** A person's language, as `{ locale }`. */
const language = z.looseObject({ locale: z.string() });

/** The organizer (host) of a booking. */
export const CalcomOrganizer = z.looseObject({
  /** Cal.com user id. */
  id: z.number().int().nullish(),
  name: z.string(),
  email: z.string(),
  username: z.string().nullish(),
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: z.string(),
  language: language.nullish(),
});

/** One attendee of a booking. */
export const CalcomAttendee = z.looseObject({
  name: z.string(),
  email: z.string(),
  /** IANA time zone. */
  timeZone: z.string(),
  language: language.nullish(),
  /** International format, when the booking form asked for it. */
  phoneNumber: z.string().nullish(),
});

/**
 * The payload of `BOOKING_CREATED`, `BOOKING_REQUESTED` and `BOOKING_REJECTED`, and the base of the
 * other booking payloads. `startTime` and `endTime` are UTC.
 */
export const CalcomBookingPayload = z.looseObject({
  /** The booking's uid: the stable reference to store (a new one after every reschedule). */
  uid: z.string().min(1),
  /** Numeric booking id. */
  bookingId: z.number().int().nullish(),
  /** The event type's id. */
  eventTypeId: z.number().int().nullish(),
  /** The event type's slug. */
  type: z.string().nullish(),
  title: z.string().nullish(),
  /** The event description, or the attendee's additional notes. */
  description: z.string().nullish(),
  startTime: isoTime,
  endTime: isoTime,
  organizer: CalcomOrganizer,
  attendees: z.array(CalcomAttendee),
  /** A URL, an address or an integration name. */
  location: z.string().nullish(),
  /**
   * Upper case, unlike the REST API: `ACCEPTED`, `PENDING`, `CANCELLED`, `REJECTED` (the database
   * also knows `AWAITING_HOST`).
   */
  status: z.string().nullish(),
  /** What was sent as `metadata` when the booking was created, plus `videoCallUrl`. */
  metadata: z.record(z.string(), z.unknown()).nullish(),
  /** Booking-form answers by field name, each `{ label, value }`. */
  responses: z.record(z.string(), z.unknown()).nullish(),
  userFieldsResponses: z.record(z.string(), z.unknown()).nullish(),
  eventTitle: z.string().nullish(),
  eventDescription: z.string().nullish(),
  requiresConfirmation: z.boolean().nullish(),
  /** Length in minutes. */
  length: z.number().nullish(),
  price: z.number().nullish(),
  currency: z.string().nullish(),
  smsReminderNumber: z.string().nullish(),
  iCalUID: z.string().nullish(),
  iCalSequence: z.number().int().nullish(),
});

/** The payload of `BOOKING_CANCELLED`. */
export const CalcomCancelledBookingPayload = CalcomBookingPayload.extend({
  cancellationReason: z.string().nullish(),
  /** Who cancelled (an email address). */
  cancelledBy: z.string().nullish(),
  /** True when the host asked the attendee to pick a new time (the booking is cancelled meanwhile). */
  requestReschedule: z.boolean().nullish(),
  /** The new booking's uid when the cancellation is the old half of a reschedule; often `null`. */
  rescheduledToUid: z.string().nullish(),
});

/**
 * The payload of `BOOKING_RESCHEDULED`. `uid`, `bookingId`, `startTime` and `endTime` are the NEW
 * booking's; `rescheduleUid` and the `reschedule*` times are the old one's. (Cal.com stores the
 * link as `fromReschedule` in its database; the webhook calls it `rescheduleUid`.)
 */
export const CalcomRescheduledBookingPayload = CalcomBookingPayload.extend({
  /** Uid of the booking that was moved (now cancelled). */
  rescheduleUid: z.string().nullish(),
  /** Id of the booking that was moved. */
  rescheduleId: z.number().int().nullish(),
  /** The old start, UTC. */
  rescheduleStartTime: z.string().nullish(),
  /** The old end, UTC. */
  rescheduleEndTime: z.string().nullish(),
  /** Who rescheduled (an email address). */
  rescheduledBy: z.string().nullish(),
});

/** The payload of `BOOKING_PAID` and `BOOKING_PAYMENT_INITIATED`. */
export const CalcomPaymentBookingPayload = CalcomBookingPayload.extend({
  paymentId: z.union([z.number(), z.string()]).nullish(),
  /** The payment provider's data, as Cal.com stored it. */
  paymentData: z.unknown().optional(),
});

/** The payload of `BOOKING_NO_SHOW_UPDATED`, which is not a booking. */
export const CalcomNoShowPayload = z.looseObject({
  message: z.string().nullish(),
  bookingUid: z.string().min(1),
  bookingId: z.number().int().nullish(),
  attendees: z.array(z.looseObject({ email: z.string(), noShow: z.boolean() })),
});

/** The organizer of a booking. */
export type CalcomOrganizer = z.infer<typeof CalcomOrganizer>;
/** An attendee of a booking. */
export type CalcomAttendee = z.infer<typeof CalcomAttendee>;
/** A booking webhook payload. */
export type CalcomBookingPayload = z.infer<typeof CalcomBookingPayload>;
/** The `BOOKING_CANCELLED` payload. */
export type CalcomCancelledBookingPayload = z.infer<typeof CalcomCancelledBookingPayload>;
/** The `BOOKING_RESCHEDULED` payload. */
export type CalcomRescheduledBookingPayload = z.infer<typeof CalcomRescheduledBookingPayload>;
/** The `BOOKING_PAID` / `BOOKING_PAYMENT_INITIATED` payload. */
export type CalcomPaymentBookingPayload = z.infer<typeof CalcomPaymentBookingPayload>;
/** The `BOOKING_NO_SHOW_UPDATED` payload. */
export type CalcomNoShowPayload = z.infer<typeof CalcomNoShowPayload>;
