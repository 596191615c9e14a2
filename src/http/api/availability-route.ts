import { z } from 'zod';
import { Id, Instant, TimeZone } from '../../domain/common.js';
import { ValidationError } from '../../errors/validation-error.js';
import { addDays, startOfLocalDay } from '../../util/zoned-time.js';
import { jsonResponse } from '../json-response.js';
import type { ApiRouteContext } from './booking-api-options.js';
import { parseQuery } from './json-request.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The query of `GET /availability`: `start` and `end` are instants, or dates in `timeZone`. */
const AvailabilityQuery = z.strictObject({
  eventTypeId: Id,
  start: z.string().min(1),
  end: z.string().min(1),
  timeZone: TimeZone.optional(),
});

/**
 * `GET /availability?eventTypeId=&start=&end=&timeZone=`: the free slots of an event type.
 * `start` and `end` are ISO instants, or plain dates read in `timeZone` (default the tenant's):
 * `start` from the beginning of its day, `end` to the end of its day. Slots are UTC.
 *
 * @internal
 */
export async function getAvailability(request: Request, context: ApiRouteContext): Promise<Response> {
  const query = parseQuery(request, AvailabilityQuery);
  const timeZone = query.timeZone ?? context.caller.tenant.timeZone;
  const start = instantOf(query.start, timeZone, 'start', 0);
  const end = instantOf(query.end, timeZone, 'end', 1);
  if (Date.parse(end) <= Date.parse(start)) {
    throw new ValidationError('query', [{ path: 'end', message: 'must be after start' }]);
  }
  const slots = await context.deps.availability.getSlots(
    context.caller.tenant.id,
    query.eventTypeId,
    { start, end },
    { signal: context.signal },
  );
  return jsonResponse(200, { eventTypeId: query.eventTypeId, timeZone, start, end, slots });
}

/** An instant as given, or the start of a date's day in `timeZone` (`dayOffset` 1: the next day's). */
function instantOf(value: string, timeZone: string, name: string, dayOffset: number): string {
  const date = DATE.exec(value);
  if (date) {
    const day = { year: Number(date[1]), month: Number(date[2]), day: Number(date[3]) };
    const ms = startOfLocalDay(addDays(day, dayOffset), timeZone);
    if (Number.isFinite(ms) && day.month >= 1 && day.month <= 12 && day.day >= 1 && day.day <= 31) {
      return new Date(ms).toISOString();
    }
  }
  const parsed = Instant.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ValidationError('query', [
    {
      path: name,
      message: `must be a date (2030-01-15) or an ISO 8601 date-time with a time zone (2030-01-15T09:00:00Z), got ${value.slice(0, 60)}`,
    },
  ]);
}
