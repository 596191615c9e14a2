import { CalendarRequestRejectedError } from '../../booking/errors.js';
import type { TimeRange } from '../../domain/time-range.js';
import { APPOINTMENT_TAG, type CalendarBooking } from '../../ports/calendar-provider.js';
import { compareKeys, type SortKey } from './memory-paging.js';
import { createTenantTable, type OrderedIndex, type TableSchema } from './memory-table.js';

const ACTIVE: ReadonlySet<CalendarBooking['status']> = new Set(['accepted', 'pending']);

/** A booking as the memory calendar keeps it. @internal */
export interface StoredCalendarBooking {
  readonly tenantId: string;
  /** The booking's uid. */
  readonly id: string;
  readonly booking: CalendarBooking;
  readonly hostId: string;
  /** Creation order, to find the latest booking of an appointment. */
  readonly seq: number;
  /** `booking.updatedAt` in epoch ms, its place in the update order. */
  readonly updatedMs: number;
}

/** The memory calendar's bookings, per tenant. @internal */
export interface CalendarBookingTable {
  /** Stores a frozen copy of `booking` (id assigned from the sequence) and returns it. */
  add(tenantId: string, booking: Omit<CalendarBooking, 'id'>, hostId: string): CalendarBooking;
  has(tenantId: string, uid: string): boolean;
  /** The booking, or a {@link CalendarRequestRejectedError} (`not_found`) of `operation`. */
  get(tenantId: string, uid: string, operation: string): StoredCalendarBooking;
  /**
   * The booking if it is active, else a {@link CalendarRequestRejectedError} of `operation`
   * (`invalid_request`, or `not_found`).
   */
  getActive(tenantId: string, uid: string, operation: string): StoredCalendarBooking;
  /**
   * Marks a booking cancelled at `updatedAt` (replaced by `rescheduledToUid`, when given); answers
   * `false`, changing nothing, when it already was.
   */
  cancel(
    tenantId: string,
    uid: string,
    operation: string,
    updatedAt: string,
    rescheduledToUid?: string,
  ): boolean;
  /** Active bookings of a host overlapping `range`, in start order, leaving out `except`. */
  activeOfHostDuring(tenantId: string, hostId: string, range: TimeRange, except?: string): CalendarBooking[];
  /**
   * The booking of an appointment among its bookings of `eventTypeId` overlapping `window`: the
   * latest active one, else the latest.
   */
  ofAppointment(
    tenantId: string,
    appointmentId: string,
    eventTypeId: string,
    window: TimeRange,
  ): CalendarBooking | null;
  /**
   * Bookings (any status) updated at or after `sinceMs`, of one event type or all, ordered by
   * update time then uid, after `after`.
   */
  updatedSince(
    tenantId: string,
    sinceMs: number,
    eventTypeId?: string,
    after?: SortKey,
  ): Iterable<CalendarBooking>;
  /**
   * Bookings (any status) overlapping `window`, of one event type or all, ordered by start then
   * uid, after `after`.
   */
  during(
    tenantId: string,
    window: TimeRange,
    eventTypeId?: string,
    after?: SortKey,
  ): Iterable<CalendarBooking>;
}

/**
 * Whether a calendar booking occupies its time (`accepted` or `pending`).
 *
 * @internal
 */
export const isActiveBooking = (booking: CalendarBooking): boolean => ACTIVE.has(booking.status);

const byStart = (
  partition: (stored: StoredCalendarBooking) => string | null,
): OrderedIndex<StoredCalendarBooking> => ({
  partition,
  time: (stored) => Date.parse(stored.booking.start),
  span: (stored) => Date.parse(stored.booking.end) - Date.parse(stored.booking.start),
});

const byUpdate = (
  partition: (stored: StoredCalendarBooking) => string,
): OrderedIndex<StoredCalendarBooking> => ({
  partition,
  time: (stored) => stored.updatedMs,
  span: () => 0,
});

/**
 * Indexes: by appointment tag; by start per active host, per event type and per tenant; by update
 * time per event type and per tenant.
 */
const bookingSchema = {
  lookups: {
    appointment: (stored) => {
      const tag = stored.booking.metadata[APPOINTMENT_TAG];
      return tag === undefined ? [] : [tag];
    },
  },
  orders: {
    activeHost: byStart((stored) => (isActiveBooking(stored.booking) ? stored.hostId : null)),
    eventType: byStart((stored) => stored.booking.eventTypeId),
    tenant: byStart(() => ''),
    updatedEventType: byUpdate((stored) => stored.booking.eventTypeId),
    updatedTenant: byUpdate(() => ''),
  },
} satisfies TableSchema<StoredCalendarBooking, string, string>;

/**
 * Creates the memory calendar's booking table.
 *
 * @internal
 */
export function createCalendarBookingTable(): CalendarBookingTable {
  const rows = createTenantTable(bookingSchema);
  let seq = 0;

  /** Bookings of a partition overlapping `window`, in order, from `after` on (exclusive). */
  function* overlapping(
    index: keyof typeof bookingSchema.orders,
    tenantId: string,
    partition: string,
    window: TimeRange,
    after?: SortKey,
  ): Generator<CalendarBooking> {
    const start = Date.parse(window.start);
    const end = Date.parse(window.end);
    // Only a booking starting less than the longest one lasts before `start` can reach it.
    let from: SortKey = { time: start - rows.longest(index, tenantId, partition), id: '' };
    if (after !== undefined && compareKeys(after, from) > 0) from = after;
    for (const { booking } of rows.ordered(index, tenantId, partition, from)) {
      if (Date.parse(booking.start) >= end) return;
      if (
        after !== undefined &&
        compareKeys({ time: Date.parse(booking.start), id: booking.uid }, after) <= 0
      )
        continue;
      if (Date.parse(booking.end) > start) yield booking;
    }
  }

  const table: CalendarBookingTable = {
    add(tenantId, booking, hostId) {
      seq += 1;
      const frozen: CalendarBooking = Object.freeze({
        ...booking,
        id: String(seq),
        metadata: Object.freeze({ ...booking.metadata }),
      });
      rows.put({
        tenantId,
        id: frozen.uid,
        booking: frozen,
        hostId,
        seq,
        updatedMs: Date.parse(frozen.updatedAt),
      });
      return frozen;
    },
    has: (tenantId, uid) => rows.get(tenantId, uid) !== undefined,
    get(tenantId, uid, operation) {
      const stored = rows.get(tenantId, uid);
      if (!stored) {
        throw new CalendarRequestRejectedError({
          tenantId,
          operation,
          reason: 'not_found',
          status: null,
          detail: `booking ${uid} does not exist`,
        });
      }
      return stored;
    },
    getActive(tenantId, uid, operation) {
      const stored = table.get(tenantId, uid, operation);
      if (!isActiveBooking(stored.booking)) {
        throw new CalendarRequestRejectedError({
          tenantId,
          operation,
          reason: 'invalid_request',
          status: null,
          detail: `booking ${uid} is ${stored.booking.status}`,
        });
      }
      return stored;
    },
    cancel(tenantId, uid, operation, updatedAt, rescheduledToUid) {
      const stored = table.get(tenantId, uid, operation);
      if (stored.booking.status === 'cancelled') return false;
      const booking: CalendarBooking = Object.freeze({
        ...stored.booking,
        status: 'cancelled',
        updatedAt,
        rescheduledToUid: rescheduledToUid ?? stored.booking.rescheduledToUid,
      });
      rows.put({ ...stored, booking, updatedMs: Date.parse(updatedAt) });
      return true;
    },
    activeOfHostDuring: (tenantId, hostId, range, except) =>
      [...overlapping('activeHost', tenantId, hostId, range)].filter((booking) => booking.uid !== except),
    ofAppointment(tenantId, appointmentId, eventTypeId, window) {
      const start = Date.parse(window.start);
      const end = Date.parse(window.end);
      let best: StoredCalendarBooking | undefined;
      for (const stored of rows.lookup('appointment', tenantId, appointmentId)) {
        const { booking } = stored;
        if (booking.eventTypeId !== eventTypeId) continue;
        if (Date.parse(booking.start) >= end || Date.parse(booking.end) <= start) continue;
        const rank = (s: StoredCalendarBooking): number => Number(isActiveBooking(s.booking));
        if (!best || rank(stored) > rank(best) || (rank(stored) === rank(best) && stored.seq > best.seq)) {
          best = stored;
        }
      }
      return best?.booking ?? null;
    },
    during: (tenantId, window, eventTypeId, after) =>
      eventTypeId === undefined
        ? overlapping('tenant', tenantId, '', window, after)
        : overlapping('eventType', tenantId, eventTypeId, window, after),
    *updatedSince(tenantId, sinceMs, eventTypeId, after) {
      const since: SortKey = { time: sinceMs, id: '' };
      const from = after !== undefined && compareKeys(after, since) > 0 ? after : since;
      const [index, partition] =
        eventTypeId === undefined
          ? (['updatedTenant', ''] as const)
          : (['updatedEventType', eventTypeId] as const);
      for (const stored of rows.ordered(index, tenantId, partition, from)) {
        if (after !== undefined && compareKeys({ time: stored.updatedMs, id: stored.id }, after) <= 0)
          continue;
        yield stored.booking;
      }
    },
  };
  return table;
}
