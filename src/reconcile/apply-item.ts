import type { CalendarBooking } from '../ports/calendar-provider.js';
import { ValidationError } from '../errors/validation-error.js';
import type { PlanItem } from './drift.js';
import type { ResolvedReconcilerOptions } from './reconciler-options.js';

/** Carries out one plan item through BookingService (origin `reconciliation`). @internal */
export async function applyItem(
  options: ResolvedReconcilerOptions,
  tenantId: string,
  item: PlanItem,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { bookings, calendar, actor } = options;
  const callOptions = signal ? { signal } : {};
  const base = {
    tenantId,
    origin: 'reconciliation' as const,
    actor,
    // Derived from the drift: an interrupted apply, run again, replays what already happened.
    idempotencyKey: `reconcile:${item.id}`.slice(0, 200),
  };
  const reason = `reconciliation: ${item.details}`.slice(0, 1000);
  const local = item.local;
  const remote = item.remote;
  const target = () => ({ appointmentId: need(local, item, 'local').id });

  switch (item.action) {
    case 'heal_remote':
      await bookings.syncToCalendar({ ...base, target: target() }, callOptions);
      return;
    case 'import_local': {
      const booking = need(remote, item, 'remote');
      await bookings.book(
        {
          ...base,
          eventTypeId: booking.eventTypeId,
          start: booking.start,
          end: booking.end,
          timeZone: need(booking.attendee, item, 'attendee').timeZone,
          customer: customerOf(booking, item),
          calendar: 'already_applied',
          existingCalendarBooking: {
            uid: booking.uid,
            id: booking.id,
            status: booking.status === 'pending' ? 'pending' : 'accepted',
          },
        },
        callOptions,
      );
      return;
    }
    case 'accept_remote':
      if (item.cause === 'cancelled_in_calendar' || item.cause === 'not_in_calendar') {
        await bookings.cancel(
          { ...base, target: target(), reason, calendar: 'already_applied' },
          callOptions,
        );
      } else if (item.cause === 'pending_locally') {
        await bookings.confirm({ ...base, target: target() }, callOptions);
      } else {
        const booking = need(remote, item, 'remote');
        const moved = booking.uid !== local?.calendarBookingUid;
        await bookings.reschedule(
          {
            ...base,
            target: target(),
            start: booking.start,
            end: booking.end,
            reason,
            calendar: 'already_applied',
            ...(moved ? { newCalendarBookingUid: booking.uid } : {}),
          },
          callOptions,
        );
      }
      return;
    case 'accept_local':
      if (item.cause === 'moved') {
        const appointment = need(local, item, 'local');
        await bookings.reschedule(
          {
            ...base,
            target: target(),
            start: appointment.start,
            end: appointment.end,
            reason,
            calendar: 'apply',
          },
          callOptions,
        );
      } else {
        // The booking has no active appointment (cancelled locally, or none at all): only the
        // calendar changes, and a second cancel is not an error there.
        await calendar.cancelBooking(tenantId, need(remote, item, 'remote').uid, { reason }, callOptions);
      }
      return;
    case 'flag_manual_review':
      return;
  }
}

function need<T>(value: T | null, item: PlanItem, what: string): T {
  if (value === null) {
    throw new ValidationError('reconciliation plan item', [
      { path: what, message: `is missing: ${item.action} of ${item.cause} needs it` },
    ]);
  }
  return value;
}

function customerOf(booking: CalendarBooking, item: PlanItem) {
  const attendee = need(booking.attendee, item, 'attendee');
  return {
    name: attendee.name.slice(0, 200) || 'Unknown',
    ...(attendee.email ? { email: attendee.email } : {}),
    ...(attendee.phone ? { phone: attendee.phone } : {}),
    ...(attendee.locale && attendee.locale.length >= 2 ? { locale: attendee.locale.slice(0, 35) } : {}),
  };
}
