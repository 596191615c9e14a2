import { z } from 'zod';
import { parseWith } from '../../errors/validation-error.js';
import type { TimeRange } from '../../domain/time-range.js';
import type { OperationOptions } from '../../util/abort.js';
import {
  CalcomBookingFilters,
  CalcomCancelBookingInput,
  CalcomCreateBookingInput,
  CalcomDeclineBookingInput,
  CalcomMarkAbsentInput,
  CalcomRescheduleBookingInput,
} from './booking-requests.js';
import { pages, type CalcomPage } from './paging.js';
import { CalcomBooking, envelope, pagedEnvelope } from './response-schemas.js';
import type { Transport } from './transport.js';

/**
 * What the caller expects of a booking it asks for, used only to describe a refusal
 * (`CalendarSlotUnavailableError`, `CalendarOutsideBookingHoursError`): Cal.com derives the end
 * from the event type, and a reschedule does not name the event type.
 */
export interface CalcomSlotHint {
  /** The event type, when the request does not name it (reschedule). */
  readonly eventTypeId?: string;
  /** The expected end, ISO; otherwise start + `lengthInMinutes`, or the start itself. */
  readonly end?: string;
}

/** Options of a booking write. */
export interface CalcomBookingWriteOptions extends OperationOptions {
  /** Describes the requested time in the errors that refuse it. */
  readonly slot?: CalcomSlotHint;
}

/**
 * The bookings endpoints (`/v2/bookings`, `cal-api-version` of the bookings group). Reads are
 * retried on transient failures; writes never are (decision 0007): after a timeout or a 5xx look
 * the booking up (by its metadata tag) before sending a create again.
 *
 * @example
 * ```ts
 * declare const calcom: CalcomClient;
 * // ---cut---
 * const booking = await calcom.bookings.create('tenant-a', {
 *   eventTypeId: 42,
 *   start: '2026-03-02T09:00:00Z',
 *   attendee: { name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/London' },
 *   metadata: { bookingkitAppointmentId: 'appt_1' },
 * });
 * const moved = await calcom.bookings.reschedule('tenant-a', booking.uid, { start: '2026-03-03T09:00:00Z' });
 * console.log(moved.uid !== booking.uid); // true: Cal.com issues a new uid
 * ```
 */
export interface CalcomBookings {
  /** `POST /v2/bookings`; never retried. */
  create(
    tenantId: string,
    input: CalcomCreateBookingInput,
    options?: CalcomBookingWriteOptions,
  ): Promise<CalcomBooking>;
  /**
   * `GET /v2/bookings/{uid}`: one booking. The uid of a whole recurring series answers a list,
   * which this client refuses as an unexpected shape (`CalcomResponseError`).
   */
  get(tenantId: string, uid: string, options?: OperationOptions): Promise<CalcomBooking>;
  /** `GET /v2/bookings`, page by page (`take` up to 250), each page fetched when asked for. */
  list(
    tenantId: string,
    filters?: CalcomBookingFilters,
    options?: OperationOptions,
  ): AsyncIterable<CalcomPage<CalcomBooking>>;
  /** `POST /v2/bookings/{uid}/cancel`; answers the cancelled booking. */
  cancel(
    tenantId: string,
    uid: string,
    input: CalcomCancelBookingInput,
    options?: OperationOptions,
  ): Promise<CalcomBooking>;
  /** `POST /v2/bookings/{uid}/reschedule`; answers the new booking (a new uid). */
  reschedule(
    tenantId: string,
    uid: string,
    input: CalcomRescheduleBookingInput,
    options?: CalcomBookingWriteOptions,
  ): Promise<CalcomBooking>;
  /** `POST /v2/bookings/{uid}/confirm` of a booking that awaits confirmation. */
  confirm(tenantId: string, uid: string, options?: OperationOptions): Promise<CalcomBooking>;
  /** `POST /v2/bookings/{uid}/decline` of a booking that awaits confirmation. */
  decline(
    tenantId: string,
    uid: string,
    input?: CalcomDeclineBookingInput,
    options?: OperationOptions,
  ): Promise<CalcomBooking>;
  /** `POST /v2/bookings/{uid}/mark-absent`. */
  markAbsent(
    tenantId: string,
    uid: string,
    input: CalcomMarkAbsentInput,
    options?: OperationOptions,
  ): Promise<CalcomBooking>;
}

const BookingUid = z.string().min(1).max(200);
const BookingAnswer = envelope(CalcomBooking);
const BookingsPage = pagedEnvelope(CalcomBooking);

const pathOf = (uid: string, action = ''): string => {
  const checked = parseWith(BookingUid, uid, 'booking uid');
  return `/v2/bookings/${encodeURIComponent(checked)}${action}`;
};

/** The time a booking request asks for, for refusals: start, and the end as well as it is known. */
function requestedRange(
  start: string,
  lengthInMinutes: number | undefined,
  hint: CalcomSlotHint | undefined,
): TimeRange {
  if (hint?.end !== undefined) return { start, end: hint.end };
  if (lengthInMinutes !== undefined)
    return { start, end: new Date(Date.parse(start) + lengthInMinutes * 60_000).toISOString() };
  return { start, end: start };
}

/** @internal */
export function createBookings(transport: Transport): CalcomBookings {
  const write = (
    tenantId: string,
    operation: string,
    path: string,
    endpoint: string,
    body: unknown,
    options: CalcomBookingWriteOptions,
    slot?: { eventTypeId: string; requested: TimeRange },
  ): Promise<CalcomBooking> =>
    transport
      .send({
        tenantId,
        operation,
        method: 'POST',
        path,
        endpoint,
        group: 'bookings',
        body,
        schema: BookingAnswer,
        slot,
        signal: options.signal,
      })
      .then((answer) => answer.data);

  return {
    async create(tenantId, input, options = {}) {
      const body = parseWith(CalcomCreateBookingInput, input, 'Cal.com create-booking request');
      const slot = {
        eventTypeId: String(body.eventTypeId),
        requested: requestedRange(body.start, body.lengthInMinutes, options.slot),
      };
      return write(tenantId, 'createBooking', '/v2/bookings', 'POST /v2/bookings', body, options, slot);
    },
    async get(tenantId, uid, options = {}) {
      const answer = await transport.send({
        tenantId,
        operation: 'getBooking',
        method: 'GET',
        path: pathOf(uid),
        endpoint: 'GET /v2/bookings/{bookingUid}',
        group: 'bookings',
        schema: BookingAnswer,
        signal: options.signal,
      });
      return answer.data;
    },
    list(tenantId, filters = {}, options = {}) {
      const { take, skip, ...query } = parseWith(CalcomBookingFilters, filters, 'Cal.com booking filters');
      return pages(
        async (offset, size) => {
          const answer: z.output<typeof BookingsPage> = await transport.send({
            tenantId,
            operation: 'listBookings',
            method: 'GET',
            path: '/v2/bookings',
            endpoint: 'GET /v2/bookings',
            group: 'bookings',
            query: { ...query, take: size, skip: offset },
            schema: BookingsPage,
            signal: options.signal,
          });
          return { items: answer.data, pagination: answer.pagination };
        },
        take,
        skip,
      );
    },
    async cancel(tenantId, uid, input, options = {}) {
      const body = parseWith(CalcomCancelBookingInput, input, 'Cal.com cancel-booking request');
      return write(
        tenantId,
        'cancelBooking',
        pathOf(uid, '/cancel'),
        'POST /v2/bookings/{bookingUid}/cancel',
        body,
        options,
      );
    },
    async reschedule(tenantId, uid, input, options = {}) {
      const body = parseWith(CalcomRescheduleBookingInput, input, 'Cal.com reschedule-booking request');
      const slot = {
        eventTypeId: options.slot?.eventTypeId ?? 'unknown',
        requested: requestedRange(body.start, undefined, options.slot),
      };
      const path = pathOf(uid, '/reschedule');
      return write(
        tenantId,
        'rescheduleBooking',
        path,
        'POST /v2/bookings/{bookingUid}/reschedule',
        body,
        options,
        slot,
      );
    },
    async confirm(tenantId, uid, options = {}) {
      return write(
        tenantId,
        'confirmBooking',
        pathOf(uid, '/confirm'),
        'POST /v2/bookings/{bookingUid}/confirm',
        undefined,
        options,
      );
    },
    async decline(tenantId, uid, input = {}, options = {}) {
      const body = parseWith(CalcomDeclineBookingInput, input, 'Cal.com decline-booking request');
      return write(
        tenantId,
        'declineBooking',
        pathOf(uid, '/decline'),
        'POST /v2/bookings/{bookingUid}/decline',
        body,
        options,
      );
    },
    async markAbsent(tenantId, uid, input, options = {}) {
      const body = parseWith(CalcomMarkAbsentInput, input, 'Cal.com mark-absent request');
      const path = pathOf(uid, '/mark-absent');
      return write(tenantId, 'markAbsent', path, 'POST /v2/bookings/{bookingUid}/mark-absent', body, options);
    },
  };
}
