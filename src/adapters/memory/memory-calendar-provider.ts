import {
  CalendarOutsideBookingHoursError,
  CalendarRequestRejectedError,
  CalendarSlotUnavailableError,
} from '../../booking/errors.js';
import { TimeRange } from '../../domain/time-range.js';
import { NotFoundError } from '../../errors/store-errors.js';
import { parseWith, ValidationError } from '../../errors/validation-error.js';
import {
  APPOINTMENT_TAG,
  type CalendarBooking,
  type CalendarEventType,
  type CalendarProvider,
  type CalendarUpdatedBookingsQuery,
  type CreateCalendarBookingRequest,
} from '../../ports/calendar-provider.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { Page, PageRequest } from '../../ports/page.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { checkClockOption, checkFunctionOption } from '../../util/options.js';
import { uuidv7 } from '../../util/uuid.js';
import {
  freeSlots,
  hostOf,
  isWithinOpeningHours,
  MemoryCalendarEventType,
  scheduledSlots,
  type MemoryCalendarEventTypeInput,
} from './memory-calendar-schedule.js';
import {
  Attendee,
  BookingLookup,
  ListQuery,
  RescheduleChange,
  SeedCalendarBooking,
  SlotQuery,
  UpdatedSinceQuery,
  type SeedCalendarBookingInput,
} from './memory-calendar-requests.js';
import { createCalendarBookingTable } from './memory-calendar-bookings.js';
import { pageRequestOf, takePage } from './memory-paging.js';

/** Longest window `getAvailableSlots` computes at once. */
const MAX_SLOT_WINDOW_MS = 366 * 86_400_000;

/** Options of {@link createMemoryCalendarProvider}. */
export interface MemoryCalendarProviderOptions {
  /**
   * Now, for the minimum notice and for refusing times in the past.
   * @default systemClock
   */
  readonly clock?: Clock;
  /**
   * Event types to start with (more can be added with `addEventType`).
   * @default []
   */
  readonly eventTypes?: readonly MemoryCalendarEventTypeInput[];
  /**
   * Makes booking uids.
   * @default UUID v7 on the clock
   */
  readonly uid?: () => string;
}

/**
 * The embedded {@link CalendarProvider}: a real scheduler in process memory, the default for
 * development and the fake that tests use in place of Cal.com. It offers slots from each event
 * type's weekly opening hours minus the non-cancelled bookings of its host, refuses a booking that
 * overlaps one (as Cal.com does, with a {@link CalendarSlotUnavailableError}) or that falls
 * outside the opening hours or the minimum notice ({@link CalendarOutsideBookingHoursError}), and
 * reschedules like Cal.com: the new time gets a new uid, the old booking is cancelled. An unknown
 * event type or booking is a {@link CalendarRequestRejectedError} (`not_found`), as the port's
 * contract has it.
 */
export interface MemoryCalendarProvider extends CalendarProvider {
  /**
   * Adds an event type, or replaces the one with the same tenant and id (a schedule change).
   * @throws {@link ValidationError} naming the bad field.
   */
  addEventType(eventType: MemoryCalendarEventTypeInput): void;
  /**
   * Records a booking made directly in the calendar (by a person, bypassing bookingkit), for
   * drift and webhook tests. Neither opening hours nor overlaps are checked: people with calendar
   * access can do what the booking pages refuse.
   * @throws {@link NotFoundError} for an unknown event type; {@link ValidationError} for bad input
   * or a uid in use.
   */
  seedBooking(tenantId: string, booking: SeedCalendarBookingInput): CalendarBooking;
}

/**
 * Creates a {@link MemoryCalendarProvider}.
 *
 * @throws {@link ValidationError} naming the field of a bad event type in `eventTypes`.
 * @throws {@link InvalidOptionError} for a `uid` that is not a function.
 * @example
 * ```ts
 * declare const clock: Clock;
 * declare const from: string;
 * declare const to: string;
 * // ---cut---
 * const calendar = createMemoryCalendarProvider({ clock, eventTypes: [{
 *   tenantId: 'acme', id: 'consultation', durationMinutes: 30, timeZone: 'Europe/Berlin',
 *   weeklyHours: { monday: [{ start: '09:00', end: '17:00' }] },
 * }] });
 * const slots = await calendar.getAvailableSlots('acme', { eventTypeId: 'consultation', from, to });
 * ```
 */
export function createMemoryCalendarProvider(
  options: MemoryCalendarProviderOptions = {},
): MemoryCalendarProvider {
  const details = { factory: 'createMemoryCalendarProvider' };
  checkClockOption(options.clock, details);
  checkFunctionOption('uid', options.uid, false, details);
  const clock = options.clock ?? systemClock;
  const newUid = options.uid ?? (() => uuidv7(clock.now()));
  const eventTypes = new Map<string, Map<string, MemoryCalendarEventType>>();
  const bookings = createCalendarBookingTable();
  /** Now on the calendar's clock, as ISO: every change stamps `updatedAt` with it. */
  const now = (): string => new Date(clock.now()).toISOString();

  /** The event type, or the calendar's refusal of `operation` (`not_found`). */
  const eventTypeOf = (tenantId: string, id: string, operation: string): MemoryCalendarEventType => {
    const found = eventTypes.get(tenantId)?.get(id);
    if (!found) {
      throw new CalendarRequestRejectedError(
        { tenantId, operation, reason: 'not_found', status: null, detail: `event type ${id} does not exist` },
        { cause: new NotFoundError({ entity: 'EventType', id, tenantId }) },
      );
    }
    return found;
  };

  /** Refuses `range` unless the event type's host is open and free then (ignoring `except`). */
  const assertBookable = (
    tenantId: string,
    eventType: MemoryCalendarEventType,
    range: TimeRange,
    except?: string,
  ): void => {
    const start = Date.parse(range.start);
    const end = Date.parse(range.end);
    const context = { tenantId, eventTypeId: eventType.id, requested: range };
    if (start < clock.now() + eventType.minimumNoticeMinutes * 60_000)
      throw new CalendarOutsideBookingHoursError({ ...context, reason: 'too_soon' });
    if (!isWithinOpeningHours(eventType, start, end))
      throw new CalendarOutsideBookingHoursError({ ...context, reason: 'closed' });
    if (bookings.activeOfHostDuring(tenantId, hostOf(eventType), range, except).length > 0)
      throw new CalendarSlotUnavailableError(context);
  };

  const provider: MemoryCalendarProvider = {
    addEventType(input) {
      const eventType = parseWith(MemoryCalendarEventType, input, 'memory calendar event type');
      let map = eventTypes.get(eventType.tenantId);
      if (!map) eventTypes.set(eventType.tenantId, (map = new Map<string, MemoryCalendarEventType>()));
      map.set(eventType.id, eventType);
    },

    seedBooking(tenantId, input) {
      const seed = parseWith(SeedCalendarBooking, input, 'seeded calendar booking');
      const eventType = eventTypes.get(tenantId)?.get(seed.eventTypeId);
      if (!eventType) throw new NotFoundError({ entity: 'EventType', id: seed.eventTypeId, tenantId });
      const uid = seed.uid ?? newUid();
      if (bookings.has(tenantId, uid)) {
        throw new ValidationError('seeded calendar booking', [
          { path: 'uid', message: `uid ${uid} is in use` },
        ]);
      }
      const end =
        seed.end ?? new Date(Date.parse(seed.start) + eventType.durationMinutes * 60_000).toISOString();
      const range = parseWith(TimeRange, { start: seed.start, end }, 'seeded calendar booking');
      const updatedAt =
        seed.updatedAt === undefined ? now() : new Date(Date.parse(seed.updatedAt)).toISOString();
      return bookings.add(
        tenantId,
        { ...seed, ...range, uid, eventTypeId: eventType.id, updatedAt },
        hostOf(eventType),
      );
    },

    async createBooking(request: CreateCalendarBookingRequest, opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      const range = parseWith(
        TimeRange,
        { start: request.start, end: request.end },
        'calendar booking request',
      );
      parseWith(Attendee, request.attendee, 'calendar booking request attendee');
      if (!request.metadata[APPOINTMENT_TAG]) {
        throw new ValidationError('calendar booking request', [
          {
            path: `metadata.${APPOINTMENT_TAG}`,
            message: 'is required: the appointment id this booking is for',
          },
        ]);
      }
      const eventType = eventTypeOf(request.tenantId, request.eventTypeId, 'createBooking');
      assertBookable(request.tenantId, eventType, range);
      return bookings.add(
        request.tenantId,
        {
          uid: newUid(),
          eventTypeId: eventType.id,
          ...range,
          status: 'accepted',
          attendee: { ...request.attendee },
          metadata: request.metadata,
          rescheduledFromUid: null,
          rescheduledToUid: null,
          updatedAt: now(),
        },
        hostOf(eventType),
      );
    },

    async findBookingByAppointmentId(tenantId, lookup, opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      const { appointmentId, eventTypeId, start, end } = parseWith(
        BookingLookup,
        lookup,
        'calendar booking lookup',
      );
      return bookings.ofAppointment(tenantId, appointmentId, eventTypeId, { start, end });
    },

    async rescheduleBooking(tenantId, uid, change, opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      const parsed = parseWith(RescheduleChange, change, 'reschedule request');
      const range = { start: parsed.start, end: parsed.end };
      const old = bookings.getActive(tenantId, uid, 'rescheduleBooking');
      const eventType = eventTypeOf(tenantId, old.booking.eventTypeId, 'rescheduleBooking');
      assertBookable(tenantId, eventType, range, uid);
      const updatedAt = now();
      const moved = bookings.add(
        tenantId,
        {
          ...old.booking,
          ...range,
          uid: newUid(),
          status: 'accepted',
          rescheduledFromUid: uid,
          rescheduledToUid: null,
          updatedAt,
        },
        old.hostId,
      );
      bookings.cancel(tenantId, uid, 'rescheduleBooking', updatedAt, moved.uid);
      return moved;
    },

    async cancelBooking(tenantId, uid, _change, opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      bookings.cancel(tenantId, uid, 'cancelBooking', now());
    },

    async listBookings(
      tenantId,
      query: PageRequest & { readonly from: string; readonly to: string; readonly eventTypeId?: string },
      opts: OperationOptions = {},
    ): Promise<Page<CalendarBooking>> {
      throwIfAborted(opts.signal);
      const { from, to, eventTypeId } = parseWith(ListQuery, query, 'calendar booking listing');
      const { limit, after } = pageRequestOf(query);
      return takePage(
        bookings.during(tenantId, { start: from, end: to }, eventTypeId, after),
        (booking) => ({ time: Date.parse(booking.start), id: booking.uid }),
        limit,
      );
    },

    async listBookingsUpdatedSince(
      tenantId,
      query: CalendarUpdatedBookingsQuery,
      opts: OperationOptions = {},
    ): Promise<Page<CalendarBooking>> {
      throwIfAborted(opts.signal);
      const { updatedAfter, eventTypeId } = parseWith(
        UpdatedSinceQuery,
        query,
        'calendar updated-bookings listing',
      );
      const { limit, after } = pageRequestOf(query);
      return takePage(
        bookings.updatedSince(tenantId, Date.parse(updatedAfter), eventTypeId, after),
        (booking) => ({ time: Date.parse(booking.updatedAt), id: booking.uid }),
        limit,
      );
    },

    async getAvailableSlots(tenantId, query, opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      const { eventTypeId, from, to } = parseWith(SlotQuery, query, 'slot query');
      const fromMs = Date.parse(from);
      const toMs = Date.parse(to);
      if (toMs - fromMs > MAX_SLOT_WINDOW_MS) {
        throw new ValidationError('slot query', [
          { path: 'to', message: 'the window may span at most 366 days' },
        ]);
      }
      const eventType = eventTypeOf(tenantId, eventTypeId, 'getAvailableSlots');
      const earliest = clock.now() + eventType.minimumNoticeMinutes * 60_000;
      const taken = bookings.activeOfHostDuring(tenantId, hostOf(eventType), { start: from, end: to });
      return freeSlots(scheduledSlots(eventType, Math.max(fromMs, earliest), toMs), taken);
    },

    async listEventTypes(tenantId, opts: OperationOptions = {}): Promise<CalendarEventType[]> {
      throwIfAborted(opts.signal);
      return [...(eventTypes.get(tenantId)?.values() ?? [])].map((eventType) => ({
        id: eventType.id,
        slug: eventType.slug ?? eventType.id,
        title: eventType.title ?? eventType.id,
        lengthsInMinutes: [eventType.durationMinutes],
      }));
    },
  };

  for (const [index, eventType] of (options.eventTypes ?? []).entries()) {
    try {
      provider.addEventType(eventType);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(
        'MemoryCalendarProviderOptions',
        error.context.issues.map((issue) => ({ ...issue, path: `eventTypes.${index}.${issue.path}` })),
        { cause: error },
      );
    }
  }
  return provider;
}
