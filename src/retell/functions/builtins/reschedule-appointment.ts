import { z } from 'zod';
import type { RetellFunction, RetellFunctionSpec } from '../define-function.js';
import { LocalDateArg, localInstant, LocalTimeArg } from '../local-time.js';
import { answerForRefusal, callersAppointment, isAppointment } from './booking-answers.js';

import type { BuiltInDeps } from './built-in-deps.js';

const RescheduleAppointmentArgs = z.object({
  appointment_id: z
    .string()
    .min(1)
    .max(200)
    .describe('The id of the appointment, as find_my_appointments gave it.'),
  date: LocalDateArg.describe('The new day, as YYYY-MM-DD.'),
  time: LocalTimeArg.describe('The new time, as HH:mm (24-hour).'),
  reason: z.string().max(500).optional().describe('Why the caller moves it, if they said.'),
});

/** The tool definition's half of `reschedule_appointment`. */
export const rescheduleAppointmentSpec: RetellFunctionSpec<typeof RescheduleAppointmentArgs> = {
  name: 'reschedule_appointment',
  description:
    "Moves one of the caller's appointments to a new day and time, keeping its length. When the new time is taken, the answer offers the nearest free times.",
  parameters: RescheduleAppointmentArgs,
  executionMessage: {
    de: 'Einen Moment, ich verschiebe den Termin.',
    en: 'One moment, I am moving your appointment.',
  },
  mutates: true,
};

/** `reschedule_appointment`: moves the caller's appointment. @internal */
export function createRescheduleAppointment(
  deps: BuiltInDeps,
): RetellFunction<typeof RescheduleAppointmentArgs> {
  return {
    ...rescheduleAppointmentSpec,
    async run(args, context) {
      const { tenant, speech } = context;
      const current = await callersAppointment(deps, context, args.appointment_id);
      if (!isAppointment(current)) return current;
      if (current.status === 'cancelled')
        return { say: speech.phrases.alreadyCancelled(speech.dateTime(current.start)) };
      const start = localInstant(args.date, args.time, tenant.timeZone);
      if (Date.parse(start) < context.now) return { say: speech.phrases.inPast(speech.dateTime(start)) };
      const end = new Date(
        Date.parse(start) + Date.parse(current.end) - Date.parse(current.start),
      ).toISOString();
      try {
        const { appointment, calendar } = await deps.service.reschedule({
          tenantId: tenant.tenantId,
          origin: 'voice',
          actor: { type: 'agent', ...(context.call.agent_id ? { id: context.call.agent_id } : {}) },
          idempotencyKey: context.idempotencyKey,
          target: { appointmentId: current.id },
          start,
          end,
          ...(args.reason !== undefined ? { reason: args.reason } : {}),
        });
        return {
          say: speech.phrases.rescheduled(speech.dateTime(appointment.start), calendar === 'queued'),
          data: {
            changed: true,
            appointment_id: appointment.id,
            start: appointment.start,
            end: appointment.end,
          },
        };
      } catch (error) {
        return answerForRefusal(error, context, start);
      }
    },
  };
}
