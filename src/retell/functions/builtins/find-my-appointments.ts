import { z } from 'zod';
import type { RetellFunction, RetellFunctionSpec } from '../define-function.js';
import type { BuiltInDeps } from './built-in-deps.js';

const FindMyAppointmentsArgs = z.object({});
/** Upcoming appointments looked up and read out. */
const LISTED = 5;

/** The tool definition's half of `find_my_appointments`. */
export const findMyAppointmentsSpec: RetellFunctionSpec<typeof FindMyAppointmentsArgs> = {
  name: 'find_my_appointments',
  description:
    "Finds the caller's upcoming appointments by the number they call from, with the ids that reschedule_appointment and cancel_appointment take.",
  parameters: FindMyAppointmentsArgs,
  executionMessage: { de: 'Ich sehe nach.', en: 'Let me look that up.' },
  mutates: false,
};

/** `find_my_appointments`: the caller's upcoming appointments, by their phone number. @internal */
export function createFindMyAppointments(deps: BuiltInDeps): RetellFunction<typeof FindMyAppointmentsArgs> {
  return {
    ...findMyAppointmentsSpec,
    async run(_args, context) {
      const { tenant, speech, callerNumber } = context;
      if (callerNumber === null) return { say: speech.phrases.noCallerNumber(), data: { appointments: [] } };
      const customer = await deps.customers.findByPhone(tenant.tenantId, callerNumber);
      if (!customer) return { say: speech.phrases.noAppointments(), data: { appointments: [] } };
      const page = await deps.appointments.list(tenant.tenantId, {
        customerId: customer.id,
        from: new Date(context.now).toISOString(),
        statuses: ['pending', 'confirmed'],
        limit: LISTED,
      });
      if (page.items.length === 0)
        return { say: speech.phrases.noAppointments(), data: { appointments: [] } };
      const types = await deps.catalog.list(tenant.tenantId).catch(() => []);
      const titleOf = (id: string): string => types.find((type) => type.id === id)?.title ?? id;
      return {
        say: speech.phrases.appointments(
          page.items.map((a) =>
            speech.phrases.appointmentEntry(titleOf(a.eventTypeId), speech.dateTime(a.start)),
          ),
        ),
        data: {
          appointments: page.items.map((a) => ({
            appointment_id: a.id,
            service: titleOf(a.eventTypeId),
            start: a.start,
            end: a.end,
            spoken: speech.dateTime(a.start),
            status: a.status,
          })),
        },
      };
    },
  };
}
