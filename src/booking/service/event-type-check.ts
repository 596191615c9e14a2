import { LRUCache } from 'lru-cache';
import { ValidationError } from '../../errors/validation-error.js';
import type { CalendarEventType } from '../../ports/calendar-provider.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import { throwIfAborted } from '../../util/abort.js';
import {
  checkNumberOption,
  CLOCK_EXPECTED,
  hasMethods,
  isClock,
  isLogger,
  LOGGER_EXPECTED,
  requireOption,
} from '../../util/options.js';
import type { TimeRange } from '../../domain/time-range.js';
import type { CalendarGateway } from './calendar-gateway.js';

/** How many tenants' event-type lists are kept; the least recently used are dropped first. */
const MAX_TENANTS = 10_000;

/** What a `calendar` option that takes a {@link CalendarGateway} must be. @internal */
export const CALENDAR_GATEWAY_EXPECTED = 'a CalendarGateway, e.g. createCalendarGateway(calendar, policy)';

/** What {@link EventTypeCheck.check} checks. @internal */
export interface EventTypeCheckRequest {
  readonly tenantId: string;
  readonly eventTypeId: string;
  readonly range: TimeRange;
  /** What the error names as validated, e.g. `book command`. */
  readonly subject: string;
  /**
   * `refuse`: an event type the calendar does not list is a {@link ValidationError} naming
   * `eventTypeId` (a new booking). `skip`: it is left to the calendar (a reschedule of an
   * existing appointment, whose event type the command does not name).
   */
  readonly unknownType: 'refuse' | 'skip';
}

/**
 * Checks a command's event type and duration against the tenant's event types in the calendar
 * before anything is written, so that a booking the calendar would refuse for good neither holds
 * a slot nor starts a saga.
 *
 * @internal
 */
export interface EventTypeCheck {
  /**
   * Resolves when the event type exists and `range` lasts one of its lengths, or when that cannot
   * be told (see {@link createEventTypeCheck}).
   * @throws {@link ValidationError} naming `eventTypeId` (unknown event type) or `end` (a duration
   * the event type does not have).
   */
  check(request: EventTypeCheckRequest, signal?: AbortSignal): Promise<void>;
}

/** Options of {@link createEventTypeCheck}. @internal */
export interface EventTypeCheckOptions {
  readonly calendar: CalendarGateway;
  /** How long a tenant's list is used before it is asked for again, in ms. */
  readonly ttlMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

interface CachedList {
  readonly types: ReadonlyMap<string, CalendarEventType>;
  readonly fetchedAt: number;
}

/**
 * Creates the event-type check over a per-tenant cache of `listEventTypes`.
 *
 * - A tenant's list is fetched when missing or older than `ttlMs`; concurrent checks of one tenant
 *   share one fetch.
 * - An event type missing from a cached list makes the list be fetched again once, so an event
 *   type added in the calendar is found at once rather than after the TTL.
 * - When the calendar cannot list the event types (an outage, an open breaker, any failure), the
 *   last list fetched is used however old; with none, the command is not blocked on the check:
 *   the booking goes on, and the calendar itself refuses what it does not take (the saga's outage
 *   policy applies when it is down). An event type missing from a stale list is not refused
 *   either: it may have been added since.
 *
 * @internal
 */
export function createEventTypeCheck(options: EventTypeCheckOptions): EventTypeCheck {
  const factory = 'createEventTypeCheck';
  const calendar = requireOption(
    factory,
    options,
    'calendar',
    CALENDAR_GATEWAY_EXPECTED,
    hasMethods('listEventTypes'),
  );
  const ttlMs = checkNumberOption('ttlMs', options.ttlMs, { integer: true, max: 86_400_000 }, { factory });
  const clock = requireOption(factory, options, 'clock', CLOCK_EXPECTED, isClock);
  const logger = requireOption(factory, options, 'logger', LOGGER_EXPECTED, isLogger);
  const cache = new LRUCache<string, CachedList>({ max: MAX_TENANTS });
  const inflight = new Map<string, Promise<CachedList | null>>();

  const load = async (tenantId: string): Promise<CachedList | null> => {
    try {
      // No caller's signal: the fetch is shared; the calendar policy's timeout bounds it.
      const list = await calendar.listEventTypes(tenantId, undefined);
      const cached = { types: new Map(list.map((type) => [type.id, type])), fetchedAt: clock.now() };
      cache.set(tenantId, cached);
      return cached;
    } catch (error) {
      logger.warn(
        { err: error, tenantId },
        'could not list the calendar event types; not checking against them',
      );
      return null;
    }
  };

  /** Fetches the tenant's list (sharing a fetch in flight); `null` when the calendar could not tell. */
  const fetchList = async (tenantId: string, signal: AbortSignal | undefined): Promise<CachedList | null> => {
    let pending = inflight.get(tenantId);
    if (!pending) {
      const started = load(tenantId);
      pending = started;
      inflight.set(tenantId, started);
      void started.finally(() => {
        if (inflight.get(tenantId) === started) inflight.delete(tenantId);
      });
    }
    const list = await pending;
    throwIfAborted(signal);
    return list;
  };

  return {
    async check(request, signal) {
      const { tenantId, eventTypeId } = request;
      let list = cache.get(tenantId) ?? null;
      /** Whether `list` is what the calendar says now: fresh in the cache, or fetched just now. */
      let current = list !== null && clock.now() - list.fetchedAt < ttlMs;
      let fetched = false;
      if (!current) {
        fetched = true;
        const answer = await fetchList(tenantId, signal);
        if (answer !== null) [list, current] = [answer, true];
      }
      let type = list?.types.get(eventTypeId);
      if (type === undefined && current && !fetched) {
        const answer = await fetchList(tenantId, signal);
        if (answer === null) current = false;
        else [list, type] = [answer, answer.types.get(eventTypeId)];
      }
      if (list === null) return;
      if (type === undefined) {
        if (!current || request.unknownType === 'skip') return;
        const known = [...list.types.keys()];
        throw new ValidationError(request.subject, [
          {
            path: 'eventTypeId',
            message: `event type ${eventTypeId} does not exist in the calendar of tenant ${tenantId} (it has ${known.length === 0 ? 'none' : known.join(', ')})`,
          },
        ]);
      }
      const minutes = (Date.parse(request.range.end) - Date.parse(request.range.start)) / 60_000;
      if (!type.lengthsInMinutes.includes(minutes)) {
        const lengths = type.lengthsInMinutes;
        const allowed =
          lengths.length === 1 ? `${lengths[0]} minutes` : `one of ${lengths.join(', ')} minutes`;
        throw new ValidationError(request.subject, [
          {
            path: 'end',
            message: `must be start + ${allowed} (the length of event type ${eventTypeId}), not ${minutes} minutes`,
          },
        ]);
      }
    },
  };
}
