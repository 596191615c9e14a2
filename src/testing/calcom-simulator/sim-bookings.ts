import { CalendarOutsideBookingHoursError, CalendarSlotUnavailableError } from '../../booking/errors.js';
import { APPOINTMENT_TAG } from '../../ports/calendar-provider.js';
import type { z } from 'zod';
import type { CalcomSimAccount } from './sim-accounts.js';
import type { CalcomSimBooking } from './sim-booking-record.js';
import {
  CancelBookingBody,
  CreateBookingBody,
  DeclineBookingBody,
  MarkAbsentBody,
  RescheduleBookingBody,
} from './sim-booking-inputs.js';
import { badRequest, CalcomSimError, forbidden, notFound, parseOr400 } from './sim-error.js';
import type { CalcomSimEventTypeRecord } from './sim-event-type.js';
import type { SimState } from './sim-state.js';

// The bookings endpoints' rules, with Cal.com's messages (shared/reference/calcom.md §2.3-2.8;
// the texts are those of apps/api/v2 bookings.service / errors.service). Slots, opening hours,
// conflicts and the new-uid reschedule are the memory calendar's: this file only adds what
// Cal.com keeps beside them (attendees, statuses, reasons, links).

const NOT_AVAILABLE = 'User either already has booking at this time or is not available';
const OUT_OF_BOUNDS =
  'The event type can\'t be booked at the "start" time provided. This could be because it\'s too soon (violating the minimum booking notice) or too far in the future (outside the event\'s scheduling window). Try fetching available slots first using the GET /v2/slots endpoint and then make a booking with "start" time equal to one of the available slots: https://cal.com/docs/api-reference/v2/slots';
const IN_THE_PAST = 'Attempting to book a meeting in the past.';

/** The memory calendar's refusals, as Cal.com words them. */
function asCalcomRefusal(error: unknown): never {
  if (error instanceof CalendarSlotUnavailableError) throw badRequest(NOT_AVAILABLE);
  if (error instanceof CalendarOutsideBookingHoursError) {
    // Outside the opening hours no host is free, which Cal.com reports as unavailability.
    throw badRequest(error.context.reason === 'too_soon' ? OUT_OF_BOUNDS : NOT_AVAILABLE);
  }
  throw error;
}

const isHost = (caller: CalcomSimAccount | null, booking: CalcomSimBooking): boolean =>
  caller?.id === booking.host.id;

/** The booking operations of the simulated Cal.com. @internal */
export interface SimBookings {
  create(body: unknown): Promise<CalcomSimBooking>;
  get(uid: string): CalcomSimBooking;
  cancel(uid: string, body: unknown, caller: CalcomSimAccount | null): Promise<CalcomSimBooking>;
  reschedule(uid: string, body: unknown): Promise<CalcomSimBooking>;
  confirm(uid: string, caller: CalcomSimAccount | null): CalcomSimBooking;
  decline(uid: string, body: unknown, caller: CalcomSimAccount | null): Promise<CalcomSimBooking>;
  markAbsent(uid: string, body: unknown, caller: CalcomSimAccount | null): CalcomSimBooking;
  requestReschedule(uid: string, reason: string | null): Promise<CalcomSimBooking>;
}

/** @internal */
export function createSimBookings(state: SimState): SimBookings {
  let tagSeq = 0;

  const resolveEventType = (body: z.infer<typeof CreateBookingBody>): CalcomSimEventTypeRecord => {
    if (body.eventTypeId !== undefined) return state.eventType(body.eventTypeId);
    if (body.eventTypeSlug !== undefined && body.username !== undefined) {
      for (const eventType of state.eventTypes.values()) {
        if (eventType.slug === body.eventTypeSlug && eventType.owner === body.username) return eventType;
      }
      throw notFound(
        `Event type with slug ${body.eventTypeSlug} belonging to user ${body.username} not found`,
      );
    }
    throw badRequest(
      'Either eventTypeId or eventTypeSlug + username or eventTypeSlug + teamSlug must be provided',
    );
  };

  const get = (uid: string): CalcomSimBooking => {
    const found = state.bookings.get(uid);
    if (!found) throw notFound(`Booking with uid=${uid} not found`);
    return found;
  };

  const requireHost = (caller: CalcomSimAccount | null, booking: CalcomSimBooking): void => {
    if (!isHost(caller, booking)) throw forbidden('You are not the host of this booking');
  };

  const rangeAt = (startMs: number, minutes: number) => ({
    start: new Date(startMs).toISOString(),
    end: new Date(startMs + minutes * 60_000).toISOString(),
  });

  const refuseThePast = (startMs: number): void => {
    if (startMs < state.clock.now()) throw badRequest(IN_THE_PAST);
  };

  return {
    async create(input) {
      const body = parseOr400(CreateBookingBody, input);
      const eventType = resolveEventType(body);
      const host = state.accountByName(eventType.owner)!;
      const length = body.lengthInMinutes ?? eventType.lengthInMinutes;
      if (!eventType.lengths.includes(length)) {
        throw badRequest(
          `Invalid lengthInMinutes: ${length}. It must be one of the event type's lengths: ${eventType.lengths.join(', ')}`,
        );
      }
      const startMs = Date.parse(body.start);
      refuseThePast(startMs);
      const range = rangeAt(startMs, length);
      tagSeq += 1;
      const calendarBooking = await state.calendar
        .createBooking({
          tenantId: eventType.owner,
          eventTypeId: String(eventType.id),
          ...range,
          attendee: {
            name: body.attendee.name,
            email: body.attendee.email ?? '',
            phone: body.attendee.phoneNumber ?? null,
            timeZone: body.attendee.timeZone,
            locale: body.attendee.language ?? null,
          },
          // The memory calendar wants an appointment tag; Cal.com's own metadata is kept here.
          metadata: { [APPOINTMENT_TAG]: `calcom-simulator-${tagSeq}` },
        })
        .catch(asCalcomRefusal);
      const now = state.nowIso();
      const booking = state.save({
        id: state.nextBookingId(),
        uid: calendarBooking.uid,
        eventType,
        host,
        title: `${eventType.title} between ${host.name} and ${body.attendee.name}`,
        description: eventType.description,
        status: eventType.requiresConfirmation ? 'pending' : 'accepted',
        ...range,
        duration: length,
        attendees: [
          {
            name: body.attendee.name,
            email: body.attendee.email ?? '',
            timeZone: body.attendee.timeZone,
            language: body.attendee.language ?? 'en',
            absent: false,
            ...(body.attendee.phoneNumber ? { phoneNumber: body.attendee.phoneNumber } : {}),
          },
        ],
        guests: body.guests ?? [],
        metadata: body.metadata ?? {},
        location: `https://app.cal.com/video/${calendarBooking.uid}`,
        absentHost: false,
        createdAt: now,
        updatedAt: now,
      });
      state.notify({
        trigger: booking.status === 'pending' ? 'BOOKING_REQUESTED' : 'BOOKING_CREATED',
        booking,
      });
      return booking;
    },

    get,

    async cancel(uid, input, caller) {
      const body = parseOr400(CancelBookingBody, input);
      const booking = get(uid);
      if (booking.status === 'cancelled' || booking.status === 'rejected') {
        throw badRequest(
          `Can't cancel booking with uid=${uid} because it has been cancelled already. Please provide uid of a booking that is not cancelled.`,
        );
      }
      if (Date.parse(booking.end) <= state.clock.now()) {
        // A core HttpError, which Cal.com's filters do not wrap (reference §3, inferred).
        throw new CalcomSimError(
          400,
          'BadRequestException',
          'Cannot cancel a booking that has already ended',
          true,
        );
      }
      const host = isHost(caller, booking);
      if (host && !body.cancellationReason)
        throw badRequest('Cancellation reason is required when you are the host');
      await state.calendar.cancelBooking(booking.host.username, uid, {
        reason: body.cancellationReason ?? null,
      });
      const cancelledBy = host ? booking.host.email : (booking.attendees[0]?.email ?? '');
      const cancelled = state.save({
        ...booking,
        status: 'cancelled',
        ...(body.cancellationReason ? { cancellationReason: body.cancellationReason } : {}),
        cancelledByEmail: cancelledBy,
        updatedAt: state.nowIso(),
      });
      state.notify({ trigger: 'BOOKING_CANCELLED', booking: cancelled, cancelledBy });
      return cancelled;
    },

    async reschedule(uid, input) {
      const body = parseOr400(RescheduleBookingBody, input);
      const old = get(uid);
      if (old.rescheduledToUid !== undefined) {
        throw badRequest(
          `Can't reschedule booking with uid=${uid} because it has been rescheduled already to booking with uid=${old.rescheduledToUid}. Please provide uid of the latest booking.`,
        );
      }
      if (old.status === 'cancelled' || old.status === 'rejected') {
        throw badRequest(
          `Can't reschedule booking with uid=${uid} because it has been cancelled. Please provide uid of a booking that is not cancelled.`,
        );
      }
      const startMs = Date.parse(body.start);
      refuseThePast(startMs);
      const range = rangeAt(startMs, old.duration);
      const moved = await state.calendar
        .rescheduleBooking(old.host.username, uid, { ...range, reason: body.reschedulingReason ?? null })
        .catch(asCalcomRefusal);
      const now = state.nowIso();
      const rescheduledBy = body.rescheduledBy;
      // `rescheduledBy` naming the owner confirms a requires-confirmation booking at once.
      const pending = old.eventType.requiresConfirmation && rescheduledBy !== old.host.email;
      const booking = state.save({
        ...old,
        id: state.nextBookingId(),
        uid: moved.uid,
        ...range,
        status: pending ? 'pending' : 'accepted',
        absentHost: false,
        attendees: old.attendees.map((attendee) => ({ ...attendee, absent: false })),
        location: `https://app.cal.com/video/${moved.uid}`,
        rescheduledFromUid: uid,
        ...(body.reschedulingReason ? { reschedulingReason: body.reschedulingReason } : {}),
        ...(rescheduledBy ? { rescheduledByEmail: rescheduledBy } : {}),
        createdAt: now,
        updatedAt: now,
      });
      const from = state.save({
        ...old,
        status: 'cancelled',
        rescheduledToUid: booking.uid,
        ...(rescheduledBy ? { rescheduledByEmail: rescheduledBy } : {}),
        updatedAt: now,
      });
      state.notify({ trigger: pending ? 'BOOKING_REQUESTED' : 'BOOKING_RESCHEDULED', booking, from });
      return booking;
    },

    confirm(uid, caller) {
      const booking = get(uid);
      requireHost(caller, booking);
      if (booking.status !== 'pending')
        throw badRequest(`Booking with uid=${uid} is not pending, it is ${booking.status}`);
      const confirmed = state.save({ ...booking, status: 'accepted', updatedAt: state.nowIso() });
      // Cal.com has no BOOKING_CONFIRMED: confirming fires BOOKING_CREATED.
      state.notify({ trigger: 'BOOKING_CREATED', booking: confirmed });
      return confirmed;
    },

    async decline(uid, input, caller) {
      const body = parseOr400(DeclineBookingBody, input);
      const booking = get(uid);
      requireHost(caller, booking);
      if (booking.status !== 'pending')
        throw badRequest(`Booking with uid=${uid} is not pending, it is ${booking.status}`);
      await state.calendar.cancelBooking(booking.host.username, uid, { reason: body.reason ?? null });
      const declined = state.save({
        ...booking,
        status: 'rejected',
        ...(body.reason ? { rejectionReason: body.reason } : {}),
        updatedAt: state.nowIso(),
      });
      state.notify({ trigger: 'BOOKING_REJECTED', booking: declined });
      return declined;
    },

    async requestReschedule(uid, reason) {
      const booking = get(uid);
      if (booking.status !== 'accepted' && booking.status !== 'pending')
        throw badRequest(`Booking with uid=${uid} is ${booking.status}`);
      await state.calendar.cancelBooking(booking.host.username, uid, { reason });
      const cancelled = state.save({
        ...booking,
        status: 'cancelled',
        ...(reason ? { cancellationReason: reason } : {}),
        cancelledByEmail: booking.host.email,
        updatedAt: state.nowIso(),
      });
      state.notify({
        trigger: 'BOOKING_CANCELLED',
        booking: cancelled,
        cancelledBy: booking.host.email,
        requestReschedule: true,
      });
      return cancelled;
    },

    markAbsent(uid, input, caller) {
      const body = parseOr400(MarkAbsentBody, input);
      const booking = get(uid);
      requireHost(caller, booking);
      const changes = new Map((body.attendees ?? []).map((entry) => [entry.email, entry.absent]));
      for (const email of changes.keys()) {
        if (!booking.attendees.some((attendee) => attendee.email === email))
          throw badRequest(`Attendee with email ${email} is not an attendee of booking with uid=${uid}`);
      }
      const marked = state.save({
        ...booking,
        absentHost: body.host ?? booking.absentHost,
        attendees: booking.attendees.map((attendee) => ({
          ...attendee,
          absent: changes.get(attendee.email) ?? attendee.absent,
        })),
        updatedAt: state.nowIso(),
      });
      if (changes.size > 0) {
        state.notify({
          trigger: 'BOOKING_NO_SHOW_UPDATED',
          booking: marked,
          attendees: [...changes].map(([email, noShow]) => ({ email, noShow })),
        });
      }
      return marked;
    },
  };
}
