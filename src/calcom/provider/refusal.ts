import { CalendarOutsideBookingHoursError, isCalendarSlotUnavailableError } from '../../booking/errors.js';
import type { TimeRange } from '../../domain/time-range.js';
import type { CalcomClient } from '../client/client.js';

/** The longest booking the provider expects: it searches this far before a window for overlaps. @internal */
export const LONGEST_BOOKING_MS = 24 * 60 * 60_000;

/**
 * Cal.com answers the same 400 ("User either already has booking at this time or is not
 * available") for a time another booking holds and for a time outside the event type's opening
 * hours. The port tells them apart, so the provider looks: when no active booking of the tenant
 * (other than `movingUid`, the one being rescheduled) overlaps the requested time, nothing is in
 * the way and the time is closed. Any other error, or a failed look, is returned as it was.
 * Limit: a time blocked only by an event in the host's connected calendar (Google, Outlook), which
 * API v2 does not list, reads as closed; both refusals are final, only the wording differs.
 *
 * @internal
 */
export async function explainRefusal(
  client: CalcomClient,
  error: unknown,
  tenantId: string,
  requested: TimeRange,
  movingUid: string | null,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  if (!isCalendarSlotUnavailableError(error)) return error;
  const { eventTypeId } = error.context;
  const closed = (): CalendarOutsideBookingHoursError =>
    new CalendarOutsideBookingHoursError(
      { tenantId, eventTypeId, requested, reason: 'closed' },
      { cause: error },
    );
  const start = Date.parse(requested.start);
  const end = Date.parse(requested.end);
  try {
    const pages = client.bookings.list(
      tenantId,
      { afterStart: new Date(start - LONGEST_BOOKING_MS).toISOString(), sortStart: 'asc', take: 250 },
      { signal },
    );
    for await (const page of pages) {
      for (const booking of page.items) {
        if (Date.parse(booking.start) >= end) return closed();
        const active = booking.status === 'accepted' || booking.status === 'pending';
        if (active && booking.uid !== movingUid && Date.parse(booking.end) > start) return error;
      }
    }
    return closed();
  } catch {
    return error;
  }
}
