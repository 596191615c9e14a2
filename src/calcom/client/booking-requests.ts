import { z } from 'zod';

// What the client sends to the bookings endpoints (facts: shared/reference/calcom.md §2.3-2.8;
// the OpenAPI document's `CreateBookingInput_2024_08_13`, `CancelBookingInput_2024_08_13`,
// `RescheduleBookingInput_2024_08_13`, `DeclineBookingInput_2024_08_13`,
// `MarkAbsentBookingInput_2024_08_13`). Checked before anything is sent, so a malformed request
// fails with a ValidationError naming the field instead of a 400 from Cal.com.

/** An instant with an offset, sent to Cal.com in UTC (it reads `start` as UTC). */
const UtcInstant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

/**
 * The person a booking is for: a name and a time zone, and an email or a phone number (Cal.com
 * requires one of them although its document marks both optional).
 *
 * @example
 * ```ts
 * const attendee: CalcomAttendeeInput = { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/London' };
 * ```
 */
export const CalcomAttendeeInput = z
  .object({
    name: z.string().min(1),
    timeZone: z.string().min(1),
    email: z.email().optional(),
    phoneNumber: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, 'must be in E.164 form, e.g. +14155550123')
      .optional(),
    language: z.string().min(2).optional(),
  })
  .refine((attendee) => attendee.email !== undefined || attendee.phoneNumber !== undefined, {
    message: 'an email or a phone number is required',
    path: ['email'],
  });
/** @see {@link CalcomAttendeeInput} */
export type CalcomAttendeeInput = z.input<typeof CalcomAttendeeInput>;

/**
 * Booking metadata: string values only, at most 50 keys of up to 40 characters, values of up to
 * 500 (Cal.com's limits).
 *
 * @example
 * ```ts
 * const metadata = CalcomMetadata.parse({ bookingkitAppointmentId: 'appt_1' });
 * ```
 */
export const CalcomMetadata = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((metadata) => Object.keys(metadata).length <= 50, { message: 'at most 50 keys' });
/** @see {@link CalcomMetadata} */
export type CalcomMetadata = z.infer<typeof CalcomMetadata>;

/**
 * `POST /v2/bookings`: a booking of an event type at `start`. `lengthInMinutes` only for event
 * types with several lengths; `allowBookingOutOfBounds` and `skipBookingLimits` only take effect
 * with bookings version `2026-02-25` (Cal.com ignores them otherwise).
 *
 * @example
 * ```ts
 * const request: CalcomCreateBookingInput = {
 *   eventTypeId: 42,
 *   start: '2026-03-02T09:00:00Z',
 *   attendee: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/London' },
 *   metadata: { bookingkitAppointmentId: 'appt_1' },
 * };
 * ```
 */
export const CalcomCreateBookingInput = z.object({
  eventTypeId: z.number().int().positive(),
  start: UtcInstant,
  attendee: CalcomAttendeeInput,
  lengthInMinutes: z.number().int().positive().optional(),
  guests: z.array(z.email()).optional(),
  metadata: CalcomMetadata.optional(),
  location: z.looseObject({ type: z.string().min(1) }).optional(),
  bookingFieldsResponses: z.record(z.string(), z.unknown()).optional(),
  allowConflicts: z.boolean().optional(),
  allowBookingOutOfBounds: z.boolean().optional(),
  skipBookingLimits: z.boolean().optional(),
});
/** @see {@link CalcomCreateBookingInput} */
export type CalcomCreateBookingInput = z.input<typeof CalcomCreateBookingInput>;

/**
 * `POST /v2/bookings/{uid}/cancel`. The reason is required: Cal.com refuses a host's cancel
 * without one, and an API key acts as the host.
 *
 * @example
 * ```ts
 * const cancel: CalcomCancelBookingInput = { cancellationReason: 'The customer called to cancel' };
 * ```
 */
export const CalcomCancelBookingInput = z.object({
  cancellationReason: z
    .string()
    .trim()
    .min(1, 'is required: Cal.com refuses a host’s cancel without a reason'),
  cancelSubsequentBookings: z.boolean().optional(),
});
/** @see {@link CalcomCancelBookingInput} */
export type CalcomCancelBookingInput = z.input<typeof CalcomCancelBookingInput>;

/**
 * `POST /v2/bookings/{uid}/reschedule`: the new start (UTC); Cal.com answers a new booking with a
 * new uid. `rescheduledBy` as the owner's email confirms a reschedule of an event type that needs
 * confirmation.
 *
 * @example
 * ```ts
 * const move: CalcomRescheduleBookingInput = { start: '2026-03-03T10:00:00Z', reschedulingReason: 'Customer asked' };
 * ```
 */
export const CalcomRescheduleBookingInput = z.object({
  start: UtcInstant,
  rescheduledBy: z.email().optional(),
  reschedulingReason: z.string().min(1).optional(),
});
/** @see {@link CalcomRescheduleBookingInput} */
export type CalcomRescheduleBookingInput = z.input<typeof CalcomRescheduleBookingInput>;

/**
 * `POST /v2/bookings/{uid}/decline` of a booking that awaits confirmation.
 *
 * @example
 * ```ts
 * const decline: CalcomDeclineBookingInput = { reason: 'No longer available that day' };
 * ```
 */
export const CalcomDeclineBookingInput = z.object({ reason: z.string().min(1).optional() });
/** @see {@link CalcomDeclineBookingInput} */
export type CalcomDeclineBookingInput = z.input<typeof CalcomDeclineBookingInput>;

/**
 * `POST /v2/bookings/{uid}/mark-absent`: the host's and attendees' no-shows (`absent: false`
 * clears one).
 *
 * @example
 * ```ts
 * const noShow: CalcomMarkAbsentInput = { attendees: [{ email: 'ada@example.com', absent: true }] };
 * ```
 */
export const CalcomMarkAbsentInput = z
  .object({
    host: z.boolean().optional(),
    attendees: z.array(z.object({ email: z.email(), absent: z.boolean() })).optional(),
  })
  .refine((input) => input.host !== undefined || (input.attendees?.length ?? 0) > 0, {
    message: 'name the host or at least one attendee',
  });
/** @see {@link CalcomMarkAbsentInput} */
export type CalcomMarkAbsentInput = z.input<typeof CalcomMarkAbsentInput>;

/**
 * `GET /v2/bookings` filters (all optional), plus the page size. `afterUpdatedAt` with
 * `sortUpdatedAt: 'asc'` reads every booking changed since a point, for incremental
 * reconciliation.
 *
 * @example
 * ```ts
 * const changed: CalcomBookingFilters = { afterUpdatedAt: '2026-03-01T00:00:00Z', sortUpdatedAt: 'asc', take: 250 };
 * ```
 */
export const CalcomBookingFilters = z.object({
  status: z.array(z.enum(['upcoming', 'recurring', 'past', 'cancelled', 'unconfirmed'])).optional(),
  attendeeEmail: z.string().min(1).optional(),
  attendeeName: z.string().min(1).optional(),
  bookingUid: z.string().min(1).optional(),
  eventTypeId: z.number().int().positive().optional(),
  eventTypeIds: z.array(z.number().int().positive()).optional(),
  teamId: z.number().int().positive().optional(),
  teamsIds: z.array(z.number().int().positive()).optional(),
  afterStart: UtcInstant.optional(),
  beforeEnd: UtcInstant.optional(),
  afterCreatedAt: UtcInstant.optional(),
  beforeCreatedAt: UtcInstant.optional(),
  afterUpdatedAt: UtcInstant.optional(),
  beforeUpdatedAt: UtcInstant.optional(),
  sortStart: z.enum(['asc', 'desc']).optional(),
  sortEnd: z.enum(['asc', 'desc']).optional(),
  sortCreated: z.enum(['asc', 'desc']).optional(),
  sortUpdatedAt: z.enum(['asc', 'desc']).optional(),
  /** Page size, 1 to 250 (Cal.com's most). @default 100 */
  take: z.number().int().min(1).max(250).default(100),
  /** Offset of the first page. @default 0 */
  skip: z.number().int().min(0).default(0),
});
/** @see {@link CalcomBookingFilters} */
export type CalcomBookingFilters = z.input<typeof CalcomBookingFilters>;
