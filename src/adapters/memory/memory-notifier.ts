import type { Notification, Notifier } from '../../ports/notifier.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { checkNotification, sentKey } from './notification-schema.js';

/** Filter of {@link MemoryNotifier.sent}. */
export interface SentNotificationFilter {
  readonly tenantId?: string;
  readonly recipient?: string;
  readonly template?: string;
}

/** A {@link Notifier} that records what it would send, for tests and development. */
export interface MemoryNotifier extends Notifier {
  /** Notifications sent, oldest first, one per (tenant, idempotency key). */
  sent(filter?: SentNotificationFilter): Notification[];
  /** Forgets everything sent. */
  clear(): void;
}

/**
 * Creates a notifier that records notifications instead of delivering them. A second send with
 * the same tenant and idempotency key is accepted and ignored, as a real channel must do, so a
 * redelivered event never sends twice.
 *
 * @example
 * ```ts
 * declare const bus: EventBus<BookingEvents>;
 * declare const deps: Omit<BookingListenerDeps, 'notifier'>;
 * // ---cut---
 * import { expect } from 'vitest';
 * const notifier = createMemoryNotifier();
 * registerBookingListeners(bus, { ...deps, notifier });
 * expect(notifier.sent({ template: 'appointment.booked' })).toHaveLength(1);
 * ```
 */
export function createMemoryNotifier(): MemoryNotifier {
  const sent = new Map<string, Notification>();
  return {
    async send(notification: Notification, options: OperationOptions = {}): Promise<void> {
      throwIfAborted(options.signal);
      checkNotification(notification);
      const key = sentKey(notification);
      if (sent.has(key)) return;
      sent.set(key, structuredClone(notification));
    },
    sent(filter = {}) {
      return [...sent.values()]
        .filter(
          (n) =>
            (filter.tenantId === undefined || n.tenantId === filter.tenantId) &&
            (filter.recipient === undefined || n.recipient === filter.recipient) &&
            (filter.template === undefined || n.template === filter.template),
        )
        .map((n) => structuredClone(n));
    },
    clear() {
      sent.clear();
    },
  };
}
