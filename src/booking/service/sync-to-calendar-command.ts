import { APPOINTMENT_TAG, type CalendarBooking } from '../../ports/calendar-provider.js';
import type { Tenant } from '../../tenancy/tenant.js';
import type { Appointment } from '../../domain/appointment.js';
import { attendeeFor } from './attendee.js';
import {
  appointmentEvent,
  commitWithEvents,
  loadAppointment,
  nextVersion,
  nowIso,
} from './booking-context.js';
import { isCalendarOutage, isCalendarRefusal, retryAtOf } from './calendar-gateway.js';
import type { CommandDeps, CommandOutcome, Parsed } from './command-handlers.js';
import type { SyncToCalendarCommand } from './commands.js';
import { CalendarUnavailableError } from './errors.js';

type Command = Parsed<typeof SyncToCalendarCommand>;

const origin = (command: Command) => ({
  tenantId: command.tenantId,
  origin: command.origin,
  actor: command.actor,
  correlationId: command.idempotencyKey,
});

/**
 * Pushes an appointment the calendar may not have to the calendar: it looks the booking up by the
 * appointment's tag, adopts the one it finds (active), and creates one only when there is none.
 * Looking first makes a repeated run safe however the previous one ended (a create whose answer
 * was lost is found, not made twice), so no saga is needed. A cancelled appointment has nothing
 * to push and is answered as it is; an appointment that already records the booking found is
 * answered without a write.
 *
 * A calendar failure is thrown (an outage as {@link CalendarUnavailableError}, whatever the
 * tenant's policy; a refusal as it is) after `appointment.sync_failed` (`willRetry: false`: the
 * caller, e.g. the reconciliation, retries) is recorded; the appointment is left unchanged.
 *
 * @internal
 */
export async function runSyncToCalendar(
  deps: CommandDeps,
  command: Command,
  _tenant: Tenant,
  signal: AbortSignal | undefined,
): Promise<CommandOutcome> {
  const { context } = deps;
  const current = await loadAppointment(context.appointments, command.tenantId, command.target, signal);
  if (current.status === 'cancelled') return { appointment: current, calendar: 'not_needed' };
  const customer = current.customerId
    ? await deps.customerRepository.get(current.tenantId, current.customerId, signal ? { signal } : {})
    : null;
  const attendee = attendeeFor(customer, current);
  const callSignal = signal ?? new AbortController().signal;
  let booking: CalendarBooking;
  try {
    const found = await context.calendar.findByAppointment(
      current.tenantId,
      {
        appointmentId: current.id,
        eventTypeId: current.eventTypeId,
        start: current.start,
        end: current.end,
        attendeeEmail: attendee.email,
      },
      callSignal,
    );
    booking =
      found && found.status !== 'cancelled' && found.status !== 'rejected'
        ? found
        : await context.calendar.create(
            {
              tenantId: current.tenantId,
              eventTypeId: current.eventTypeId,
              start: current.start,
              end: current.end,
              attendee,
              metadata: { [APPOINTMENT_TAG]: current.id },
            },
            callSignal,
          );
  } catch (error) {
    await recordFailure(deps, command, current, error);
    if (isCalendarOutage(error) && !isCalendarRefusal(error)) {
      throw new CalendarUnavailableError(
        { tenantId: current.tenantId, operation: 'create', retryAt: retryAtOf(error) },
        { cause: error },
      );
    }
    throw error;
  }
  return { appointment: await recordBooking(deps, command, current, booking, signal), calendar: 'synced' };
}

/** Records `booking` as the appointment's calendar booking (synced); no write when it already is. */
async function recordBooking(
  deps: CommandDeps,
  command: Command,
  current: Appointment,
  booking: CalendarBooking,
  signal: AbortSignal | undefined,
): Promise<Appointment> {
  const { context } = deps;
  const { external } = current;
  if (
    external.calendarBookingUid === booking.uid &&
    external.calendarBookingId === booking.id &&
    current.sync.status === 'synced'
  )
    return current;
  const replaced = external.calendarBookingUid;
  const synced = nextVersion(
    current,
    {
      external: {
        calendarBookingUid: booking.uid,
        calendarBookingId: booking.id,
        previousCalendarBookingUids:
          replaced !== null &&
          replaced !== booking.uid &&
          !external.previousCalendarBookingUids.includes(replaced)
            ? [...external.previousCalendarBookingUids, replaced]
            : external.previousCalendarBookingUids,
      },
      sync: {
        status: 'synced',
        attempts: current.sync.attempts + 1,
        lastError: null,
        lastAttemptAt: nowIso(context.clock),
      },
    },
    context.clock,
  );
  await commitWithEvents(context, origin(command), async (stores) => {
    await stores.appointments.update(synced, current.version, signal ? { signal } : {});
    return { value: undefined, events: [] };
  });
  return synced;
}

/** Records `appointment.sync_failed` for a failed push; a failure to record it is only logged. */
async function recordFailure(deps: CommandDeps, command: Command, current: Appointment, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  try {
    await commitWithEvents(deps.context, origin(command), async () => ({
      value: undefined,
      events: [
        appointmentEvent('appointment.sync_failed', current, {
          appointmentId: current.id,
          operation: 'create',
          error: message.slice(0, 500) || 'calendar unavailable',
          attempts: current.sync.attempts + 1,
          willRetry: false,
        }),
      ],
    }));
  } catch (recordError) {
    deps.context.logger.warn(
      { err: recordError, appointmentId: current.id },
      'could not record the failed calendar sync',
    );
  }
}
