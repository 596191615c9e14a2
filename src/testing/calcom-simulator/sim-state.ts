import {
  createMemoryCalendarProvider,
  type MemoryCalendarProvider,
} from '../../adapters/memory/memory-calendar-provider.js';
import { parseWith, ValidationError } from '../../errors/validation-error.js';
import type { Clock } from '../../ports/clock.js';
import type { CalcomSimAccount } from './sim-accounts.js';
import type { CalcomSimBooking } from './sim-booking-record.js';
import {
  CalcomSimEventType,
  memoryEventTypeOf,
  type CalcomSimEventTypeInput,
  type CalcomSimEventTypeRecord,
} from './sim-event-type.js';
import { notFound } from './sim-error.js';

/** What happened to a booking, for webhooks. @internal */
export type SimBookingEvent =
  | {
      readonly trigger: 'BOOKING_CREATED' | 'BOOKING_REQUESTED' | 'BOOKING_REJECTED';
      readonly booking: CalcomSimBooking;
    }
  | {
      readonly trigger: 'BOOKING_CANCELLED';
      readonly booking: CalcomSimBooking;
      readonly cancelledBy: string;
      /** The host asked the attendee to pick a new time (the dashboard's "Request reschedule"). */
      readonly requestReschedule?: boolean;
    }
  | {
      readonly trigger: 'BOOKING_RESCHEDULED';
      readonly booking: CalcomSimBooking;
      readonly from: CalcomSimBooking;
    }
  | {
      readonly trigger: 'BOOKING_REQUESTED';
      readonly booking: CalcomSimBooking;
      /** A reschedule that needs confirmation fires BOOKING_REQUESTED carrying the old uid. */
      readonly from: CalcomSimBooking;
    }
  | {
      readonly trigger: 'BOOKING_NO_SHOW_UPDATED';
      readonly booking: CalcomSimBooking;
      readonly attendees: readonly { readonly email: string; readonly noShow: boolean }[];
    };

/**
 * The simulated Cal.com's data: accounts, event types, bookings, and the memory calendar that
 * decides slots, conflicts and reschedules.
 *
 * @internal
 */
export interface SimState {
  readonly clock: Clock;
  readonly accounts: readonly CalcomSimAccount[];
  readonly calendar: MemoryCalendarProvider;
  readonly eventTypes: Map<number, CalcomSimEventTypeRecord>;
  readonly bookings: Map<string, CalcomSimBooking>;
  newUid(): string;
  nextBookingId(): number;
  nowIso(): string;
  accountByKey(apiKey: string): CalcomSimAccount | undefined;
  accountByName(username: string): CalcomSimAccount | undefined;
  /** The event type, or Cal.com's 404. */
  eventType(id: number): CalcomSimEventTypeRecord;
  addEventType(input: CalcomSimEventTypeInput): CalcomSimEventTypeRecord;
  /** Stores a booking (new or changed) and stamps nothing: callers set `updatedAt`. */
  save(booking: CalcomSimBooking): CalcomSimBooking;
  /** Raised by every `save`: listings computed at another version are stale. */
  bookingsVersion(): number;
  /** Hands an event to the webhook deliverer. */
  notify(event: SimBookingEvent): void;
}

/** @internal */
export interface SimStateOptions {
  readonly clock: Clock;
  readonly accounts: readonly CalcomSimAccount[];
  readonly uid: () => string;
  readonly notify: (event: SimBookingEvent) => void;
}

/** @internal */
export function createSimState(options: SimStateOptions): SimState {
  const { clock, accounts, uid } = options;
  const eventTypes = new Map<number, CalcomSimEventTypeRecord>();
  const bookings = new Map<string, CalcomSimBooking>();
  let bookingId = 0;
  let nextEventTypeId = 1001;
  let bookingsVersion = 0;
  // The memory calendar makes the uid of every booking it creates, including the new half of a
  // reschedule; the simulator's generator stands behind it so both agree.
  const calendar = createMemoryCalendarProvider({ clock, uid });

  const state: SimState = {
    clock,
    accounts,
    calendar,
    eventTypes,
    bookings,
    newUid: uid,
    nextBookingId: () => (bookingId += 1),
    nowIso: () => new Date(clock.now()).toISOString(),
    accountByKey: (apiKey) => accounts.find((account) => account.apiKey === apiKey),
    accountByName: (username) => accounts.find((account) => account.username === username),
    eventType(id) {
      const found = eventTypes.get(id);
      if (!found) throw notFound(`Event type with id ${id} not found.`);
      return found;
    },
    addEventType(input) {
      const parsed = parseWith(CalcomSimEventType, input, 'Cal.com simulator event type');
      const owner = parsed.owner === undefined ? accounts[0]! : state.accountByName(parsed.owner);
      if (!owner) {
        throw new ValidationError('Cal.com simulator event type', [
          { path: 'owner', message: `no account has the username ${parsed.owner}` },
        ]);
      }
      const id = parsed.id ?? nextEventTypeId;
      nextEventTypeId = Math.max(nextEventTypeId, id + 1);
      const lengths = [...new Set([parsed.lengthInMinutes, ...(parsed.lengthInMinutesOptions ?? [])])];
      const eventType: CalcomSimEventTypeRecord = Object.freeze({
        ...parsed,
        id,
        owner: owner.username,
        ownerId: owner.id,
        title: parsed.title ?? parsed.slug,
        lengths,
      });
      calendar.addEventType(memoryEventTypeOf(eventType));
      eventTypes.set(id, eventType);
      return eventType;
    },
    save(booking) {
      const frozen = Object.freeze(booking);
      bookings.set(booking.uid, frozen);
      bookingsVersion += 1;
      return frozen;
    },
    bookingsVersion: () => bookingsVersion,
    notify: options.notify,
  };
  return state;
}
