import { CalendarRequestRejectedError } from '../../booking/errors.js';
import { parseWith } from '../../errors/validation-error.js';
import type { TimeRange } from '../../domain/time-range.js';
import {
  APPOINTMENT_TAG,
  type CalendarBooking,
  type CalendarEventType,
  type CalendarProvider,
} from '../../ports/calendar-provider.js';
import { throwIfAborted, untilAborted, type OperationOptions } from '../../util/abort.js';
import { isCalcomAlreadyCancelled } from '../client/error-mapping.js';
import { calendarBookingOf, calendarEventTypeOf } from './booking-mapping.js';
import { keysetPage, pageRequestOf } from './keyset-page.js';
import {
  calcomEventTypeId,
  CreateRequest,
  Lookup,
  RescheduleChange,
  UpdatedSince,
  Window,
} from './provider-requests.js';
import { normalizeProviderOptions, type CalcomCalendarProviderOptions } from './provider-options.js';
import { explainRefusal, LONGEST_BOOKING_MS } from './refusal.js';

const isActive = (booking: CalendarBooking): boolean =>
  booking.status === 'accepted' || booking.status === 'pending';
const overlaps = (booking: CalendarBooking, from: number, to: number): boolean =>
  Date.parse(booking.start) < to && Date.parse(booking.end) > from;
const minus = (instant: string, ms: number): string => new Date(Date.parse(instant) - ms).toISOString();

/**
 * The {@link CalendarProvider} over Cal.com API v2: what BookingService and reconciliation use to
 * book, move, cancel and list a tenant's Cal.com bookings, each tenant with its own credentials
 * (the client's resolver). Bookings carry the appointment id in their metadata
 * ({@link APPOINTMENT_TAG}); Cal.com cannot search by it, so a lookup lists the hinted window and
 * matches the tag. A second cancel succeeds; Cal.com's refusals arrive as the port's errors.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a bad option.
 * @example
 * ```ts
 * declare const tenantSecrets: (tenantId: string) => Promise<{ apiKey: string; webhookSecret: string }>;
 * // ---cut---
 * import { createBookingKit } from 'bookingkit';
 * import { createCalcomCalendarProvider } from 'bookingkit/calcom';
 *
 * const calendar = createCalcomCalendarProvider({ credentials: tenantSecrets });
 * const kit = createBookingKit({ calendar, tenants: [{ id: 'tenant-a' }] });
 * ```
 */
export function createCalcomCalendarProvider(options: CalcomCalendarProviderOptions): CalendarProvider {
  const { client, clock, cancellationReason, eventTypesTtlMs: ttlMs } = normalizeProviderOptions(options);

  const cached = new Map<string, { at: number; types: CalendarEventType[] }>();
  /** A tenant's list being fetched: concurrent callers share it rather than each asking Cal.com. */
  const fetching = new Map<string, Promise<CalendarEventType[]>>();
  const eventTypes = async (tenantId: string, signal: AbortSignal | undefined, fresh = false) => {
    const hit = cached.get(tenantId);
    if (!fresh && hit && clock.now() - hit.at < ttlMs) return hit.types;
    let pending = fetching.get(tenantId);
    if (!pending) {
      // No caller's signal: the fetch is shared (each caller stops waiting on its own signal); the
      // client's timeout bounds it.
      const started = client.eventTypes
        .list(tenantId, {}, {})
        .then((list) => {
          const types = list.map(calendarEventTypeOf);
          cached.set(tenantId, { at: clock.now(), types });
          return types;
        })
        .finally(() => fetching.delete(tenantId));
      fetching.set(tenantId, started);
      pending = started;
    }
    return untilAborted(pending, signal);
  };

  /**
   * The tenant's own event type `id`, read from the list of its account (fetched again once when
   * the cached list lacks it, so that one added in Cal.com is found at once). Cal.com answers the
   * slots of any public event type and books it whoever asks, so this is what keeps a tenant to
   * its own: another account's event type is `not_found`, as an unknown one.
   */
  const ownEventType = async (
    tenantId: string,
    id: string,
    operation: string,
    signal: AbortSignal | undefined,
  ): Promise<CalendarEventType> => {
    const find = (types: readonly CalendarEventType[]) => types.find((type) => type.id === id);
    const found = find(await eventTypes(tenantId, signal)) ?? find(await eventTypes(tenantId, signal, true));
    if (found) return found;
    throw new CalendarRequestRejectedError({
      tenantId,
      operation,
      reason: 'not_found',
      status: null,
      detail: `event type ${id} is not an event type of this tenant's Cal.com account`,
    });
  };

  const unknownEventType = (tenantId: string, operation: string, eventTypeId: string) =>
    new CalendarRequestRejectedError({
      tenantId,
      operation,
      reason: 'not_found',
      status: null,
      detail: `Cal.com event type ids are numbers; ${JSON.stringify(eventTypeId.slice(0, 40))} cannot be one`,
    });

  /** Bookings overlapping `[from, to)`, as Cal.com lists them by start (`afterStart` is inclusive). */
  const byStart = (
    tenantId: string,
    from: string,
    filters: { eventTypeId?: number; attendeeEmail?: string },
    take: number,
    signal: AbortSignal | undefined,
  ) =>
    client.bookings.list(
      tenantId,
      { ...filters, afterStart: from, sortStart: 'asc', take: Math.min(250, take) },
      { signal },
    );

  return {
    async createBooking(request, opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      const checked = parseWith(CreateRequest, request, 'calendar booking request');
      const { tenantId, attendee } = checked;
      const eventTypeId = calcomEventTypeId(checked.eventTypeId);
      if (eventTypeId === undefined) throw unknownEventType(tenantId, 'createBooking', checked.eventTypeId);
      const length = (Date.parse(checked.end) - Date.parse(checked.start)) / 60_000;
      const type = await ownEventType(tenantId, checked.eventTypeId, 'createBooking', opts.signal);
      if (!type.lengthsInMinutes.includes(length)) {
        throw new CalendarRequestRejectedError({
          tenantId,
          operation: 'createBooking',
          reason: 'invalid_request',
          status: null,
          detail: `a booking of event type ${type.id} lasts ${type.lengthsInMinutes.join(' or ')} minutes, not ${length}`,
        });
      }
      const language = attendee.locale?.split(/[-_]/)[0]?.toLowerCase();
      try {
        const created = await client.bookings.create(
          tenantId,
          {
            eventTypeId,
            start: checked.start,
            attendee: {
              name: attendee.name,
              timeZone: attendee.timeZone,
              ...(attendee.email === '' ? {} : { email: attendee.email }),
              ...(attendee.phone === null ? {} : { phoneNumber: attendee.phone }),
              ...(language ? { language } : {}),
            },
            // Cal.com refuses a length for an event type that has only one.
            ...(type.lengthsInMinutes.length > 1 ? { lengthInMinutes: length } : {}),
            metadata: checked.metadata,
          },
          { signal: opts.signal, slot: { end: checked.end } },
        );
        return calendarBookingOf(created);
      } catch (error) {
        throw await explainRefusal(client, error, tenantId, checked, null, opts.signal);
      }
    },

    async findBookingByAppointmentId(tenantId, lookup, opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      const hint = parseWith(Lookup, lookup, 'calendar booking lookup');
      const eventTypeId = calcomEventTypeId(hint.eventTypeId);
      if (eventTypeId === undefined) return null;
      const from = Date.parse(hint.start);
      const to = Date.parse(hint.end);
      const filters = {
        eventTypeId,
        ...(hint.attendeeEmail === null ? {} : { attendeeEmail: hint.attendeeEmail }),
      };
      let best: CalendarBooking | null = null;
      const better = (a: CalendarBooking, b: CalendarBooking | null): boolean =>
        b === null ||
        Number(isActive(a)) > Number(isActive(b)) ||
        (isActive(a) === isActive(b) && Date.parse(a.updatedAt) > Date.parse(b.updatedAt));
      searching: for await (const page of byStart(
        tenantId,
        minus(hint.start, LONGEST_BOOKING_MS),
        filters,
        250,
        opts.signal,
      )) {
        for (const item of page.items) {
          const booking = calendarBookingOf(item);
          if (Date.parse(booking.start) >= to) break searching;
          if (booking.metadata[APPOINTMENT_TAG] !== hint.appointmentId || !overlaps(booking, from, to))
            continue;
          if (better(booking, best)) best = booking;
        }
      }
      return best;
    },

    async rescheduleBooking(tenantId, uid, change, opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      const checked = parseWith(RescheduleChange, change, 'reschedule request');
      const requested: TimeRange = { start: checked.start, end: checked.end };
      try {
        const moved = await client.bookings.reschedule(
          tenantId,
          uid,
          { start: checked.start, ...(checked.reason ? { reschedulingReason: checked.reason } : {}) },
          { signal: opts.signal, slot: { end: checked.end } },
        );
        return calendarBookingOf(moved);
      } catch (error) {
        throw await explainRefusal(client, error, tenantId, requested, uid, opts.signal);
      }
    },

    async cancelBooking(tenantId, uid, change, opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      const reason = change.reason?.trim() || cancellationReason;
      try {
        await client.bookings.cancel(tenantId, uid, { cancellationReason: reason }, { signal: opts.signal });
      } catch (error) {
        // A second cancel: Cal.com answers 400 "... has been cancelled already", and the booking
        // is cancelled as asked. A booking that has already ended stays refused (permanent, a
        // CalendarRequestRejectedError, never retried by BookingService).
        if (!isCalcomAlreadyCancelled(error)) throw error;
      }
    },

    async listBookings(tenantId, query, opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      const window = parseWith(Window, query, 'calendar booking listing');
      const { limit, after } = pageRequestOf(query);
      const eventTypeId =
        window.eventTypeId === undefined ? undefined : calcomEventTypeId(window.eventTypeId);
      if (window.eventTypeId !== undefined && eventTypeId === undefined)
        return { items: [], nextCursor: null };
      const from = Date.parse(window.from);
      const to = Date.parse(window.to);
      const since =
        after === undefined ? from - LONGEST_BOOKING_MS : Math.max(after.time, from - LONGEST_BOOKING_MS);
      return keysetPage({
        pages: byStart(
          tenantId,
          new Date(since).toISOString(),
          eventTypeId === undefined ? {} : { eventTypeId },
          limit + 1,
          opts.signal,
        ),
        keyOf: (booking) => ({ time: Date.parse(booking.start), id: booking.uid }),
        keep: (booking) => overlaps(booking, from, to),
        stopAt: to,
        after,
        limit,
      });
    },

    async listBookingsUpdatedSince(tenantId, query, opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      const checked = parseWith(UpdatedSince, query, 'calendar updated-bookings listing');
      const { limit, after } = pageRequestOf(query);
      const eventTypeId =
        checked.eventTypeId === undefined ? undefined : calcomEventTypeId(checked.eventTypeId);
      if (checked.eventTypeId !== undefined && eventTypeId === undefined)
        return { items: [], nextCursor: null };
      const since = Math.max(Date.parse(checked.updatedAfter), after?.time ?? 0);
      // `afterUpdatedAt` is inclusive in Cal.com, as `updatedAfter` is here: its bookings handler
      // filters `updatedAt >= afterUpdatedDate` (packages/trpc .../bookings/get.handler.ts), so
      // nothing is shifted. A booking Cal.com never updated has `updatedAt` null and is left out
      // by that filter; the listing by window (reconciliation's other half) still sees it.
      const pages = client.bookings.list(
        tenantId,
        {
          afterUpdatedAt: new Date(since).toISOString(),
          sortUpdatedAt: 'asc',
          take: Math.min(250, limit + 1),
          ...(eventTypeId === undefined ? {} : { eventTypeId }),
        },
        { signal: opts.signal },
      );
      return keysetPage({
        pages,
        keyOf: (booking) => ({ time: Date.parse(booking.updatedAt), id: booking.uid }),
        after,
        limit,
      });
    },

    async getAvailableSlots(tenantId, query, opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      const window = parseWith(Window, query, 'slot query');
      const eventTypeId = calcomEventTypeId(query.eventTypeId);
      if (eventTypeId === undefined) throw unknownEventType(tenantId, 'getAvailableSlots', query.eventTypeId);
      const type = await ownEventType(tenantId, query.eventTypeId, 'getAvailableSlots', opts.signal);
      const byDate = await client.slots.available(
        tenantId,
        { eventTypeId, start: window.from, end: window.to, format: 'range' },
        { signal: opts.signal },
      );
      const from = Date.parse(window.from);
      const to = Date.parse(window.to);
      const slots = new Map<number, TimeRange>();
      for (const slot of Object.values(byDate).flat()) {
        const start = Date.parse(slot.start);
        let end = slot.end === undefined ? Number.NaN : Date.parse(slot.end);
        if (Number.isNaN(end)) {
          const defaultLength = type.lengthsInMinutes[0];
          if (defaultLength === undefined) continue;
          end = start + defaultLength * 60_000;
        }
        // Cal.com stretches an `end` at midnight to 23:59:59: keep what fits the window.
        if (start < from || end > to) continue;
        slots.set(start, { start: new Date(start).toISOString(), end: new Date(end).toISOString() });
      }
      return [...slots.entries()].sort(([a], [b]) => a - b).map(([, range]) => range);
    },

    async listEventTypes(tenantId, opts: OperationOptions = {}) {
      throwIfAborted(opts.signal);
      return [...(await eventTypes(tenantId, opts.signal, true))];
    },
  };
}
