import { CalendarRequestRejectedError } from '../../booking/errors.js';
import { APPOINTMENT_TAG, type CalendarBooking } from '../../ports/calendar-provider.js';

const ACTIVE: ReadonlySet<CalendarBooking['status']> = new Set(['accepted', 'pending']);

/** A booking as the memory calendar keeps it. @internal */
export interface StoredCalendarBooking {
  readonly booking: CalendarBooking;
  readonly hostId: string;
  /** Creation order, to find the latest booking of an appointment. */
  readonly seq: number;
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
  /** Marks a booking cancelled; answers `false` when it already was. */
  cancel(tenantId: string, uid: string, operation: string): boolean;
  /** Active bookings of a host, leaving out `except`. */
  activeOfHost(tenantId: string, hostId: string, except?: string): CalendarBooking[];
  /** The booking of an appointment: the latest active one, else the latest. */
  ofAppointment(tenantId: string, appointmentId: string): CalendarBooking | null;
  all(tenantId: string): CalendarBooking[];
}

/**
 * Whether a calendar booking occupies its time (`accepted` or `pending`).
 *
 * @internal
 */
export const isActiveBooking = (booking: CalendarBooking): boolean => ACTIVE.has(booking.status);

/**
 * Creates the memory calendar's booking table.
 *
 * @internal
 */
export function createCalendarBookingTable(): CalendarBookingTable {
  const tenants = new Map<string, Map<string, StoredCalendarBooking>>();
  let seq = 0;
  const of = (tenantId: string): Map<string, StoredCalendarBooking> => {
    let map = tenants.get(tenantId);
    if (!map) tenants.set(tenantId, (map = new Map<string, StoredCalendarBooking>()));
    return map;
  };

  const table: CalendarBookingTable = {
    add(tenantId, booking, hostId) {
      seq += 1;
      const frozen: CalendarBooking = Object.freeze({
        ...booking,
        id: String(seq),
        metadata: Object.freeze({ ...booking.metadata }),
      });
      of(tenantId).set(frozen.uid, { booking: frozen, hostId, seq });
      return frozen;
    },
    has: (tenantId, uid) => of(tenantId).has(uid),
    get(tenantId, uid, operation) {
      const stored = of(tenantId).get(uid);
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
    cancel(tenantId, uid, operation) {
      const stored = table.get(tenantId, uid, operation);
      if (stored.booking.status === 'cancelled') return false;
      of(tenantId).set(uid, {
        ...stored,
        booking: Object.freeze({ ...stored.booking, status: 'cancelled' }),
      });
      return true;
    },
    activeOfHost(tenantId, hostId, except) {
      const result: CalendarBooking[] = [];
      for (const { booking, hostId: host } of of(tenantId).values()) {
        if (host === hostId && isActiveBooking(booking) && booking.uid !== except) result.push(booking);
      }
      return result;
    },
    ofAppointment(tenantId, appointmentId) {
      let best: StoredCalendarBooking | undefined;
      for (const stored of of(tenantId).values()) {
        if (stored.booking.metadata[APPOINTMENT_TAG] !== appointmentId) continue;
        const rank = (s: StoredCalendarBooking): number => Number(isActiveBooking(s.booking));
        if (!best || rank(stored) > rank(best) || (rank(stored) === rank(best) && stored.seq > best.seq)) {
          best = stored;
        }
      }
      return best?.booking ?? null;
    },
    all: (tenantId) => [...of(tenantId).values()].map((stored) => stored.booking),
  };
  return table;
}
