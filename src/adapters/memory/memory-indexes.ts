import { ACTIVE_APPOINTMENT_STATUSES, type Appointment } from '../../domain/appointment.js';
import type { Call } from '../../domain/call.js';
import type { Customer } from '../../domain/customer.js';
import type { OrderedIndex, TableSchema, TenantTable } from './memory-table.js';

/** Whether an appointment occupies its slot (the double-booking rule applies to it). @internal */
export const isActiveAppointment = (appointment: Appointment): boolean =>
  ACTIVE_APPOINTMENT_STATUSES.includes(appointment.status);

/** Ordered by start, partitioned by `partition`, spanning to the end. */
const byStart = (partition: (appointment: Appointment) => string | null): OrderedIndex<Appointment> => ({
  partition,
  time: (appointment) => Date.parse(appointment.start),
  span: (appointment) => Date.parse(appointment.end) - Date.parse(appointment.start),
});

/**
 * The indexes of the appointments: by calendar uid (current and previous), and by start within
 * the tenant, a resource, an event type or a customer; `activeResource` holds only the active
 * appointments of a resource, for the double-booking check; `updated` orders the tenant's
 * appointments by last change.
 *
 * @internal
 */
export const appointmentSchema = {
  lookups: {
    calendarUid: (appointment) =>
      appointment.external.calendarBookingUid === null ? [] : [appointment.external.calendarBookingUid],
    previousCalendarUid: (appointment) => appointment.external.previousCalendarBookingUids,
  },
  orders: {
    tenant: byStart(() => ''),
    resource: byStart((appointment) => appointment.resourceId),
    activeResource: byStart((appointment) =>
      isActiveAppointment(appointment) ? appointment.resourceId : null,
    ),
    eventType: byStart((appointment) => appointment.eventTypeId),
    customer: byStart((appointment) => appointment.customerId),
    /** The tenant's appointments by last change, for incremental listings. */
    updated: {
      partition: () => '',
      time: (appointment) => Date.parse(appointment.updatedAt),
      span: () => 0,
    },
  },
} satisfies TableSchema<Appointment, string, string>;

/** @internal */
export type AppointmentTable = TenantTable<
  Appointment,
  keyof typeof appointmentSchema.lookups,
  keyof typeof appointmentSchema.orders
>;

/**
 * The indexes of the customers: the phone and the lower-cased email of each unmerged customer
 * (merged customers are found by id only).
 *
 * @internal
 */
export const customerSchema = {
  lookups: {
    phone: (customer) => (customer.mergedInto === null && customer.phone !== null ? [customer.phone] : []),
    email: (customer) =>
      customer.mergedInto === null && customer.email !== null ? [customer.email.toLowerCase()] : [],
  },
  orders: {},
} satisfies TableSchema<Customer, string, never>;

/** @internal */
export type CustomerTable = TenantTable<Customer, keyof typeof customerSchema.lookups>;

/**
 * The indexes of the calls: by customer, so that erasing a customer visits their calls only.
 *
 * @internal
 */
export const callSchema = {
  lookups: {
    customer: (call) => (call.customerId === null ? [] : [call.customerId]),
  },
  orders: {},
} satisfies TableSchema<Call, string, never>;

/** @internal */
export type CallTable = TenantTable<Call, keyof typeof callSchema.lookups>;
