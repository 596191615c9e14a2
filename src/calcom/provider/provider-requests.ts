import { z } from 'zod';
import { Id, Instant } from '../../domain/common.js';
import { APPOINTMENT_TAG } from '../../ports/calendar-provider.js';

// The port's arguments, checked before anything is sent, so a malformed call fails with a
// ValidationError naming the field.

const laterThanStart = <T extends { start: string; end: string }>(value: T) =>
  Date.parse(value.end) > Date.parse(value.start);

/** @internal */
export const CreateRequest = z
  .object({
    tenantId: Id,
    eventTypeId: Id,
    start: Instant,
    end: Instant,
    attendee: z.object({
      name: z.string().min(1),
      email: z.string(),
      phone: z.string().nullable(),
      timeZone: z.string().min(1),
      locale: z.string().nullable(),
    }),
    metadata: z
      .record(z.string(), z.string())
      .refine(
        (metadata) => typeof metadata[APPOINTMENT_TAG] === 'string' && metadata[APPOINTMENT_TAG] !== '',
        {
          message: `must include ${APPOINTMENT_TAG}`,
        },
      ),
  })
  .refine(laterThanStart, { message: 'must be after start', path: ['end'] });

/** @internal */
export const Lookup = z
  .object({
    appointmentId: Id,
    eventTypeId: Id,
    start: Instant,
    end: Instant,
    attendeeEmail: z.string().min(1).nullable(),
  })
  .refine(laterThanStart, { message: 'must be after start', path: ['end'] });

/** @internal */
export const RescheduleChange = z
  .object({ start: Instant, end: Instant, reason: z.string().nullable() })
  .refine(laterThanStart, { message: 'must be after start', path: ['end'] });

/** @internal */
export const Window = z
  .object({ from: Instant, to: Instant, eventTypeId: Id.optional() })
  .refine((value) => Date.parse(value.to) > Date.parse(value.from), {
    message: 'must be after from',
    path: ['to'],
  });

/** @internal */
export const UpdatedSince = z.object({ updatedAfter: Instant, eventTypeId: Id.optional() });

/**
 * Cal.com's id of an event type named by the port's string id, or `undefined` when it cannot be
 * one (Cal.com's ids are positive integers).
 *
 * @internal
 */
export function calcomEventTypeId(id: string): number | undefined {
  if (!/^[1-9]\d{0,15}$/.test(id)) return undefined;
  const value = Number(id);
  return Number.isSafeInteger(value) ? value : undefined;
}
