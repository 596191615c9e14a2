import type { CalendarBooking } from '../../ports/calendar-provider.js';
import type { Page } from '../../ports/page.js';
import { compareKeys, encodeCursor, pageRequestOf, type SortKey } from '../../util/keyset-cursor.js';
import type { CalcomPage } from '../client/paging.js';
import type { CalcomBooking } from '../client/response-schemas.js';
import { calendarBookingOf } from './booking-mapping.js';

// Cal.com pages by offset (`take`/`skip`), which shifts when a booking changes between two
// requests; the port pages by keyset. Each port page therefore asks Cal.com again from the
// cursor's time (its filters are inclusive), skips what the cursor has passed, and reads on
// until the bookings that share the last kept time are all in, so ties order by uid (the key's id).

export { pageRequestOf };

/** How to cut one port page out of a Cal.com listing. @internal */
export interface KeysetPageRequest {
  /** Cal.com's pages, sorted ascending by the key's time, from the cursor's time on. */
  readonly pages: AsyncIterable<CalcomPage<CalcomBooking>>;
  readonly keyOf: (booking: CalendarBooking) => SortKey;
  /** Which bookings belong to the listing. @default all */
  readonly keep?: (booking: CalendarBooking) => boolean;
  /** A key time from which on no booking can belong (the listing ends there). */
  readonly stopAt?: number;
  readonly after: SortKey | undefined;
  readonly limit: number;
}

/**
 * One port page: the first `limit` kept bookings after `after`, in key order, and a cursor when
 * more may follow.
 *
 * @internal
 */
export async function keysetPage(request: KeysetPageRequest): Promise<Page<CalendarBooking>> {
  const { keyOf, keep = () => true, stopAt, after, limit } = request;
  const found: { booking: CalendarBooking; key: SortKey }[] = [];
  let more = false;
  reading: for await (const page of request.pages) {
    for (const item of page.items) {
      const booking = calendarBookingOf(item);
      const key = keyOf(booking);
      if (stopAt !== undefined && key.time >= stopAt) break reading;
      if (after !== undefined && compareKeys(key, after) <= 0) continue;
      if (!keep(booking)) continue;
      // Cal.com sorts by time only: the page is complete once a later time shows up.
      const last = found[limit - 1];
      if (last !== undefined && key.time > last.key.time) {
        more = true;
        break reading;
      }
      found.push({ booking, key });
    }
  }
  found.sort((a, b) => compareKeys(a.key, b.key));
  const items = found.slice(0, limit);
  const lastKept = items[items.length - 1];
  more ||= found.length > limit;
  return {
    items: items.map((entry) => entry.booking),
    nextCursor: more && lastKept ? encodeCursor(lastKept.key) : null,
  };
}
