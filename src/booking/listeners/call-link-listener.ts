import type { BookingEvents } from '../events.js';
import type { EventBus } from '../../events/event-bus.js';
import type { CallRepository } from '../../ports/call-repository.js';
import type { Disposable } from '../../util/disposable.js';
import { requireBus, requireDependency, type BookingListenerOptions } from './listener-support.js';

/** What {@link registerCallLinks} needs. */
export interface CallLinkDeps {
  readonly calls: CallRepository;
}

/**
 * Registers a queued listener that keeps each call's `appointmentIds` up to date: an
 * `appointment.booked` that carries a `callId` links the appointment to that call through
 * {@link CallRepository.linkAppointment}, which creates a placeholder call when none of the
 * call's webhooks has arrived yet. Linking is a set union, so a redelivered event adds nothing
 * twice. Bookings made outside a call (`callId` `null`) are ignored.
 *
 * @throws `InvalidOptionError` naming `registerCallLinks` and the missing dependency.
 * @returns a disposable that removes the listener.
 * @example
 * ```ts
 * declare const bus: EventBus<BookingEvents>;
 * declare const stores: MemoryStores;
 * // ---cut---
 * registerCallLinks(bus, { calls: stores.calls });
 * ```
 */
export function registerCallLinks(
  bus: EventBus<BookingEvents>,
  deps: CallLinkDeps,
  options: BookingListenerOptions = {},
): Disposable {
  requireBus('registerCallLinks', bus);
  const calls = requireDependency('registerCallLinks', deps, 'calls');
  return bus.on(
    'appointment.booked',
    async ({ tenantId, data }, { signal }) => {
      if (data.callId === null) return;
      await calls.linkAppointment(tenantId, data.callId, data.appointmentId, { signal });
    },
    {
      queued: true,
      name: 'call-link:appointment.booked',
      ...(options.retry === undefined ? {} : { retry: options.retry }),
    },
  );
}
