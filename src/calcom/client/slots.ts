import { z } from 'zod';
import { parseWith } from '../../errors/validation-error.js';
import type { OperationOptions } from '../../util/abort.js';
import { CalcomSlotReservation, CalcomSlotsByDate, envelope } from './response-schemas.js';
import type { Transport } from './transport.js';

const Instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

/**
 * `GET /v2/slots` of one event type. `start` and `end` are instants (Cal.com reads them in UTC);
 * `timeZone` only sets the zone of the answer's dates and times.
 *
 * @example
 * ```ts
 * const query: CalcomSlotsQuery = { eventTypeId: 42, start: '2026-03-02T00:00:00Z', end: '2026-03-07T00:00:00Z', timeZone: 'Europe/Berlin' };
 * ```
 */
export const CalcomSlotsQuery = z
  .object({
    eventTypeId: z.number().int().positive(),
    start: Instant,
    end: Instant,
    timeZone: z.string().min(1).optional(),
    /** Minutes, for event types with several lengths. */
    duration: z.number().int().positive().optional(),
    /** `range` answers each slot's end too. @default 'time' */
    format: z.enum(['time', 'range']).optional(),
    /** Keeps the slot of the booking being moved free. */
    bookingUidToReschedule: z.string().min(1).optional(),
  })
  .refine((query) => Date.parse(query.end) > Date.parse(query.start), {
    message: 'must be after start',
    path: ['end'],
  });
/** @see {@link CalcomSlotsQuery} */
export type CalcomSlotsQuery = z.input<typeof CalcomSlotsQuery>;

/**
 * `POST /v2/slots/reservations`: holds a slot for a few minutes (`reservationDuration`, 5 by
 * default; longer only for callers that manage the event type).
 *
 * @example
 * ```ts
 * const hold: CalcomReserveSlotInput = { eventTypeId: 42, slotStart: '2026-03-02T09:00:00Z' };
 * ```
 */
export const CalcomReserveSlotInput = z.object({
  eventTypeId: z.number().int().positive(),
  slotStart: Instant,
  slotDuration: z.number().int().positive().optional(),
  reservationDuration: z.number().int().positive().optional(),
});
/** @see {@link CalcomReserveSlotInput} */
export type CalcomReserveSlotInput = z.input<typeof CalcomReserveSlotInput>;

/**
 * The slots endpoints (`cal-api-version` of the slots group).
 *
 * @example
 * ```ts
 * declare const calcom: CalcomClient;
 * // ---cut---
 * const free = await calcom.slots.available('tenant-a', { eventTypeId: 42, start: '2026-03-02T00:00:00Z', end: '2026-03-03T00:00:00Z' });
 * const first = Object.values(free)[0]?.[0];
 * if (first) await calcom.slots.reserve('tenant-a', { eventTypeId: 42, slotStart: first.start });
 * ```
 */
export interface CalcomSlots {
  /** `GET /v2/slots`: free slots by date. */
  available(
    tenantId: string,
    query: CalcomSlotsQuery,
    options?: OperationOptions,
  ): Promise<CalcomSlotsByDate>;
  /** `POST /v2/slots/reservations`; a taken slot is a `CalendarSlotUnavailableError`. Never retried. */
  reserve(
    tenantId: string,
    input: CalcomReserveSlotInput,
    options?: OperationOptions,
  ): Promise<CalcomSlotReservation>;
  /** `DELETE /v2/slots/reservations/{uid}`. */
  release(tenantId: string, reservationUid: string, options?: OperationOptions): Promise<void>;
}

const SlotsAnswer = envelope(CalcomSlotsByDate);
const ReservationAnswer = envelope(CalcomSlotReservation);
const ReleaseAnswer = z.looseObject({ status: z.literal('success') });
const ReservationUid = z.string().min(1).max(200);

/** @internal */
export function createSlots(transport: Transport): CalcomSlots {
  return {
    async available(tenantId, query, options = {}) {
      const checked = parseWith(CalcomSlotsQuery, query, 'Cal.com slots query');
      const answer = await transport.send({
        tenantId,
        operation: 'getAvailableSlots',
        method: 'GET',
        path: '/v2/slots',
        endpoint: 'GET /v2/slots',
        group: 'slots',
        query: checked,
        schema: SlotsAnswer,
        signal: options.signal,
      });
      return answer.data;
    },
    async reserve(tenantId, input, options = {}) {
      const body = parseWith(CalcomReserveSlotInput, input, 'Cal.com reserve-slot request');
      const end =
        body.slotDuration === undefined
          ? body.slotStart
          : new Date(Date.parse(body.slotStart) + body.slotDuration * 60_000).toISOString();
      const answer = await transport.send({
        tenantId,
        operation: 'reserveSlot',
        method: 'POST',
        path: '/v2/slots/reservations',
        endpoint: 'POST /v2/slots/reservations',
        group: 'slots',
        body,
        schema: ReservationAnswer,
        slot: { eventTypeId: String(body.eventTypeId), requested: { start: body.slotStart, end } },
        signal: options.signal,
      });
      return answer.data;
    },
    async release(tenantId, reservationUid, options = {}) {
      const uid = parseWith(ReservationUid, reservationUid, 'reservation uid');
      await transport.send({
        tenantId,
        operation: 'releaseSlot',
        method: 'DELETE',
        path: `/v2/slots/reservations/${encodeURIComponent(uid)}`,
        endpoint: 'DELETE /v2/slots/reservations/{uid}',
        group: 'slots',
        schema: ReleaseAnswer,
        signal: options.signal,
      });
    },
  };
}
