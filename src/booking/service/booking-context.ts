import type { EventBus } from '../../events/event-bus.js';
import type { EventMetadata } from '../../events/envelope.js';
import type { DomainEvent, EventDataInput, EventType } from '../../events/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { AppointmentRepository } from '../../ports/appointment-repository.js';
import type { TransactionalStores, UnitOfWork } from '../../ports/unit-of-work.js';
import type { SagaStore } from '../../saga/saga-store.js';
import type { IdempotencyStore } from '../../idempotency/idempotency-store.js';
import type { SagaTransactions } from '../../saga/saga-transactions.js';
import { NotFoundError } from '../../errors/store-errors.js';
import type { BookingEvents } from '../events.js';
import type { Appointment } from '../../domain/appointment.js';
import type { Actor, Origin } from '../../domain/origin.js';
import type { FindOrCreateCustomerResult } from '../customers/customer-service.js';
import type { CalendarGateway } from './calendar-gateway.js';
import type { AppointmentRef } from './commands.js';

/** A booking event type. @internal */
export type BookingEventType = EventType<BookingEvents>;

/** An event to write with a change: type, data, and the aggregate it belongs to. @internal */
export interface EventDraft<T extends BookingEventType = BookingEventType> {
  readonly type: T;
  readonly data: EventDataInput<BookingEvents, T>;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly aggregateVersion: number;
}

/** The customer events of a find-or-create, as drafts on the customer aggregate. @internal */
export function customerEventDrafts(found: FindOrCreateCustomerResult): EventDraft[] {
  return found.events.map((draft) => ({
    ...draft,
    aggregateType: 'customer',
    aggregateId: found.customer.id,
    aggregateVersion: found.customer.version,
  }));
}

/** Who and where a change came from, carried onto its events. @internal */
export interface ChangeOrigin {
  readonly tenantId: string;
  readonly origin: Origin;
  readonly actor: Actor;
  /** The request's correlation id (e.g. the idempotency key or a saga id). */
  readonly correlationId: string;
}

/**
 * What the sagas and commands of the booking service share.
 *
 * @internal
 */
export interface BookingContext {
  readonly appointments: AppointmentRepository;
  readonly unitOfWork: UnitOfWork<{ readonly sagas?: SagaStore; readonly idempotency?: IdempotencyStore }>;
  readonly bus: EventBus<BookingEvents>;
  readonly calendar: CalendarGateway;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** The current time as an ISO instant. @internal */
export function nowIso(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}

/**
 * The next version of an appointment: `changes` applied, version + 1, `updatedAt` now.
 *
 * @internal
 */
export function nextVersion(
  appointment: Appointment,
  changes: Partial<Appointment>,
  clock: Clock,
): Appointment {
  return { ...appointment, ...changes, version: appointment.version + 1, updatedAt: nowIso(clock) };
}

/**
 * A transaction of the booking service: the stores, the saga log when it lives in the same
 * database, and `record`, which writes events to the outbox in the transaction and publishes
 * them to the in-process listeners once it has committed.
 *
 * @internal
 */
export interface BookingTransaction extends TransactionalStores {
  readonly sagas?: SagaStore | undefined;
  /** The idempotency store, when it lives in the same database as the stores. */
  readonly idempotency?: IdempotencyStore | undefined;
  /** Writes the outbox messages of `drafts` in this transaction; they are published after the commit. */
  record(origin: ChangeOrigin, drafts: readonly EventDraft[]): Promise<void>;
}

/**
 * The transactions of the booking service's units of work, as its sagas' local steps run in.
 * An event recorded in one is never lost nor published for a change that was rolled back.
 *
 * @param sagaLog Whether the unit of work's saga store is the one the sagas are logged in (then a
 *   local step's completion is written in its own transaction).
 * @param idempotency Whether the unit of work's idempotency store is the service's (then a book,
 *   reschedule or cancel claims its key in its first transaction and
 *   stores its answer in its last).
 * @internal
 */
export function bookingTransactions(
  context: BookingContext,
  sagaLog: boolean,
  idempotency = false,
): SagaTransactions<BookingTransaction> {
  const { bus } = context;
  return {
    async run(work, options) {
      const published: DomainEvent<BookingEvents>[] = [];
      const result = await context.unitOfWork.run(async (stores) => {
        const tx: BookingTransaction = {
          appointments: stores.appointments,
          customers: stores.customers,
          calls: stores.calls,
          outbox: stores.outbox,
          sagas: sagaLog ? stores.sagas : undefined,
          idempotency: idempotency ? stores.idempotency : undefined,
          async record(origin, drafts) {
            const built = drafts.map((draft) => buildEvent(bus, origin, draft));
            const messages = built.flatMap((event) => bus.toOutboxMessages(event));
            if (messages.length > 0) await stores.outbox.append(messages);
            published.push(...built);
          },
        };
        return work(tx);
      }, options);
      for (const event of published) bus.publish(event, { enqueue: false });
      return result;
    },
  };
}

/**
 * Runs `work` in a unit of work and writes the outbox messages of its events in the same
 * transaction; once committed, publishes the events to the in-process listeners. An event is
 * thereby never lost nor published for a change that was rolled back.
 *
 * @internal
 */
export function commitWithEvents<T>(
  context: BookingContext,
  origin: ChangeOrigin,
  work: (
    stores: TransactionalStores,
  ) => Promise<{ readonly value: T; readonly events: readonly EventDraft[] }>,
): Promise<T> {
  return bookingTransactions(context, false).run(async (tx) => {
    const result = await work(tx);
    await tx.record(origin, result.events);
    return result.value;
  });
}

function buildEvent(
  bus: EventBus<BookingEvents>,
  origin: ChangeOrigin,
  draft: EventDraft,
): DomainEvent<BookingEvents> {
  const meta: EventMetadata = {
    tenantId: origin.tenantId,
    aggregateType: draft.aggregateType,
    aggregateId: draft.aggregateId,
    aggregateVersion: draft.aggregateVersion,
    origin: origin.origin,
    correlationId: origin.correlationId,
  };
  return bus.create(draft.type, draft.data, meta);
}

/**
 * An appointment event draft for `appointment` at its current version.
 *
 * @internal
 */
export function appointmentEvent<T extends BookingEventType>(
  type: T,
  appointment: Appointment,
  data: EventDataInput<BookingEvents, T>,
): EventDraft<T> {
  return {
    type,
    data,
    aggregateType: 'appointment',
    aggregateId: appointment.id,
    aggregateVersion: appointment.version,
  };
}

/**
 * Loads the appointment a command names, by id or by calendar uid.
 *
 * @throws {@link NotFoundError} when there is none in the tenant.
 * @internal
 */
export async function loadAppointment(
  appointments: AppointmentRepository,
  tenantId: string,
  ref: AppointmentRef,
  signal?: AbortSignal,
): Promise<Appointment> {
  const options = signal ? { signal } : {};
  const found =
    'appointmentId' in ref
      ? await appointments.get(tenantId, ref.appointmentId, options)
      : await appointments.findByCalendarUid(tenantId, ref.calendarBookingUid, options);
  if (!found) {
    const id = 'appointmentId' in ref ? ref.appointmentId : `calendar uid ${ref.calendarBookingUid}`;
    throw new NotFoundError({ entity: 'Appointment', id, tenantId });
  }
  return found;
}
