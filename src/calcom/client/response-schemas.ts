import { z } from 'zod';

// Shapes of Cal.com API v2 answers (facts: shared/reference/calcom.md §2; the OpenAPI document's
// `BookingOutput_2024_08_13`, `PaginationMetaDto`, `ReserveSlotOutput_2024_09_04`,
// `EventTypeOutput_2024_06_14`, `UserWebhookOutputDto`). Every object is loose: Cal.com adds fields
// without a version bump, and an unknown field must never break a booking. Only the fields the
// client relies on are required.

const nullableString = z.string().nullish();

/**
 * The statuses Cal.com documents for a booking, lowercase.
 *
 * @example
 * ```ts
 * declare const booking: CalcomBooking;
 * // ---cut---
 * const known = (calcomBookingStatuses as readonly string[]).includes(booking.status);
 * ```
 */
export const calcomBookingStatuses = Object.freeze(['accepted', 'pending', 'cancelled', 'rejected'] as const);

/**
 * A booking's status, lowercase: Cal.com's REST answers use lowercase, its webhooks uppercase
 * (`ACCEPTED`), and its database knows more (`awaiting_host`); any string is accepted and
 * lowercased, so a status added later passes through instead of failing the answer. The known
 * values are {@link calcomBookingStatuses}.
 *
 * @example
 * ```ts
 * CalcomBookingStatus.parse('ACCEPTED'); // 'accepted'
 * ```
 */
export const CalcomBookingStatus = z.string().transform((status) => status.toLowerCase());
/** @see {@link CalcomBookingStatus} */
export type CalcomBookingStatus = z.infer<typeof CalcomBookingStatus>;

/**
 * An attendee of a Cal.com booking.
 *
 * @example
 * ```ts
 * declare const booking: CalcomBooking;
 * // ---cut---
 * const first: CalcomBookingAttendee | undefined = booking.attendees[0];
 * ```
 */
export const CalcomBookingAttendee = z.looseObject({
  name: z.string(),
  email: z.string(),
  timeZone: z.string(),
  phoneNumber: nullableString,
  language: nullableString,
  absent: z.boolean().nullish(),
});
/** @see {@link CalcomBookingAttendee} */
export type CalcomBookingAttendee = z.infer<typeof CalcomBookingAttendee>;

/**
 * A Cal.com booking as API v2 answers it (bookings `2024-08-13` and `2026-02-25` share the shape).
 * A reschedule creates a new booking: the new one names the old in `rescheduledFromUid`, the old
 * one (now cancelled) the new in `rescheduledToUid`.
 *
 * @example
 * ```ts
 * declare const body: unknown;
 * // ---cut---
 * const booking = CalcomBooking.parse(body);
 * if (booking.status === 'cancelled' && booking.rescheduledToUid) console.log('moved to', booking.rescheduledToUid);
 * ```
 */
export const CalcomBooking = z.looseObject({
  id: z.number(),
  uid: z.string().min(1),
  title: nullableString,
  status: CalcomBookingStatus,
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
  duration: z.number().nullish(),
  eventTypeId: z.number().nullish(),
  eventType: z.looseObject({ id: z.number(), slug: nullableString }).nullish(),
  attendees: z.array(CalcomBookingAttendee).default([]),
  hosts: z.array(z.looseObject({ id: z.number().nullish(), email: nullableString })).default([]),
  guests: z.array(z.string()).nullish(),
  metadata: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((metadata) => metadata ?? {}),
  location: nullableString,
  cancellationReason: nullableString,
  reschedulingReason: nullableString,
  rescheduledFromUid: nullableString,
  rescheduledToUid: nullableString,
  absentHost: z.boolean().nullish(),
  createdAt: nullableString,
  updatedAt: nullableString,
});
/** @see {@link CalcomBooking} */
export type CalcomBooking = z.infer<typeof CalcomBooking>;

/**
 * Cal.com's offset paging of a listing (`PaginationMetaDto`).
 *
 * @example
 * ```ts
 * declare const page: CalcomPagination;
 * // ---cut---
 * if (page.hasNextPage) console.log(page.remainingItems, 'to go');
 * ```
 */
export const CalcomPagination = z.looseObject({
  totalItems: z.number().nullish(),
  remainingItems: z.number().nullish(),
  returnedItems: z.number().nullish(),
  itemsPerPage: z.number().nullish(),
  currentPage: z.number().nullish(),
  totalPages: z.number().nullish(),
  hasNextPage: z.boolean(),
  hasPreviousPage: z.boolean().nullish(),
});
/** @see {@link CalcomPagination} */
export type CalcomPagination = z.infer<typeof CalcomPagination>;

/**
 * One free slot. Cal.com answers objects (`{ start }`, `{ start, end }` with `format=range`, seat
 * counts for seated events) although its OpenAPI document says strings; a bare string is read as
 * `{ start }`.
 *
 * @example
 * ```ts
 * declare const slot: CalcomSlot;
 * // ---cut---
 * console.log(slot.start, slot.end ?? '(length of the event type)');
 * ```
 */
export const CalcomSlot = z.preprocess(
  (value) => (typeof value === 'string' ? { start: value } : value),
  z.looseObject({
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }).optional(),
    seatsBooked: z.number().optional(),
    seatsRemaining: z.number().optional(),
    seatsTotal: z.number().optional(),
  }),
);
/** @see {@link CalcomSlot} */
export type CalcomSlot = z.infer<typeof CalcomSlot>;

/**
 * Free slots by date (`YYYY-MM-DD` in the requested time zone), as `GET /v2/slots` answers.
 *
 * @example
 * ```ts
 * declare const slots: CalcomSlotsByDate;
 * // ---cut---
 * for (const [date, free] of Object.entries(slots)) console.log(date, free.length);
 * ```
 */
export const CalcomSlotsByDate = z.record(z.string(), z.array(CalcomSlot));
/** @see {@link CalcomSlotsByDate} */
export type CalcomSlotsByDate = z.infer<typeof CalcomSlotsByDate>;

/**
 * A slot reservation (`ReserveSlotOutput_2024_09_04`): the slot is hidden from other clients'
 * slot queries until `reservationUntil`. Advisory: Cal.com does not check it when booking.
 *
 * @example
 * ```ts
 * declare const reservation: CalcomSlotReservation;
 * // ---cut---
 * console.log(reservation.reservationUid, 'held until', reservation.reservationUntil);
 * ```
 */
export const CalcomSlotReservation = z.looseObject({
  reservationUid: z.string().min(1),
  eventTypeId: z.number(),
  slotStart: z.string(),
  slotEnd: z.string(),
  slotDuration: z.number().nullish(),
  reservationDuration: z.number().nullish(),
  reservationUntil: z.string(),
});
/** @see {@link CalcomSlotReservation} */
export type CalcomSlotReservation = z.infer<typeof CalcomSlotReservation>;

/**
 * An event type (`EventTypeOutput_2024_06_14`): what can be booked, and for how long.
 *
 * @example
 * ```ts
 * declare const eventType: CalcomEventType;
 * // ---cut---
 * const lengths = eventType.lengthInMinutesOptions ?? [eventType.lengthInMinutes];
 * ```
 */
export const CalcomEventType = z.looseObject({
  id: z.number(),
  slug: z.string(),
  title: z.string(),
  lengthInMinutes: z.number(),
  lengthInMinutesOptions: z.array(z.number()).nullish(),
  hidden: z.boolean().nullish(),
  minimumBookingNotice: z.number().nullish(),
});
/** @see {@link CalcomEventType} */
export type CalcomEventType = z.infer<typeof CalcomEventType>;

/**
 * A webhook subscription of the API key's user (`UserWebhookOutputDto`). `triggers` is a list
 * (the OpenAPI document types it as objects); `secret` is answered only by some deployments.
 *
 * @example
 * ```ts
 * declare const subscription: CalcomWebhookSubscription;
 * // ---cut---
 * if (subscription.active && subscription.triggers.includes('BOOKING_CANCELLED')) console.log(subscription.subscriberUrl);
 * ```
 */
export const CalcomWebhookSubscription = z.looseObject({
  id: z.union([z.number(), z.string()]).transform(String),
  subscriberUrl: z.string(),
  triggers: z.array(z.string()),
  active: z.boolean(),
  payloadTemplate: nullableString,
  secret: nullableString,
  userId: z.number().nullish(),
});
/** @see {@link CalcomWebhookSubscription} */
export type CalcomWebhookSubscription = z.infer<typeof CalcomWebhookSubscription>;

/**
 * The success envelope `{ status: 'success', data }` around `data`.
 *
 * @internal
 */
export function envelope<T extends z.ZodType>(data: T) {
  return z.looseObject({ status: z.literal('success'), data });
}

/**
 * The success envelope of a paged listing: `{ status, data: [...], pagination }`.
 *
 * @internal
 */
export function pagedEnvelope<T extends z.ZodType>(item: T) {
  return z.looseObject({ status: z.literal('success'), data: z.array(item), pagination: CalcomPagination });
}
