import type { Tenant } from '../../tenancy/tenant.js';
import { loadAppointment } from './booking-context.js';
import type { CancelStepOutput } from './cancel-saga.js';
import {
  assertActive,
  calendarOutcome,
  type CommandDeps,
  type CommandOutcome,
  type Parsed,
} from './command-handlers.js';
import { answerAlone, sagaJoinOf, type CommandJoin } from './command-join.js';
import { calendarModeOf, type CancelCommand } from './commands.js';
import { findCause, isCalendarUnavailableError } from './errors.js';

/**
 * Cancels an appointment through the cancel saga; one that is cancelled already is answered as it
 * is. With `join`, the idempotency claim commits with the saga's creation and the answer with the
 * local cancellation.
 *
 * @internal
 */
export async function runCancel(
  deps: CommandDeps,
  command: Parsed<typeof CancelCommand>,
  tenant: Tenant,
  signal: AbortSignal | undefined,
  join?: CommandJoin,
): Promise<CommandOutcome> {
  const current = await loadAppointment(deps.context.appointments, command.tenantId, command.target, signal);
  if (current.status === 'cancelled') {
    return answerAlone(deps, join, { appointment: current, calendar: 'not_needed' });
  }
  assertActive(current, 'cancel');
  const uid = current.external.calendarBookingUid;
  const calendar = calendarModeOf(command);
  const touched = calendar === 'apply' && uid !== null;
  const answer = (appointment: CommandOutcome['appointment']): CommandOutcome => ({
    appointment,
    calendar: calendarOutcome(appointment, touched),
  });
  let completion;
  try {
    completion = await deps.coordinator.start(
      deps.sagas.cancel,
      {
        tenantId: command.tenantId,
        appointmentId: current.id,
        reason: command.reason ?? null,
        policy: tenant.calendarUnavailablePolicy,
        origin: command.origin,
        calendar,
        actor: command.actor,
        correlationId: command.idempotencyKey,
        calendarUid: uid,
        ...(command.requestReschedule ? { requestReschedule: true } : {}),
      },
      {
        sagaId: `cancel:${current.id}:${deps.ids()}`,
        tenantId: command.tenantId,
        ...(signal ? { signal } : {}),
        ...sagaJoinOf(join, answer),
      },
    );
  } catch (error) {
    const unavailable = findCause(error, isCalendarUnavailableError);
    throw unavailable ?? error;
  }
  // The cancel step answers the appointment as it left it: the caller gets a copy of its own.
  const cancelled = completion.output.cancel as unknown as CancelStepOutput;
  return answer(structuredClone(cancelled.appointment));
}
