import type { TimeRange } from '../../domain/time-range.js';
import type { BookingEvents } from '../events.js';
import type { AvailabilityService } from '../availability/availability-service.js';
import type { EventBus } from '../../events/event-bus.js';
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
    signal: AbortSignal,
  ) => {
    for (const range of ranges) await availability.invalidate(tenantId, eventTypeId, range, { signal });
  };
  return disposeAll([
    bus.on(
      'appointment.booked',
      ({ tenantId, data }, { signal }) =>
        invalidate(tenantId, data.eventTypeId, [{ start: data.start, end: data.end }], signal),
      queued('appointment.booked'),
    ),
    bus.on(
      'appointment.rescheduled',
      ({ tenantId, data }, { signal }) =>
        invalidate(tenantId, data.eventTypeId, [data.previous, { start: data.start, end: data.end }], signal),
      queued('appointment.rescheduled'),
    ),
    bus.on(
      'appointment.cancelled',
      ({ tenantId, data }, { signal }) =>
        invalidate(tenantId, data.eventTypeId, [{ start: data.start, end: data.end }], signal),
      queued('appointment.cancelled'),
    ),
    bus.on(
      'availability.changed',
      ({ tenantId, data }, { signal }) => invalidate(tenantId, data.eventTypeId, [data.range], signal),
      queued('availability.changed'),
    ),
  ]);
}
