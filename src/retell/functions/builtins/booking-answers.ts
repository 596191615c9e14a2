import {
  isCalendarOutsideBookingHoursError,
  isCalendarRequestRejectedError,
  isCalendarSlotUnavailableError,
  isInvalidTransitionError,
  isSlotConflictError,
} from '../../../booking/errors.js';
import type { Appointment } from '../../../domain/appointment.js';
import { isNotFoundError } from '../../../errors/store-errors.js';
import { isValidationError } from '../../../errors/validation-error.js';
import type { RetellFunctionAnswer, RetellFunctionContext } from '../define-function.js';
import { slotData, speakTimes, type BuiltInDeps } from './built-in-deps.js';

/** Where the booking service's fields come from in the agent's arguments. */
const FIELD_OF_PATH: Readonly<Record<string, string>> = {
  'customer.name': 'name',
  'customer.phone': 'phone',
  'customer.email': 'email',
  start: 'time',
  end: 'time',
  reason: 'reason',
};

/**
 * The answer for what the booking service refused, said about the time `start`: taken (with the
 * alternatives it found), not bookable, not changeable, not found, or a field it could not use.
 * Anything else is rethrown: the router apologises and forgets the call.
 * @internal
 */
export function answerForRefusal(
  error: unknown,
  context: RetellFunctionContext,
  start: string,
): RetellFunctionAnswer {
  const { speech } = context;
  const when = speech.dateTime(start);
  if (isSlotConflictError(error)) {
    const offers = error.context.alternatives;
    return {
      say: speech.phrases.slotTaken(when, speakTimes(context, offers, start)),
      data: { booked: false, reason: 'taken', alternatives: slotData(context, offers) },
    };
  }
  if (isCalendarSlotUnavailableError(error)) {
    return {
      say: speech.phrases.slotTaken(when, []),
      data: { booked: false, reason: 'taken', alternatives: [] },
    };
  }
  if (isCalendarOutsideBookingHoursError(error) || isCalendarRequestRejectedError(error)) {
    return { say: speech.phrases.notBookable(when), data: { booked: false, reason: 'not_bookable' } };
  }
  if (isInvalidTransitionError(error)) {
    return { say: speech.phrases.cannotChange(when), data: { changed: false, reason: 'not_changeable' } };
  }
  if (isNotFoundError(error)) return { say: speech.phrases.appointmentNotFound(), data: { found: false } };
  if (isValidationError(error)) {
    const fields = [
      ...new Set(
        error.context.issues.map((issue) => FIELD_OF_PATH[issue.path]).filter((f) => f !== undefined),
      ),
    ];
    if (fields.length > 0) {
      return { say: speech.phrases.invalid(fields.map((field) => speech.phrases.fieldLabel(field))) };
    }
  }
  throw error;
}

/**
 * The caller's appointment `id`, or the answer that it is not there: another tenant's or a
 * missing one is "not found"; one booked for a customer with another phone number than the
 * caller's is refused, so a caller cannot change someone else's appointment by its id.
 * @internal
 */
export async function callersAppointment(
  deps: BuiltInDeps,
  context: RetellFunctionContext,
  id: string,
): Promise<Appointment | RetellFunctionAnswer> {
  const appointment = await deps.appointments.get(context.tenant.tenantId, id);
  if (!appointment) return { say: context.speech.phrases.appointmentNotFound(), data: { found: false } };
  if (appointment.customerId !== null) {
    const customer = await deps.customers.get(context.tenant.tenantId, appointment.customerId);
    if (customer?.phone && customer.phone !== context.callerNumber) {
      return { say: context.speech.phrases.notYourAppointment(), data: { found: false } };
    }
  }
  return appointment;
}

/** Tells an appointment from an answer. @internal */
export function isAppointment(value: Appointment | RetellFunctionAnswer): value is Appointment {
  return !('say' in value);
}
