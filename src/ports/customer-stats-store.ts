import type { CustomerStats } from '../domain/customer.js';
import type { OperationOptions } from '../util/abort.js';

/** One change to a customer's counters, caused by one event. */
export interface CustomerStatsChange {
  /** The event that caused it; a change whose event was applied before is ignored. */
  readonly eventId: string;
  /** Amounts to add to each counter (absent: 0). */
  readonly delta: Partial<CustomerStats>;
}

/** What {@link CustomerStatsStore.apply} did. */
export type CustomerStatsOutcome = 'applied' | 'duplicate' | 'not_found';

/**
 * Customers' booking counters, updated exactly once per event: the store records the event id
 * together with the counter update (atomically), so a redelivered event does not count twice.
 * A customer merged into another has its changes applied to the survivor.
 *
 * @example
 * ```ts
 * declare const stats: CustomerStatsStore;
 * declare const tenantId: string;
 * declare const customerId: string;
 * declare const event: DomainEvent<BookingEvents, 'appointment.cancelled'>;
 * // ---cut---
 * await stats.apply(tenantId, customerId, { eventId: event.id, delta: { cancellations: 1 } });
 * ```
 */
export interface CustomerStatsStore {
  /**
   * Adds `change.delta` to the customer's stats and records `change.eventId`, atomically.
   * Answers `duplicate` (nothing changed) when the event was applied before, `not_found` when the
   * customer does not exist.
   */
  apply(
    tenantId: string,
    customerId: string,
    change: CustomerStatsChange,
    options?: OperationOptions,
  ): Promise<CustomerStatsOutcome>;
}
