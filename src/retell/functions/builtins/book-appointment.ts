import { z } from 'zod';
import type { RetellFunction, RetellFunctionSpec } from '../define-function.js';
import { LocalDateArg, localInstant, LocalTimeArg } from '../local-time.js';
import { answerForRefusal } from './booking-answers.js';
import { isAnswer, lengthMs, serviceOrAnswer, type BuiltInDeps } from './built-in-deps.js';

const BookAppointmentArgs = z.object({
  service: z.string().min(1).max(200).describe('The service to book, by its name.'),
  date: LocalDateArg,
  time: LocalTimeArg,
  name: z.string().min(1).max(200).describe("The caller's full name."),
  phone: z
    .string()
    .min(5)
    .max(40)
    .optional()
    .describe("The caller's phone number with country code; leave out to use the number they call from."),
  email: z.email().optional().describe("The caller's email address, if they gave one."),
});

/** The tool definition's half of `book_appointment`. */
export const bookAppointmentSpec: RetellFunctionSpec<typeof BookAppointmentArgs> = {
  name: 'book_appointment',
  description:
    'Books an appointment for the caller. Check availability first; when the time is taken, the answer offers the nearest free times.',
  parameters: BookAppointmentArgs,
  executionMessage: {
    de: 'Einen Moment, ich trage den Termin ein.',
    en: 'One moment, I am booking that for you.',
  },
  mutates: true,
};

/** `book_appointment`: books for the caller, linked to the call, origin `voice`. @internal */
export function createBookAppointment(deps: BuiltInDeps): RetellFunction<typeof BookAppointmentArgs> {
  return {
    ...bookAppointmentSpec,
    async run(args, context) {
      const { tenant, speech } = context;
      const type = await serviceOrAnswer(deps, context, args.service);
      if (isAnswer(type)) return type;
      const start = localInstant(args.date, args.time, tenant.timeZone);
      if (Date.parse(start) < context.now) return { say: speech.phrases.inPast(speech.dateTime(start)) };
      const phone = args.phone ?? context.callerNumber ?? undefined;
      if (phone === undefined && args.email === undefined) {
        return { say: speech.phrases.missing([speech.phrases.fieldLabel('phone')]) };
      }
      try {
        const { appointment, calendar } = await deps.service.book({
          tenantId: tenant.tenantId,
          origin: 'voice',
          actor: { type: 'agent', ...(context.call.agent_id ? { id: context.call.agent_id } : {}) },
          idempotencyKey: context.idempotencyKey,
          eventTypeId: type.id,
          start,
          end: new Date(Date.parse(start) + lengthMs(type)).toISOString(),
          timeZone: tenant.timeZone,
          customer: {
            name: args.name,
            ...(phone !== undefined ? { phone } : {}),
            ...(args.email !== undefined ? { email: args.email } : {}),
            locale: tenant.locale,
          },
          callId: context.callId,
        });
        return {
          say: speech.phrases.booked(type.title, speech.dateTime(appointment.start), calendar === 'queued'),
          data: {
            booked: true,
            appointment_id: appointment.id,
            service: type.title,
            start: appointment.start,
            end: appointment.end,
            status: appointment.status,
          },
        };
      } catch (error) {
        return answerForRefusal(error, context, start);
      }
    },
  };
}
