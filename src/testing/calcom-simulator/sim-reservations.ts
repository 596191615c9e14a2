import { z } from 'zod';
import type { CalcomSimAccount } from './sim-accounts.js';
import { badRequest, forbidden, notFound, parseOr400, unauthorized, unprocessable } from './sim-error.js';
import type { HeldRange } from './sim-slots.js';
import type { SimState } from './sim-state.js';

// Slot reservations, version 2024-09-04 (reference §2.2). Advisory, as in Cal.com: a reservation
// hides its slot from other clients' slot queries; booking creation does not check it.

const DEFAULT_RESERVATION_MINUTES = 5;

const ReserveBody = z.looseObject({
  eventTypeId: z.number().int().positive(),
  slotStart: z
    .string()
    .refine((value) => !Number.isNaN(Date.parse(value)), { message: 'must be a valid ISO 8601 date' }),
  slotDuration: z.number().int().positive().optional(),
  reservationDuration: z.number().int().positive().optional(),
});

/** `ReserveSlotOutput_2024_09_04`. */
export interface SimReservation {
  readonly eventTypeId: number;
  readonly slotStart: string;
  readonly slotEnd: string;
  readonly slotDuration: number;
  readonly reservationUid: string;
  readonly reservationDuration: number;
  readonly reservationUntil: string;
}

/** @internal */
export interface SimReservations {
  reserve(body: unknown, caller: CalcomSimAccount | null, requester: string): SimReservation;
  get(uid: string): SimReservation | null;
  update(uid: string, body: unknown, caller: CalcomSimAccount | null, requester: string): SimReservation;
  remove(uid: string): void;
  /** Unexpired reservations, as the time they hold and who holds it. */
  held(): HeldRange[];
}

/** @internal */
export function createSimReservations(state: SimState): SimReservations {
  const reservations = new Map<string, SimReservation & { readonly holder: string }>();

  const live = () => {
    const now = state.clock.now();
    for (const [uid, reservation] of reservations)
      if (Date.parse(reservation.reservationUntil) <= now) reservations.delete(uid);
    return [...reservations.values()];
  };

  const build = (uid: string, input: unknown, caller: CalcomSimAccount | null, requester: string) => {
    const body = parseOr400(ReserveBody, input);
    const eventType = state.eventType(body.eventTypeId);
    if (body.reservationDuration !== undefined) {
      if (!caller) throw unauthorized('reservationDuration can only be used by an authenticated caller');
      if (caller.username !== eventType.owner)
        throw forbidden('reservationDuration can only be used by the owner of the event type');
    }
    const duration = body.slotDuration ?? eventType.lengthInMinutes;
    if (!eventType.lengths.includes(duration))
      throw badRequest(
        `slotDuration ${duration} is not one of the event type's lengths: ${eventType.lengths.join(', ')}`,
      );
    const start = Date.parse(body.slotStart);
    const end = start + duration * 60_000;
    const overlaps = (range: { start: string; end: string }) =>
      Date.parse(range.start) < end && start < Date.parse(range.end);
    for (const booking of state.bookings.values()) {
      if (booking.host.username !== eventType.owner) continue;
      if ((booking.status === 'accepted' || booking.status === 'pending') && overlaps(booking))
        throw unprocessable("Can't reserve a slot if the event is already booked.");
    }
    for (const other of live()) {
      if (other.reservationUid === uid || other.holder === requester) continue;
      if (other.eventTypeId === eventType.id && overlaps({ start: other.slotStart, end: other.slotEnd }))
        throw unprocessable(
          'This time slot is already reserved by another user. Please choose a different time slot.',
        );
    }
    const minutes = body.reservationDuration ?? DEFAULT_RESERVATION_MINUTES;
    const reservation = {
      eventTypeId: eventType.id,
      slotStart: new Date(start).toISOString(),
      slotEnd: new Date(end).toISOString(),
      slotDuration: duration,
      reservationUid: uid,
      reservationDuration: minutes,
      reservationUntil: new Date(state.clock.now() + minutes * 60_000).toISOString(),
      holder: requester,
    };
    reservations.set(uid, reservation);
    return publicOf(reservation);
  };

  const publicOf = ({
    holder: _holder,
    ...reservation
  }: SimReservation & { holder: string }): SimReservation => reservation;

  const existing = (uid: string) => {
    const found = live().find((reservation) => reservation.reservationUid === uid);
    if (!found) throw notFound(`Reserved slot with uid=${uid} not found`);
    return found;
  };

  return {
    reserve: (body, caller, requester) => build(state.newUid(), body, caller, requester),
    get(uid) {
      const found = live().find((reservation) => reservation.reservationUid === uid);
      return found ? publicOf(found) : null;
    },
    update(uid, body, caller, requester) {
      existing(uid);
      return build(uid, body, caller, requester);
    },
    remove(uid) {
      existing(uid);
      reservations.delete(uid);
    },
    held: () =>
      live().map((reservation) => ({
        eventTypeId: reservation.eventTypeId,
        start: reservation.slotStart,
        end: reservation.slotEnd,
        holder: reservation.holder,
      })),
  };
}
