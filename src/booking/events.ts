import { z } from 'zod';
import { Actor, Origin } from '../domain/origin.js';
import { defineEventCatalog, type EventCatalog } from '../events/catalog.js';
import { Instant } from '../domain/common.js';
import { CallStatus } from '../domain/call.js';

const id = z.string().min(1);
// The one instant schema: events hold UTC in one spelling; stored ones with an offset still read.
const instant = Instant;
const timeZone = z.string().min(1);
const range = z.object({ start: instant, end: instant });
const nullableUid = z.string().min(1).nullable();

const catalog = defineEventCatalog({
  'appointment.requested': z.object({
    appointmentId: id,
    eventTypeId: id,
    customerId: id.nullable(),
    start: instant,
    end: instant,
    timeZone,
    requestedBy: Actor,
  }),
  'appointment.booked': z.object({
    appointmentId: id,
    eventTypeId: id,
    customerId: id.nullable(),
    start: instant,
    end: instant,
    timeZone,
    calendarBookingUid: nullableUid,
    bookedBy: Actor,
    /** The voice call the appointment was booked in, if any (the call links back to it). */
    callId: id.nullable().default(null),
  }),
  'appointment.confirmed': z.object({ appointmentId: id, confirmedBy: Actor }),
  'appointment.rescheduled': z.object({
    appointmentId: id,
    eventTypeId: id,
    previous: range,
    start: instant,
    end: instant,
    timeZone,
    calendarBookingUid: nullableUid,
    previousCalendarBookingUid: nullableUid,
    rescheduledBy: Actor,
    reason: z.string().nullable(),
  }),
  'appointment.cancelled': z.object({
    appointmentId: id,
    eventTypeId: id,
    start: instant,
    end: instant,
    calendarBookingUid: nullableUid,
    cancelledBy: Actor,
    reason: z.string().nullable(),
  }),
  'appointment.no_show': z.object({ appointmentId: id, markedBy: Actor }),
  'appointment.sync_failed': z.object({
    appointmentId: id,
    operation: z.enum(['create', 'reschedule', 'cancel']),
    error: z.string(),
    attempts: z.number().int().nonnegative(),
    willRetry: z.boolean(),
  }),
  'appointment.manual_review_required': z.object({
    appointmentId: id.nullable(),
    sagaId: id.nullable(),
    reason: z.string().min(1),
  }),
  'availability.changed': z.object({
    eventTypeId: id,
    range,
    reason: z.enum(['booked', 'rescheduled', 'cancelled', 'schedule_changed', 'external']),
  }),
  'customer.created': z.object({ customerId: id, source: Origin }),
  'customer.identified': z.object({
    customerId: id,
    by: z.enum(['phone', 'email', 'id']),
    callId: id.nullable(),
  }),
  'customer.merged': z.object({ survivorId: id, mergedIds: z.array(id).min(1) }),
  // The erasure of a customer's personal data: ids and counts only, never what was erased.
  'customer.erased': z.object({
    customerId: id,
    /** Whether the customer record itself still held personal data (`false`: erased before). */
    customer: z.boolean(),
    appointmentIds: z.array(id),
    callIds: z.array(id),
    outboxMessages: z.number().int().nonnegative(),
    erasedBy: Actor,
  }),
  // The inbound webhook comes before the call exists: it has no call id.
  'call.inbound': z.object({
    callId: id.nullable().default(null),
    from: z.string().min(1),
    to: z.string().min(1),
    agentId: id.nullable(),
  }),
  'call.started': z.object({ callId: id, startedAt: instant }),
  // Calls that never connected end too (status `not_connected`), without a duration.
  'call.ended': z.object({
    callId: id,
    status: CallStatus.default('ended'),
    endedAt: instant.nullable(),
    durationMs: z.number().int().nonnegative().nullable(),
    disconnectionReason: z.string().nullable(),
    costCents: z.number().int().nonnegative().nullable().default(null),
  }),
  'call.analyzed': z.object({
    callId: id,
    summary: z.string().nullable(),
    successful: z.boolean().nullable(),
    /** `Positive`, `Negative`, `Neutral`, `Unknown`, or whatever the provider adds. */
    sentiment: z.string().nullable(),
    costCents: z.number().int().nonnegative().nullable(),
    inVoicemail: z.boolean().nullable().default(null),
    /** The agent's custom post-call analysis fields, as reported. */
    customAnalysis: z.record(z.string(), z.unknown()).nullable().default(null),
  }),
  'call.failed': z.object({ callId: id, reason: z.string().min(1) }),
  'circuit.opened': z.object({ breaker: id, reason: z.string(), retryAt: instant }),
  'circuit.half_opened': z.object({ breaker: id }),
  'circuit.closed': z.object({ breaker: id }),
  'saga.started': z.object({ sagaId: id, saga: id }),
  'saga.step_completed': z.object({ sagaId: id, saga: id, step: id }),
  'saga.compensated': z.object({ sagaId: id, saga: id, failedStep: id, error: z.string() }),
  'saga.failed': z.object({
    sagaId: id,
    saga: id,
    step: id.nullable(),
    error: z.string(),
    state: z.enum(['failed', 'compensation_failed']),
  }),
  'reconciliation.drift_detected': z.object({
    runId: id,
    kind: z.enum(['missing_remote', 'missing_local', 'time_drift', 'status_drift']),
    appointmentId: id.nullable(),
    calendarBookingUid: nullableUid,
    details: z.string(),
  }),
  'reconciliation.healed': z.object({
    runId: id,
    kind: z.enum(['missing_remote', 'missing_local', 'time_drift', 'status_drift']),
    action: z.enum(['heal_remote', 'import_local', 'accept_remote', 'accept_local', 'flag_manual_review']),
    appointmentId: id.nullable(),
    calendarBookingUid: nullableUid,
  }),
});

type CatalogSpecs = typeof catalog.specs;

/**
 * The schema of every booking event, by event type: what {@link bookingEvents} is built from. A
 * named interface, so that hovers, docs and errors show this name instead of the schemas' expansion.
 *
 * @example
 * ```ts
 * type BookedSchema = BookingEventSpecs['appointment.booked'];
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface keeps the name in hovers and errors
export interface BookingEventSpecs extends CatalogSpecs {}

/**
 * The type of {@link bookingEvents}: the event catalog of the booking domain. Use it to type a bus
 * or an event of this catalog; a misspelt event name is a compile error that lists the valid ones.
 *
 * @example
 * ```ts
 * const bus: EventBus<BookingEvents> = createEventBus({ catalog: bookingEvents });
 * type Booked = DomainEvent<BookingEvents, 'appointment.booked'>;
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface keeps the name in hovers and errors
export interface BookingEvents extends EventCatalog<BookingEventSpecs> {}

/**
 * The booking domain's event catalog: one zod schema per event of DESIGN.md's catalog. Types of
 * every payload are inferred from it (see `EventData`).
 *
 * @example
 * ```ts
 * const bus = createEventBus({ catalog: bookingEvents });
 * bus.on('appointment.booked', (event) => console.log(event.data.appointmentId, event.data.start));
 * ```
 */
export const bookingEvents: BookingEvents = catalog;
