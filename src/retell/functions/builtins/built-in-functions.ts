import type { RetellFunction, RetellFunctionSpec } from '../define-function.js';
import { bookAppointmentSpec, createBookAppointment } from './book-appointment.js';
import type { BuiltInDeps } from './built-in-deps.js';
import { cancelAppointmentSpec, createCancelAppointment } from './cancel-appointment.js';
import { checkAvailabilitySpec, createCheckAvailability } from './check-availability.js';
import { createFindMyAppointments, findMyAppointmentsSpec } from './find-my-appointments.js';
import { createListServices, listServicesSpec } from './list-services.js';
import { createRescheduleAppointment, rescheduleAppointmentSpec } from './reschedule-appointment.js';

/**
 * The built-in functions' specs (name, description, parameters, execution message, timeout),
 * for `retellToolDefinitions` without a router: `check_availability`, `book_appointment`,
 * `reschedule_appointment`, `cancel_appointment`, `list_services`, `find_my_appointments`.
 *
 * @example
 * ```ts
 * const names = retellBuiltInFunctionSpecs.map((fn) => fn.name); // ['check_availability', 'book_appointment', …]
 * ```
 */
export const retellBuiltInFunctionSpecs: readonly RetellFunctionSpec[] = Object.freeze([
  checkAvailabilitySpec,
  bookAppointmentSpec,
  rescheduleAppointmentSpec,
  cancelAppointmentSpec,
  listServicesSpec,
  findMyAppointmentsSpec,
] as RetellFunctionSpec[]);

/** The built-in functions over their dependencies. @internal */
export function createBuiltInFunctions(deps: BuiltInDeps): RetellFunction[] {
  return [
    createCheckAvailability(deps),
    createBookAppointment(deps),
    createRescheduleAppointment(deps),
    createCancelAppointment(deps),
    createListServices(deps),
    createFindMyAppointments(deps),
  ] as RetellFunction[];
}
