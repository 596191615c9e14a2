import type { TimeRange } from '../../domain/time-range.js';
import type { BookingEvents } from '../events.js';
import type { AvailabilityService } from '../availability/availability-service.js';
import type { EventBus } from '../../events/event-bus.js';
import type { DomainEvent } from '../../events/catalog.js';
import type { Disposable } from '../../util/disposable.js';
import {
  disposeAll,
  requireBus,
  requireDependency,
  type BookingListenerOptions,
} from './listener-support.js';

/** What {@link registerAvailabilityInvalidation} needs. */
export interface AvailabilityInvalidationDeps {
  readonly availability: Pick<AvailabilityService, 'invalidate'>;
}

/**
 * Registers the one place where cached availability is invalidated: a queued listener per event
 * that changes which slots are free, whatever its origin (API, voice agent, Cal.com webhook,
 * admin, reconciliation):
 *
 * - `appointment.booked` and `appointment.cancelled`: the appointment's time;
 * - `appointment.rescheduled`: both the previous and the new time;
 * - `availability.changed`: the range it names (schedule changes, changes seen in the calendar).
 *
 * `appointment.confirmed` (the pending hold already took the time), `appointment.no_show` (the
 * time has passed) and `appointment.requested` (the calendar has not changed yet) do not change
 * the calendar's free slots, so they invalidate nothing.
 *
 * Each event is handled twice. Right after the change commits, the instance that made it drops
 * the cached days at once (an in-process listener, started before the command returns), so a slot
 * booked a moment ago is not offered again from the cache. The queued listener then repeats the
 * invalidation durably, with retries, in case the first one failed (the cache unreachable) or the
 * process died right after the commit. Invalidating twice costs a second delete, nothing more.
 *
 * The outbox delivers each event to one instance only: when every instance keeps its own memory
 * cache, wrap it with `createBroadcastingCache` so the invalidation reaches all of them.
 *
 * @throws `InvalidOptionError` naming `registerAvailabilityInvalidation` and `availability` when the
 *   availability service is missing.
 * @returns a disposable that removes the listeners.
 * @example
 * ```ts
 * declare const bus: EventBus<BookingEvents>;
 * declare const availability: AvailabilityService;
 * // ---cut---
 * registerAvailabilityInvalidation(bus, { availability });
 * ```
 */
export function registerAvailabilityInvalidation(
  bus: EventBus<BookingEvents>,
  deps: AvailabilityInvalidationDeps,
  options: BookingListenerOptions = {},
): Disposable {
  requireBus('registerAvailabilityInvalidation', bus);
  const availability = requireDependency('registerAvailabilityInvalidation', deps, 'availability');
  const queued = (type: string) => ({
    queued: true,
    name: `availability-invalidation:${type}`,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  });
  const invalidate = async (
    tenantId: string,
    eventTypeId: string,
    ranges: TimeRange[],
    signal: AbortSignal | undefined,
  ) => {
    const options = signal ? { signal } : {};
    for (const range of ranges) await availability.invalidate(tenantId, eventTypeId, range, options);
  };
  /** The listener at once (in process, after the commit) and the queued one, for one event type. */
  const both = <T extends InvalidatingEvent>(type: T, ranges: (event: EventOf<T>) => TimeRange[]) => [
    bus.on(type, (event) => invalidate(event.tenantId, event.data.eventTypeId, ranges(event), undefined), {
      name: `availability-invalidation:${type}:immediate`,
    }),
    bus.on(
      type,
      (event, { signal }) => invalidate(event.tenantId, event.data.eventTypeId, ranges(event), signal),
      queued(type),
    ),
  ];
  return disposeAll([
    ...both('appointment.booked', ({ data }) => [{ start: data.start, end: data.end }]),
    ...both('appointment.rescheduled', ({ data }) => [data.previous, { start: data.start, end: data.end }]),
    ...both('appointment.cancelled', ({ data }) => [{ start: data.start, end: data.end }]),
    ...both('availability.changed', ({ data }) => [data.range]),
  ]);
}

/** The events that change which slots are free. */
type InvalidatingEvent =
  'appointment.booked' | 'appointment.rescheduled' | 'appointment.cancelled' | 'availability.changed';

/** The envelope of one of them. */
type EventOf<T extends InvalidatingEvent> = DomainEvent<BookingEvents, T>;
