import { z } from 'zod';
import { Id, Instant, Metadata, TimeZone } from '../../domain/common.js';
import { Actor, Origin } from '../../domain/origin.js';

/** Fields every booking command carries. */
const CommandBase = z.object({
  tenantId: Id,
  /** Where the command came from; a change from `calcom` is never pushed back to the calendar. */
  origin: Origin,
  actor: Actor,
  /** Same key, same command: the second one replays the first one's result. */
  idempotencyKey: z.string().min(1).max(200),
});

/** Which appointment a command is about: by id, or by the calendar's booking uid (webhooks). */
export const AppointmentRef = z.union([
  z.object({ appointmentId: Id }),
  z.object({ calendarBookingUid: z.string().min(1) }),
]);
/** @see {@link AppointmentRef} */
export type AppointmentRef = z.infer<typeof AppointmentRef>;

/** Who the appointment is for: a known customer, or contact details to find or create one. */
export const CustomerInput = z.union([
  z.object({ customerId: Id }),
  z
    .object({
      name: z.string().min(1).max(200),
      email: z.email().optional(),
      /**
       * As typed or dialled; normalised to E.164 with the tenant's default country. Not checked
       * here beyond its length: the customer check judges every number, short ones included,
       * and says how to fix it (`include the country code, e.g. +49…`).
       */
      phone: z.string().max(40).optional(),
      locale: z.string().min(2).max(35).optional(),
    })
    .refine((c) => c.email !== undefined || c.phone !== undefined, {
      message: 'Give an email or a phone number',
      path: ['email'],
    }),
]);
/** @see {@link CustomerInput} */
export type CustomerInput = z.infer<typeof CustomerInput>;

/** Book an appointment. */
export const BookCommand = CommandBase.extend({
  eventTypeId: Id,
  /** The host or room; defaults to the event type, which then is the double-booking scope. */
  resourceId: Id.optional(),
  start: Instant,
  end: Instant,
  timeZone: TimeZone,
  customer: CustomerInput,
  metadata: Metadata.optional(),
  /** The voice call this booking was made in. */
  callId: Id.optional(),
  /**
   * The booking already exists in the calendar (it was made there, origin `calcom`): record it
   * locally and do not create it again.
   */
  existingCalendarBooking: z
    .object({
      uid: z.string().min(1),
      id: z.string().min(1).nullable(),
      /**
       * The booking's state in the calendar: `accepted` is recorded as a confirmed appointment,
       * `pending` (awaiting the host's approval) as a pending one.
       * @default 'accepted'
       */
      status: z.enum(['accepted', 'pending']).default('accepted'),
    })
    .optional(),
}).refine((c) => Date.parse(c.end) > Date.parse(c.start), {
  message: 'end must be after start',
  path: ['end'],
});
/** @see {@link BookCommand} */
export type BookCommand = z.input<typeof BookCommand>;

/** Move an appointment. */
export const RescheduleCommand = CommandBase.extend({
  target: AppointmentRef,
  start: Instant,
  end: Instant,
  reason: z.string().max(1000).optional(),
  /** The calendar already moved it (origin `calcom`): its new uid. */
  newCalendarBookingUid: z.string().min(1).optional(),
}).refine((c) => Date.parse(c.end) > Date.parse(c.start), {
  message: 'end must be after start',
  path: ['end'],
});
/** @see {@link RescheduleCommand} */
export type RescheduleCommand = z.input<typeof RescheduleCommand>;

/** Cancel an appointment. */
export const CancelCommand = CommandBase.extend({
  target: AppointmentRef,
  reason: z.string().max(1000).optional(),
  /**
   * The host cancelled to ask the customer for a new time (Cal.com's "request reschedule"): the
   * appointment is cancelled all the same. Carried by the command (and its fingerprint); the
   * cancel flow does not store it with the appointment yet.
   */
  requestReschedule: z.boolean().optional(),
});
/** @see {@link CancelCommand} */
export type CancelCommand = z.input<typeof CancelCommand>;

/** Confirm a pending appointment (e.g. a booking that needed the host's approval). */
export const ConfirmCommand = CommandBase.extend({ target: AppointmentRef });
/** @see {@link ConfirmCommand} */
export type ConfirmCommand = z.input<typeof ConfirmCommand>;

/**
 * Record that the customer did not come, or (`noShow: false`) take that back: a no-show that is
 * cleared is confirmed again.
 */
export const MarkNoShowCommand = CommandBase.extend({
  target: AppointmentRef,
  /** `false` clears an earlier no-show. @default true */
  noShow: z.boolean().default(true),
});
/** @see {@link MarkNoShowCommand} */
export type MarkNoShowCommand = z.input<typeof MarkNoShowCommand>;
