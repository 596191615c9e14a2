import { z } from 'zod';
import { Id, Instant, Metadata, TimeZone } from '../../domain/common.js';
import { Actor, Origin } from '../../domain/origin.js';

/** Fields every booking command carries. */
const CommandBase = z.object({
  tenantId: Id,
  /**
   * Where the command came from. It decides the calendar mode only when the command does not
   * (see {@link CalendarMode}).
   */
  origin: Origin,
  actor: Actor,
  /** Same key, same command: the second one replays the first one's result. */
  idempotencyKey: z.string().min(1).max(200),
});

/**
 * What a command does to the calendar: `apply` pushes the change there (create, move, cancel);
 * `already_applied` records a change the calendar already has (made in Cal.com, or found there by
 * reconciliation) and never pushes it back. Unset, a command from `calcom` is `already_applied`
 * and any other `apply` (a book with `existingCalendarBooking` is `already_applied` whatever its
 * origin); a value given wins over the origin in both directions.
 *
 * @example
 * ```ts
 * const mode: CalendarMode = 'already_applied';
 * ```
 */
export const CalendarMode = z.enum(['apply', 'already_applied']);
/** @see {@link CalendarMode} */
export type CalendarMode = z.infer<typeof CalendarMode>;

/** How the calendar mode of a command is resolved. @internal */
interface CalendarModeInput {
  readonly origin: string;
  readonly calendar?: CalendarMode | undefined;
  readonly existingCalendarBooking?: unknown;
}

/**
 * The calendar mode a command runs with: its `calendar`, else `already_applied` for a command
 * from `calcom` or a book of an existing calendar booking, else `apply`.
 *
 * @internal
 */
export function calendarModeOf(command: CalendarModeInput): CalendarMode {
  if (command.calendar !== undefined) return command.calendar;
  return command.origin === 'calcom' || command.existingCalendarBooking !== undefined
    ? 'already_applied'
    : 'apply';
}

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
   * `already_applied`: the booking exists in the calendar (give it as `existingCalendarBooking`)
   * and is only recorded; `apply`: it is created there. See {@link CalendarMode} for the default.
   */
  calendar: CalendarMode.optional(),
  /**
   * The booking already exists in the calendar (made there, or found there by reconciliation):
   * record it locally and do not create it again. Required with `calendar: 'already_applied'`
   * (the default for origin `calcom`), refused with `calendar: 'apply'`.
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
})
  .refine((c) => Date.parse(c.end) > Date.parse(c.start), {
    message: 'end must be after start',
    path: ['end'],
  })
  .refine((c) => calendarModeOf(c) === 'apply' || c.existingCalendarBooking !== undefined, {
    message:
      "A booking the calendar already has (calendar 'already_applied', the default for origin calcom) needs its existingCalendarBooking",
    path: ['existingCalendarBooking'],
  })
  .refine((c) => c.calendar !== 'apply' || c.existingCalendarBooking === undefined, {
    message: "calendar 'apply' would create the existingCalendarBooking a second time: use 'already_applied'",
    path: ['calendar'],
  });
/** @see {@link BookCommand} */
export type BookCommand = z.input<typeof BookCommand>;

/** Move an appointment. */
export const RescheduleCommand = CommandBase.extend({
  target: AppointmentRef,
  start: Instant,
  end: Instant,
  reason: z.string().max(1000).optional(),
  /**
   * `already_applied`: the calendar moved it already, only the appointment moves; `apply`: the
   * calendar booking is moved too. See {@link CalendarMode} for the default.
   */
  calendar: CalendarMode.optional(),
  /** The calendar already moved it (`calendar: 'already_applied'` only): its new uid. */
  newCalendarBookingUid: z.string().min(1).optional(),
})
  .refine((c) => Date.parse(c.end) > Date.parse(c.start), {
    message: 'end must be after start',
    path: ['end'],
  })
  .refine((c) => c.newCalendarBookingUid === undefined || calendarModeOf(c) === 'already_applied', {
    message:
      "A new calendar uid is only known when the calendar moved it already (calendar 'already_applied')",
    path: ['newCalendarBookingUid'],
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
  /**
   * `already_applied`: the calendar cancelled it already, only the appointment is cancelled;
   * `apply`: the calendar booking is cancelled too. See {@link CalendarMode} for the default.
   */
  calendar: CalendarMode.optional(),
});
/** @see {@link CancelCommand} */
export type CancelCommand = z.input<typeof CancelCommand>;

/**
 * Push an appointment to the calendar (reconciliation's "heal remote"): the booking tagged with the
 * appointment is looked up first and adopted when found; it is created only when absent.
 */
export const SyncToCalendarCommand = CommandBase.extend({ target: AppointmentRef });
/** @see {@link SyncToCalendarCommand} */
export type SyncToCalendarCommand = z.input<typeof SyncToCalendarCommand>;

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
