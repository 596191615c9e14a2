import type { AppointmentRepository } from './appointment-repository.js';
import type { CallRepository } from './call-repository.js';
import type { CustomerRepository } from './customer-repository.js';
import type { OutboxScrubber, OutboxWriter } from './outbox-store.js';
import type { OperationOptions } from '../util/abort.js';

/** The stores a unit of work gives its callback; writes through them commit or roll back together. */
export interface TransactionalStores {
  readonly appointments: AppointmentRepository;
  readonly customers: CustomerRepository;
  readonly calls: CallRepository;
  readonly outbox: OutboxWriter & OutboxScrubber;
}

/**
 * Runs work atomically across stores (`Extra` names stores beyond {@link TransactionalStores} that
 * the transactions cover, such as the saga log): an appointment change and the outbox messages of its
 * events are written in one transaction, so an event is never lost nor published for a change
 * that did not happen.
 *
 * @example
 * ```ts
 * declare const unitOfWork: UnitOfWork;
 * declare const confirmed: Appointment;
 * declare const appointment: Appointment;
 * declare const bus: EventBus<BookingEvents>;
 * declare const bookedEvent: DomainEvent<BookingEvents, 'appointment.booked'>;
 * // ---cut---
 * await unitOfWork.run(async (tx) => {
 *   await tx.appointments.update(confirmed, appointment.version);
 *   await tx.outbox.append(bus.toOutboxMessages(bookedEvent));
 * });
 * bus.publish(bookedEvent, { enqueue: false });
 * ```
 */
export interface UnitOfWork<Extra extends object = NoExtraStores> {
  /**
   * Runs `work` in a transaction: everything it wrote is kept if it resolves, and nothing is kept
   * if it throws (the error is rethrown).
   */
  run<T>(work: (stores: TransactionalStores & Extra) => Promise<T>, options?: OperationOptions): Promise<T>;
}

/**
 * The stores a {@link UnitOfWork} gives besides the {@link TransactionalStores}: none by default.
 * An adapter whose transactions also cover, say, the saga log says so in its `Extra` type.
 */
export type NoExtraStores = Record<never, never>;
