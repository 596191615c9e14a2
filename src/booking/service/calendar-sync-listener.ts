import type { DomainEvent } from '../../events/catalog.js';
import type { EventBus } from '../../events/event-bus.js';
import { APPOINTMENT_TAG, type CalendarBooking } from '../../ports/calendar-provider.js';
import { isCalendarRequestRejectedError } from '../errors.js';
import { isCalendarRefusal, lookupOf } from './calendar-gateway.js';
import { CALENDAR_GATEWAY_EXPECTED } from './event-type-check.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import type { Disposable } from '../../util/disposable.js';
import type { BookingEvents } from '../events.js';
import type { Appointment } from '../../domain/appointment.js';
import { requireBus, requireDependency } from '../listeners/listener-support.js';
import {
  CLOCK_EXPECTED,
  hasMethods,
  isClock,
  isLogger,
  LOGGER_EXPECTED,
  requireOption,
} from '../../util/options.js';
import { attendeeFor } from './attendee.js';
import { callIdOf } from '../appointment-call.js';
import {
  appointmentEvent,
  commitWithEvents,
  nextVersion,
  nowIso,
  type BookingContext,
  type ChangeOrigin,
} from './booking-context.js';

/** Name of the queued listener that retries calendar syncs; its outbox messages wait under it. @internal */
export const CALENDAR_SYNC_LISTENER = 'bookingkit.calendar-sync';

/** Retry schedule of the deferred calendar sync. */
export interface CalendarSyncOptions {
  /** @default [1_000, 5_000, 30_000, 120_000, 600_000] */
  readonly delays?: readonly number[];
  /** Attempts before the appointment is flagged for manual review. @default delays.length + 1 */
  readonly maxAttempts?: number;
}

type SyncFailed = DomainEvent<BookingEvents, 'appointment.sync_failed'>;

/**
 * Registers the queued listener that carries out calendar changes deferred by the `queue` policy
 * (`appointment.sync_failed` with `willRetry`): it creates, moves or cancels the calendar booking
 * once the calendar is back, retried by the outbox with stepped backoff. Every operation looks at
 * the calendar first, so a redelivery never books twice. When the calendar refuses the slot, or
 * the attempts run out, the appointment is flagged `manual_review` and
 * `appointment.manual_review_required` is published. The outbox relay must run (`relay.start()`,
 * or `kit.start()` of `createBookingKit`) for queued listeners and deferred calendar syncs; until
 * it does, their messages wait in the outbox.
 *
 * @internal
 */
export function registerCalendarSync(
  bus: EventBus<BookingEvents>,
  context: BookingContext & { readonly customers: CustomerRepository },
  options: CalendarSyncOptions = {},
): Disposable {
  const factory = 'registerCalendarSync';
  requireBus(factory, bus);
  for (const name of ['appointments', 'unitOfWork', 'customers', 'bus'] as const)
    requireDependency(factory, context, name);
  requireOption(factory, context, 'calendar', CALENDAR_GATEWAY_EXPECTED, hasMethods('create', 'cancel'));
  requireOption(factory, context, 'clock', CLOCK_EXPECTED, isClock);
  requireOption(factory, context, 'logger', LOGGER_EXPECTED, isLogger);
  const maxAttempts = options.maxAttempts ?? (options.delays?.length ?? 5) + 1;
  return bus.on(
    'appointment.sync_failed',
    async (event, { attempt, signal }) => {
      if (!event.data.willRetry) return;
      const appointment = await context.appointments.get(event.tenantId, event.data.appointmentId, {
        signal,
      });
      if (!appointment) return;
      try {
        await syncOnce(context, event, appointment, signal);
      } catch (error) {
        if (!isCalendarRefusal(error) && attempt < maxAttempts) throw error;
        await flagForReview(context, event, appointment, error, signal);
      }
    },
    {
      queued: true,
      name: CALENDAR_SYNC_LISTENER,
      retry: { ...(options.delays ? { delays: options.delays } : {}), maxAttempts },
    },
  );
}

function originOf(event: SyncFailed): ChangeOrigin {
  return {
    tenantId: event.tenantId,
    origin: event.origin as ChangeOrigin['origin'],
    actor: { type: 'system' },
    correlationId: event.correlationId,
  };
}

async function syncOnce(
  context: BookingContext & { readonly customers: CustomerRepository },
  event: SyncFailed,
  appointment: Appointment,
  signal: AbortSignal,
): Promise<void> {
  const { tenantId } = appointment;
  if (appointment.sync.status === 'synced') return;
  const customer = appointment.customerId
    ? await context.customers.get(tenantId, appointment.customerId, { signal })
    : null;
  const attendee = attendeeFor(customer, appointment);
  // The lookup searches the appointment's window. A booking the calendar still holds elsewhere
  // (a move or a cancel after a move, queued while it was down) goes by the uid last recorded.
  const found = await context.calendar.findByAppointment(
    tenantId,
    lookupOf(appointment, attendee.email),
    signal,
  );
  const knownUid = appointment.external.calendarBookingUid;
  if (appointment.status === 'cancelled') {
    const uid = found?.uid ?? knownUid;
    if (found ? found.status !== 'cancelled' : uid !== null)
      await cancelUnlessGone(context, tenantId, uid!, appointment.cancellationReason, signal);
    await markSynced(context, event, appointment, uid, signal);
    return;
  }
  let booking = found && found.status !== 'cancelled' ? found : null;
  if (!booking && !found && knownUid !== null)
    booking = await moveUnlessGone(context, tenantId, knownUid, appointment, signal);
  if (!booking) {
    booking = await context.calendar.create(
      {
        tenantId,
        eventTypeId: appointment.eventTypeId,
        start: appointment.start,
        end: appointment.end,
        attendee,
        metadata: { [APPOINTMENT_TAG]: appointment.id },
      },
      signal,
    );
  } else if (booking.start !== appointment.start || booking.end !== appointment.end) {
    booking = await context.calendar.reschedule(
      tenantId,
      booking.uid,
      { start: appointment.start, end: appointment.end },
      null,
      signal,
    );
  }
  await markSynced(context, event, appointment, booking.uid, signal, booking.id);
}

/** Cancels the booking at `uid`; one the calendar no longer knows needs no cancel. */
async function cancelUnlessGone(
  context: BookingContext,
  tenantId: string,
  uid: string,
  reason: string | null,
  signal: AbortSignal,
): Promise<void> {
  try {
    await context.calendar.cancel(tenantId, uid, reason, signal);
  } catch (error) {
    if (!(isCalendarRequestRejectedError(error) && error.context.reason === 'not_found')) throw error;
  }
}

/**
 * Moves the booking at `uid` to the appointment's time; answers `null` when the calendar no
 * longer has it active (cancelled or unknown there), so that a new one is created instead.
 */
async function moveUnlessGone(
  context: BookingContext,
  tenantId: string,
  uid: string,
  appointment: Appointment,
  signal: AbortSignal,
): Promise<CalendarBooking | null> {
  try {
    return await context.calendar.reschedule(
      tenantId,
      uid,
      { start: appointment.start, end: appointment.end },
      null,
      signal,
    );
  } catch (error) {
    if (isCalendarRequestRejectedError(error)) return null;
    throw error;
  }
}

async function markSynced(
  context: BookingContext,
  event: SyncFailed,
  appointment: Appointment,
  uid: string | null,
  signal: AbortSignal,
  id: string | null = appointment.external.calendarBookingId,
): Promise<void> {
  await commitWithEvents(context, originOf(event), async (stores) => {
    const previous = appointment.external.calendarBookingUid;
    const previousUids =
      previous && uid && previous !== uid
        ? [...appointment.external.previousCalendarBookingUids, previous]
        : appointment.external.previousCalendarBookingUids;
    const becameConfirmed = appointment.status === 'pending';
    const synced = nextVersion(
      appointment,
      {
        status: becameConfirmed ? 'confirmed' : appointment.status,
        external: {
          calendarBookingUid: uid,
          calendarBookingId: id,
          previousCalendarBookingUids: previousUids,
        },
        sync: {
          status: 'synced',
          attempts: appointment.sync.attempts + 1,
          lastError: null,
          lastAttemptAt: nowIso(context.clock),
        },
      },
      context.clock,
    );
    await stores.appointments.update(synced, appointment.version, { signal });
    const events = becameConfirmed
      ? [
          appointmentEvent('appointment.booked', synced, {
            appointmentId: synced.id,
            eventTypeId: synced.eventTypeId,
            customerId: synced.customerId,
            start: synced.start,
            end: synced.end,
            timeZone: synced.timeZone,
            calendarBookingUid: uid,
            bookedBy: appointment.createdBy,
            callId: callIdOf(synced),
          }),
        ]
      : [];
    return { value: undefined, events };
  });
}

async function flagForReview(
  context: BookingContext,
  event: SyncFailed,
  appointment: Appointment,
  error: unknown,
  signal: AbortSignal,
): Promise<void> {
  const message = error instanceof Error ? error.message : 'calendar sync failed';
  context.logger.error(
    { err: error, appointmentId: appointment.id },
    'calendar sync gave up; appointment needs manual review',
  );
  await commitWithEvents(context, originOf(event), async (stores) => {
    const flagged = nextVersion(
      appointment,
      {
        sync: {
          status: 'manual_review',
          attempts: appointment.sync.attempts + 1,
          lastError: message,
          lastAttemptAt: nowIso(context.clock),
        },
      },
      context.clock,
    );
    await stores.appointments.update(flagged, appointment.version, { signal });
    const review = appointmentEvent('appointment.manual_review_required', flagged, {
      appointmentId: flagged.id,
      sagaId: null,
      reason: `Calendar ${event.data.operation} could not be carried out: ${message}`,
    });
    return { value: undefined, events: [review] };
  });
}
