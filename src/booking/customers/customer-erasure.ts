import { z } from 'zod';
import type { Appointment } from '../../domain/appointment.js';
import { Id } from '../../domain/common.js';
import { Actor, Origin } from '../../domain/origin.js';
import { anonymisedAppointment, anonymisedCustomer } from '../../domain/personal-data.js';
import { NotFoundError } from '../../errors/store-errors.js';
import { parseWith } from '../../errors/validation-error.js';
import type { EventBus } from '../../events/event-bus.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import type { TransactionalStores, UnitOfWork } from '../../ports/unit-of-work.js';
import { resolveTenant } from '../../tenancy/resolve-tenant.js';
import type { TenantDirectory } from '../../tenancy/tenant-directory.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { requireOption } from '../../util/options.js';
import type { BookingEvents } from '../events.js';
import { erasedEventPayload } from './erased-event-data.js';

const FACTORY = 'createCustomerErasure';

const EraseCustomerInput = z.object({ tenantId: Id, customerId: Id });

/** Options of {@link CustomerErasure.eraseCustomer}. */
export interface EraseCustomerOptions extends OperationOptions {
  /** Where the request came from, the `origin` of `customer.erased`. @default 'admin' */
  readonly origin?: Origin;
  /** Who asked for the erasure, `erasedBy` of `customer.erased`. @default { type: 'system' } */
  readonly actor?: Actor;
  /** Correlation id of `customer.erased` (e.g. the request id). @default a new one */
  readonly correlationId?: string;
}

/**
 * What an erasure changed (counts, never the data). Erasing again answers zeros and
 * `customer: false`: nothing personal was left.
 */
export interface CustomerErasureResult {
  readonly tenantId: string;
  readonly customerId: string;
  /** Whether the customer record still held personal data (name, email, phone, locale). */
  readonly customer: boolean;
  /** Appointments of the customer whose free text (reason, caller metadata, sync error) was erased. */
  readonly appointments: number;
  /** Calls of the customer whose numbers, transcript or analysis were erased. */
  readonly calls: number;
  /** Outbox messages (events not yet delivered, dead, or kept) whose payload was scrubbed. */
  readonly outboxMessages: number;
  /** The id of the `customer.erased` event. */
  readonly eventId: string;
}

/** What {@link createCustomerErasure} needs. */
export interface CustomerErasureOptions {
  /** The stores and the unit of work that spans them; the erasure is one transaction. */
  readonly stores: { readonly unitOfWork: UnitOfWork };
  /** The bus over `bookingEvents`: `customer.erased` is written to the outbox with the erasure. */
  readonly bus: EventBus<BookingEvents>;
  /** When given, an unknown or inactive tenant is refused. @default none */
  readonly tenants?: TenantDirectory;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default silentLogger */
  readonly logger?: Logger;
}

/**
 * Erases customers' personal data.
 *
 * @example
 * ```ts
 * declare const erasure: CustomerErasure;
 * // ---cut---
 * const { customer, appointments, calls } = await erasure.eraseCustomer('acme', 'customer-1');
 * ```
 */
export interface CustomerErasure {
  /**
   * Erases the personal data of one customer of one tenant, in one transaction: the customer's
   * name, email, phone and locale; the free text of their appointments (which keep their times,
   * status, event type, ids and calendar uid for accounting and reconciliation); the numbers,
   * transcript and analysis of their calls; and the personal fields of the events of these
   * records still in the outbox. `customer.erased` (ids and counts only) is written to the outbox
   * in the same transaction; its audit listener (`registerAuditErasure`) anonymises the history.
   * Nothing is erased when any part fails. Idempotent: erasing again answers zeros.
   *
   * What it cannot reach: the calendar's copy of the booking (Cal.com keeps the attendee),
   * booking answers in the idempotency store (they hold the appointment, whose free text expires
   * with `idempotencyTtlMs`), and a voice-provider webhook that arrives after the erasure and
   * reports a call's analysis again.
   *
   * @throws {@link ValidationError} naming `tenantId` or `customerId` when one is not an id;
   *   {@link NotFoundError} (code `NOT_FOUND`, entity `customer`) for an unknown customer or
   *   another tenant's; `UnknownTenantError` when a tenant directory is given and does not know
   *   the tenant; the signal's reason when aborted.
   */
  eraseCustomer(
    tenantId: string,
    customerId: string,
    options?: EraseCustomerOptions,
  ): Promise<CustomerErasureResult>;
}

/** Every appointment of the customer, through the transaction's repository. */
async function appointmentsOf(
  tx: TransactionalStores,
  tenantId: string,
  customerId: string,
  signal: AbortSignal | undefined,
): Promise<Appointment[]> {
  const all: Appointment[] = [];
  let cursor: string | undefined;
  do {
    const page = await tx.appointments.list(
      tenantId,
      { customerId, limit: 100, ...(cursor ? { cursor } : {}) },
      signal ? { signal } : {},
    );
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

/**
 * Creates the customer erasure: the data-protection command that erases one customer's personal
 * data from every store (see {@link CustomerErasure.eraseCustomer}).
 *
 * @throws {@link InvalidOptionError} for missing stores or bus.
 * @example
 * ```ts
 * const stores = createMemoryStores();
 * const bus = createEventBus({ catalog: bookingEvents, outbox: stores.outbox });
 * const erasure = createCustomerErasure({ stores, bus });
 * const result = await erasure.eraseCustomer('acme', 'customer-1', { actor: { type: 'staff', id: 'dpo' } });
 * console.log(result.appointments, result.calls);
 * ```
 */
export function createCustomerErasure(options: CustomerErasureOptions): CustomerErasure {
  const stores = requireOption(
    FACTORY,
    options,
    'stores',
    'the stores, e.g. createMemoryStores()',
    (v) => typeof (v as { unitOfWork?: { run?: unknown } } | undefined)?.unitOfWork?.run === 'function',
  );
  const bus = requireOption(
    FACTORY,
    options,
    'bus',
    'an EventBus over bookingEvents',
    (v) => typeof (v as { toOutboxMessages?: unknown } | undefined)?.toOutboxMessages === 'function',
  );
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;

  return {
    async eraseCustomer(tenantId, customerId, callOptions = {}) {
      const input = parseWith(EraseCustomerInput, { tenantId, customerId }, 'eraseCustomer input');
      const origin = parseWith(Origin, callOptions.origin ?? 'admin', 'origin');
      const actor = parseWith(Actor, callOptions.actor ?? { type: 'system' }, 'actor');
      const { signal } = callOptions;
      const operation = signal ? { signal } : {};
      throwIfAborted(signal);
      if (options.tenants) await resolveTenant(options.tenants, { tenantId: input.tenantId }, operation);

      const { result, event } = await stores.unitOfWork.run(async (tx) => {
        const at = new Date(clock.now()).toISOString();
        const customer = await tx.customers.get(input.tenantId, input.customerId, operation);
        if (!customer) throw new NotFoundError({ entity: 'customer', id: input.customerId });
        // The customer first: a concurrent command that read it before now fails its version check.
        const erasedCustomer = anonymisedCustomer(customer, at);
        if (erasedCustomer) await tx.customers.update(erasedCustomer, customer.version, operation);

        const appointments = await appointmentsOf(tx, input.tenantId, input.customerId, signal);
        let changedAppointments = 0;
        for (const appointment of appointments) {
          const erased = anonymisedAppointment(appointment, at);
          if (!erased) continue;
          await tx.appointments.update(erased, appointment.version, operation);
          changedAppointments += 1;
        }
        const callIds = await tx.calls.anonymiseForCustomer(input.tenantId, input.customerId, operation);

        const key = (type: string, id: string): string => `${input.tenantId}/${type}/${id}`;
        const outboxMessages = await tx.outbox.scrub(
          {
            tenantId: input.tenantId,
            orderingKeys: [
              key('customer', input.customerId),
              ...appointments.map((a) => key('appointment', a.id)),
              ...callIds.map((id) => key('call', id)),
            ],
          },
          erasedEventPayload,
          operation,
        );

        const erasedEvent = bus.create(
          'customer.erased',
          {
            customerId: input.customerId,
            customer: erasedCustomer !== null,
            appointmentIds: appointments.map((a) => a.id),
            callIds: [...callIds],
            outboxMessages,
            erasedBy: actor,
          },
          {
            tenantId: input.tenantId,
            aggregateType: 'customer',
            aggregateId: input.customerId,
            aggregateVersion: erasedCustomer?.version ?? customer.version,
            origin,
            ...(callOptions.correlationId ? { correlationId: callOptions.correlationId } : {}),
          },
        );
        await tx.outbox.append(bus.toOutboxMessages(erasedEvent), operation);
        const counts: CustomerErasureResult = {
          tenantId: input.tenantId,
          customerId: input.customerId,
          customer: erasedCustomer !== null,
          appointments: changedAppointments,
          calls: callIds.length,
          outboxMessages,
          eventId: erasedEvent.id,
        };
        return { result: counts, event: erasedEvent };
      }, operation);

      bus.publish(event, { enqueue: false });
      // Ids and counts only: what was erased is never logged.
      logger.info(
        {
          tenantId: result.tenantId,
          customerId: result.customerId,
          appointments: result.appointments,
          calls: result.calls,
          outboxMessages: result.outboxMessages,
        },
        'customer personal data erased',
      );
      return result;
    },
  };
}
