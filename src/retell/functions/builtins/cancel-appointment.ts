import { z } from 'zod';
import type { RetellFunction, RetellFunctionSpec } from '../define-function.js';
import { answerForRefusal, callersAppointment, isAppointment } from './booking-answers.js';
import type { BuiltInDeps } from './built-in-deps.js';

const CancelAppointmentArgs = z.object({
  appointment_id: z
    .string()
    .min(1)
    .max(200)
    .describe('The id of the appointment, as find_my_appointments gave it.'),
  reason: z.string().max(500).optional().describe('Why the caller cancels, if they said.'),
});

/** The tool definition's half of `cancel_appointment`. */
export const cancelAppointmentSpec: RetellFunctionSpec<typeof CancelAppointmentArgs> = {
  name: 'cancel_appointment',
  description: "Cancels one of the caller's appointments. Confirm with the caller before calling it.",
  parameters: CancelAppointmentArgs,
  executionMessage: { de: 'Einen Moment, ich sage den Termin ab.', en: 'One moment, I am cancelling that.' },
  mutates: true,
};

/** `cancel_appointment`: cancels the caller's appointment. @internal */
export function createCancelAppointment(deps: BuiltInDeps): RetellFunction<typeof CancelAppointmentArgs> {
  return {
    ...cancelAppointmentSpec,
    async run(args, context) {
      const { tenant, speech } = context;
      const current = await callersAppointment(deps, context, args.appointment_id);
      if (!isAppointment(current)) return current;
      const when = speech.dateTime(current.start);
      if (current.status === 'cancelled') {
        return {
          say: speech.phrases.alreadyCancelled(when),
          data: { cancelled: true, appointment_id: current.id },
        };
      }
      try {
        const { appointment } = await deps.service.cancel({
          tenantId: tenant.tenantId,
          origin: 'voice',
          actor: { type: 'agent', ...(context.call.agent_id ? { id: context.call.agent_id } : {}) },
          idempotencyKey: context.idempotencyKey,
          target: { appointmentId: current.id },
          ...(args.reason !== undefined ? { reason: args.reason } : {}),
        });
        return {
          say: speech.phrases.cancelled(when),
          data: { cancelled: true, appointment_id: appointment.id },
        };
      } catch (error) {
        return answerForRefusal(error, context, current.start);
      }
    },
  };
}
