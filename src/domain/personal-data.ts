import type { Appointment } from './appointment.js';
import type { Call } from './call.js';
import type { Customer } from './customer.js';

/**
 * What erasing a customer keeps, per record (the one place that decides it, for every adapter):
 *
 * - customer: `name`, `email`, `phone` and `locale` become `null`; the id, `mergedInto`, the
 *   counters and the times stay (they are no one's personal data once nothing names the person).
 * - appointment: the facts stay (ids, event type, resource, times, time zone, status, origin,
 *   actors, which hold ids only, Cal.com uid and id, sync status and attempts, idempotency key);
 *   the free text goes: `cancellationReason` and `sync.lastError` become `null`, and `metadata`
 *   keeps only the keys bookingkit writes itself ({@link KEPT_APPOINTMENT_METADATA}), as callers'
 *   metadata may hold anything.
 * - call: `fromNumber`, `toNumber`, `transcript` and `analysis` become `null`; ids, status,
 *   direction, times, duration, cost (accounting), disconnection reason and links stay.
 *
 * Each function answers the record as it is to be stored (version + 1, `updatedAt` = `at`), or
 * `null` when it holds no personal data already, so erasing twice changes nothing.
 */
export const KEPT_APPOINTMENT_METADATA: readonly string[] = Object.freeze(['callId', 'requestReschedule']);

/**
 * The customer without personal data, or `null` when it has none left.
 *
 * @example
 * ```ts
 * declare const customer: Customer;
 * // ---cut---
 * const erased = anonymisedCustomer(customer, '2026-01-05T09:00:00.000Z');
 * if (erased) console.log(erased.name, erased.phone); // null null
 * ```
 */
export function anonymisedCustomer(customer: Customer, at: string): Customer | null {
  if (
    customer.name === null &&
    customer.email === null &&
    customer.phone === null &&
    customer.locale === null
  )
    return null;
  return {
    ...customer,
    name: null,
    email: null,
    phone: null,
    locale: null,
    version: customer.version + 1,
    updatedAt: at,
  };
}

/**
 * The appointment with its facts and without personal data, or `null` when it has none left.
 *
 * @example
 * ```ts
 * declare const appointment: Appointment;
 * // ---cut---
 * const kept = anonymisedAppointment(appointment, '2026-01-05T09:00:00.000Z') ?? appointment;
 * console.log(kept.start, kept.status, kept.external.calendarBookingUid); // unchanged
 * ```
 */
export function anonymisedAppointment(appointment: Appointment, at: string): Appointment | null {
  const metadata = Object.fromEntries(
    Object.entries(appointment.metadata).filter(([key]) => KEPT_APPOINTMENT_METADATA.includes(key)),
  );
  const unchanged =
    appointment.cancellationReason === null &&
    appointment.sync.lastError === null &&
    Object.keys(metadata).length === Object.keys(appointment.metadata).length;
  if (unchanged) return null;
  return {
    ...appointment,
    cancellationReason: null,
    sync: { ...appointment.sync, lastError: null },
    metadata,
    version: appointment.version + 1,
    updatedAt: at,
  };
}

/**
 * The call without personal data (numbers, transcript, analysis), or `null` when it has none left.
 *
 * @example
 * ```ts
 * declare const call: Call;
 * // ---cut---
 * const erased = anonymisedCall(call, '2026-01-05T09:00:00.000Z');
 * if (erased) console.log(erased.fromNumber, erased.transcript, erased.costCents); // null null 31
 * ```
 */
export function anonymisedCall(call: Call, at: string): Call | null {
  if (
    call.fromNumber === null &&
    call.toNumber === null &&
    call.transcript === null &&
    call.analysis === null
  )
    return null;
  return {
    ...call,
    fromNumber: null,
    toNumber: null,
    transcript: null,
    analysis: null,
    version: call.version + 1,
    updatedAt: at,
  };
}
