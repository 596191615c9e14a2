import { z } from 'zod';
import { Id, Instant } from '../../domain/common.js';
import { TimeRange } from '../../domain/time-range.js';

/**
 * Attendee of a calendar booking request.
 *
 * @internal
 */
export const Attendee = z.object({
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  timeZone: z.string().min(1),
  locale: z.string().nullable(),
});

/** A booking made directly in the calendar, as a person using Cal.com's own pages would. */
export const SeedCalendarBooking = z.object({
  eventTypeId: Id,
  start: Instant,
  /** @default start + the event type's duration */
  end: Instant.optional(),
  /** @default a new uid */
  uid: Id.optional(),
  /** @default 'accepted' */
  status: z.enum(['accepted', 'pending', 'cancelled', 'rejected']).default('accepted'),
  /** @default null */
  attendee: Attendee.nullable().default(null),
  /** @default {} (no appointment tag: bookingkit did not make it) */
  metadata: z.record(z.string(), z.string()).default({}),
  /** @default null */
  rescheduledFromUid: Id.nullable().default(null),
  /** @default null */
  rescheduledToUid: Id.nullable().default(null),
  /** @default now, on the calendar's clock */
  updatedAt: Instant.optional(),
});
/** A seeded booking after validation and defaults (see {@link SeedCalendarBooking}). */
export type SeedCalendarBooking = z.output<typeof SeedCalendarBooking>;
/** Input of `MemoryCalendarProvider.seedBooking`. */
export type SeedCalendarBookingInput = z.input<typeof SeedCalendarBooking>;

/**
 * A reschedule's new time and reason.
 *
 * @internal
 */
export const RescheduleChange = z.intersection(TimeRange, z.object({ reason: z.string().nullable() }));

/**
 * Arguments of `getAvailableSlots`.
 *
 * @internal
 */
export const SlotQuery = z
  .object({ eventTypeId: Id, from: Instant, to: Instant })
  .refine((query) => Date.parse(query.to) > Date.parse(query.from), {
    message: 'to must be after from',
    path: ['to'],
  });

/**
 * Arguments of `listBookings` (paging is checked by the pager).
 *
 * @internal
 */
export const ListQuery = z.object({ from: Instant, to: Instant, eventTypeId: Id.optional() });

/**
 * Arguments of `findBookingByAppointmentId` (a `CalendarBookingLookup`).
 *
 * @internal
 */
export const BookingLookup = z
  .object({
    appointmentId: Id,
    eventTypeId: Id,
    start: Instant,
    end: Instant,
    attendeeEmail: z.string().nullable(),
  })
  .refine((lookup) => Date.parse(lookup.end) > Date.parse(lookup.start), {
    message: 'end must be after start',
    path: ['end'],
  });

/**
 * Arguments of `listBookingsUpdatedSince` (paging is checked by the pager).
 *
 * @internal
 */
export const UpdatedSinceQuery = z.object({ updatedAfter: Instant, eventTypeId: Id.optional() });
