import { z } from 'zod';
import { Id, Instant, Metadata, TimeZone } from './common.js';
import { Actor, Origin } from './origin.js';

/** Lifecycle of an appointment. `pending` holds the slot until the calendar confirms it. */
export const AppointmentStatus = z.enum(['pending', 'confirmed', 'cancelled', 'no_show']);
/** @see {@link AppointmentStatus} */
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;

/** Statuses that occupy their slot (the double-booking rule applies to them). */
export const ACTIVE_APPOINTMENT_STATUSES: readonly AppointmentStatus[] = Object.freeze([
  'pending',
  'confirmed',
]);

/** Where the appointment stands with the external calendar (Cal.com). */
export const SyncState = z.object({
  status: z.enum(['pending', 'synced', 'failed', 'manual_review']),
  attempts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  /** When the last sync attempt happened. */
  lastAttemptAt: Instant.nullable(),
});
/** @see {@link SyncState} */
export type SyncState = z.infer<typeof SyncState>;

/** References to the appointment in the external calendar. */
export const ExternalRefs = z.object({
  /** Cal.com booking uid (current one, after reschedules). */
  calendarBookingUid: z.string().min(1).nullable(),
  /** Cal.com numeric booking id, as a string. */
  calendarBookingId: z.string().min(1).nullable(),
  /** Earlier uids of this appointment (Cal.com issues a new uid on each reschedule). */
  previousCalendarBookingUids: z.array(z.string().min(1)),
});
/** @see {@link ExternalRefs} */
export type ExternalRefs = z.infer<typeof ExternalRefs>;

/**
 * An appointment, as the local database keeps it. `resourceId` names the bookable resource the
 * double-booking rule is scoped to (the host when known, otherwise the event type): two active
 * appointments of one tenant and resource may not overlap.
 */
export const Appointment = z
  .object({
    id: Id,
    tenantId: Id,
    /** The service booked (Cal.com event type id, as a string). */
    eventTypeId: Id,
    resourceId: Id,
    customerId: Id.nullable(),
    start: Instant,
    end: Instant,
    /** The customer's time zone, for messages; `start`/`end` are UTC. */
    timeZone: TimeZone,
    status: AppointmentStatus,
    /** Origin of the last change. */
    origin: Origin,
    createdBy: Actor,
    rescheduledBy: Actor.nullable(),
    cancelledBy: Actor.nullable(),
    cancellationReason: z.string().nullable(),
    external: ExternalRefs,
    sync: SyncState,
    /** Optimistic-concurrency version; 1 on insert, +1 on every update. */
    version: z.number().int().positive(),
    idempotencyKey: z.string().min(1).nullable(),
    metadata: Metadata,
    createdAt: Instant,
    updatedAt: Instant,
  })
  .refine((a) => Date.parse(a.end) > Date.parse(a.start), {
    message: 'end must be after start',
    path: ['end'],
  });
/** @see {@link Appointment} */
export type Appointment = z.infer<typeof Appointment>;
