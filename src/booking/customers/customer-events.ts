import type { EventData } from '../../events/catalog.js';
import type { BookingEvents } from '../events.js';

/** The customer events of the booking catalog. */
export type CustomerEventType = 'customer.created' | 'customer.identified' | 'customer.merged';

/**
 * An event the customer service asks its caller to publish: type and data, without the envelope,
 * so the caller can add its correlation and write it to the outbox in its own transaction.
 *
 * @example
 * ```ts
 * declare const result: FindOrCreateCustomerResult;
 * declare const bus: EventBus<BookingEvents>;
 * declare const tenantId: string;
 * declare const parent: DomainEvent<BookingEvents>;
 * // ---cut---
 * for (const draft of result.events) {
 *   bus.publish(bus.create(draft.type, draft.data, { tenantId, aggregateType: 'customer', aggregateId: result.customer.id, parent }));
 * }
 * ```
 */
export type CustomerEventDraft = {
  [T in CustomerEventType]: { readonly type: T; readonly data: EventData<BookingEvents, T> };
}[CustomerEventType];
