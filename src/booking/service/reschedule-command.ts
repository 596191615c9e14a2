import type { Tenant } from '../../tenancy/tenant.js';
import { loadAppointment } from './booking-context.js';
import {
  assertActive,
  calendarOutcome,
  explain,
  type CommandDeps,
  type CommandOutcome,
  type Parsed,
} from './command-handlers.js';
import { sagaJoinOf, type CommandJoin } from './command-join.js';
import { calendarModeOf, type RescheduleCommand } from './commands.js';
import type { RescheduleConfirmOutput } from './reschedule-saga.js';

/**
 * Moves an appointment through the reschedule saga. With `join`, the idempotency claim commits
 * with the move and the answer with the confirmation.
 *
 * @internal
 */
export async function runReschedule(
  deps: CommandDeps,
  command: Parsed<typeof RescheduleCommand>,
  tenant: Tenant,
  signal: AbortSignal | undefined,
  join?: CommandJoin,
): Promise<CommandOutcome> {
  const current = await loadAppointment(deps.context.appointments, command.tenantId, command.target, signal);
  assertActive(current, 'reschedule');
  const calendar = calendarModeOf(command);
  const fromCalendar = calendar === 'already_applied';
  // A move the calendar already has was accepted there; otherwise the length must still fit.
  if (!fromCalendar) {
    await deps.eventTypes.check(
      {
        tenantId: command.tenantId,
        eventTypeId: current.eventTypeId,
        range: { start: command.start, end: command.end },
        subject: 'reschedule command',
        unknownType: 'skip',
      },
      signal,
    );
  }
  const answer = (appointment: CommandOutcome['appointment']): CommandOutcome => ({
    appointment,
    calendar: fromCalendar ? 'not_needed' : calendarOutcome(appointment, true),
  });
  let completion;
  try {
    completion = await deps.coordinator.start(
      deps.sagas.reschedule,
      {
        tenantId: command.tenantId,
        appointmentId: current.id,
        version: current.version,
        previous: { start: current.start, end: current.end },
        next: { start: command.start, end: command.end },
        reason: command.reason ?? null,
        policy: tenant.calendarUnavailablePolicy,
        origin: command.origin,
        calendar,
        actor: command.actor,
        correlationId: command.idempotencyKey,
        previousUid: current.external.calendarBookingUid,
        calendarUidFromCalendar: command.newCalendarBookingUid ?? null,
      },
      {
        sagaId: `reschedule:${current.id}:${deps.ids()}`,
        tenantId: command.tenantId,
        ...(signal ? { signal } : {}),
        ...sagaJoinOf(join, answer),
      },
    );
  } catch (error) {
    return explain(
      deps,
      error,
      command.tenantId,
      current.eventTypeId,
      { start: command.start, end: command.end },
      current.resourceId,
    );
  }
  // The confirm step answers the appointment as it left it: the caller gets a copy of its own.
  const confirmed = completion.output.confirm as unknown as RescheduleConfirmOutput;
  return answer(structuredClone(confirmed.appointment));
}
