import type { Appointment } from '../domain/appointment.js';

/**
 * The voice call an appointment was booked in: the `callId` its metadata holds (a book command's
 * `callId` is stored there), or `null`.
 *
 * @example
 * ```ts
 * declare const appointment: Appointment;
 * // ---cut---
 * const callId = callIdOf(appointment); // 'call_123', or null for a booking made outside a call
 * ```
 * @internal
 */
export function callIdOf(appointment: Pick<Appointment, 'metadata'>): string | null {
  const value = appointment.metadata.callId;
  return typeof value === 'string' && value.length > 0 ? value : null;
}
