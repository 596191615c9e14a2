import { z } from 'zod';

// Request bodies of the bookings endpoints (CreateBookingInput_2024_08_13 and friends), as loose
// objects: Cal.com's ValidationPipe strips unknown fields instead of refusing them.

const isoDateTime = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value), {
    message: 'must be a valid ISO 8601 date string',
  });

const Attendee = z
  .looseObject({
    name: z.string().min(1),
    timeZone: z.string().min(1),
    email: z.string().email().optional(),
    phoneNumber: z.string().min(1).optional(),
    language: z.string().optional(),
  })
  // Cal.com's @RequireEmailOrPhone: the schema leaves both optional, the class needs one.
  .refine((attendee) => attendee.email !== undefined || attendee.phoneNumber !== undefined, {
    message: 'Either email or phoneNumber must be provided',
  });

/** Metadata: string values, at most 50 keys of at most 40 characters, values of at most 500. */
const Metadata = z
  .record(z.string().max(40), z.string().max(500))
  .refine((metadata) => Object.keys(metadata).length <= 50, { message: 'can have at most 50 keys' });

/** `POST /v2/bookings`. @internal */
export const CreateBookingBody = z.looseObject({
  start: isoDateTime,
  attendee: Attendee,
  eventTypeId: z.number().int().positive().optional(),
  eventTypeSlug: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  guests: z.array(z.string().email()).optional(),
  metadata: Metadata.optional(),
  lengthInMinutes: z.number().int().positive().optional(),
  location: z.unknown().optional(),
  bookingFieldsResponses: z.record(z.string(), z.unknown()).optional(),
});
/** @internal */
export type CreateBookingBody = z.infer<typeof CreateBookingBody>;

/** `POST /v2/bookings/{uid}/cancel`. @internal */
export const CancelBookingBody = z.looseObject({
  cancellationReason: z.string().optional(),
  cancelSubsequentBookings: z.boolean().optional(),
});

/** `POST /v2/bookings/{uid}/reschedule`. @internal */
export const RescheduleBookingBody = z.looseObject({
  start: isoDateTime,
  rescheduledBy: z.string().optional(),
  reschedulingReason: z.string().optional(),
});

/** `POST /v2/bookings/{uid}/decline`. @internal */
export const DeclineBookingBody = z.looseObject({ reason: z.string().optional() });

/** `POST /v2/bookings/{uid}/mark-absent`. @internal */
export const MarkAbsentBody = z.looseObject({
  host: z.boolean().optional(),
  attendees: z.array(z.looseObject({ email: z.string(), absent: z.boolean() })).optional(),
});
