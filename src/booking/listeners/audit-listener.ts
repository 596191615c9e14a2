import type { BookingEvents } from '../events.js';
import { Actor } from '../../domain/origin.js';
import type { DomainEvent, EventType } from '../../events/catalog.js';
import { erasedEventData } from '../customers/erased-event-data.js';
import type { EventBus } from '../../events/event-bus.js';
import type { EventEnvelope } from '../../events/envelope.js';
import type { AuditEntry, AuditLog } from '../../ports/audit-log.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { Disposable } from '../../util/disposable.js';
import {
  disposeAll,
  requireBus,
  requireDependency,
  type BookingListenerOptions,
} from './listener-support.js';

/** What {@link registerAuditTrail} needs. */
export interface AuditTrailDeps {
  readonly auditLog: AuditLog;
  /** Stamps `recordedAt`. @default systemClock */
  readonly clock?: Clock;
}

/** Data fields that name who caused an event, in the booking catalog. */
const ACTOR_FIELDS = [
  'bookedBy',
  'rescheduledBy',
  'cancelledBy',
  'confirmedBy',
  'markedBy',
  'requestedBy',
  'erasedBy',
] as const;

/**
 * The actor an event's data names (`bookedBy`, `cancelledBy`, ...), or `null`.
 *
 * @example
 * ```ts
 * actorOf({ appointmentId: 'a1', cancelledBy: { type: 'customer', id: 'c1' } }); // { type: 'customer', id: 'c1' }
 * ```
 */
export function actorOf(data: unknown): Actor | null {
  if (typeof data !== 'object' || data === null) return null;
  for (const field of ACTOR_FIELDS) {
    const parsed = Actor.safeParse((data as Record<string, unknown>)[field]);
    if (parsed.success) return parsed.data;
  }
  return null;
}

/**
 * Turns an event into an audit entry.
 *
 * @example
 * ```ts
 * declare const auditLog: AuditLog;
 * declare const event: DomainEvent<BookingEvents>;
 * // ---cut---
 * await auditLog.append(toAuditEntry(event, new Date().toISOString()));
 * ```
 */
export function toAuditEntry(event: EventEnvelope, recordedAt: string): AuditEntry {
  return {
    eventId: event.id,
    type: event.type,
    tenantId: event.tenantId,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    aggregateVersion: event.aggregateVersion,
    origin: event.origin,
    actor: actorOf(event.data),
    correlationId: event.correlationId,
    causationId: event.causationId,
    occurredAt: event.time,
    recordedAt,
    data: event.data,
  };
}

/**
 * Takes the personal data out of the recorded history of an erased customer: the entries of the
 * customer, of their appointments and of their calls keep everything but the personal fields of
 * their data (see `erasedEventData`).
 */
async function eraseHistory(
  auditLog: AuditLog,
  event: DomainEvent<BookingEvents, 'customer.erased'>,
  signal: AbortSignal,
): Promise<void> {
  const { customerId, appointmentIds, callIds } = event.data;
  await auditLog.anonymise(
    event.tenantId,
    [
      { type: 'customer', id: customerId },
      ...appointmentIds.map((id) => ({ type: 'appointment', id })),
      ...callIds.map((id) => ({ type: 'call', id })),
    ],
    (entry) => erasedEventData(entry.type, entry.data),
    { signal },
  );
}

/**
 * Registers a queued listener for every event type of the bus's catalog that appends the event
 * to the {@link AuditLog}, with its origin, actor, correlation and causation, so each change can
 * be traced to the request and the system it came from. Appends are idempotent by event id.
 * On `customer.erased` it also anonymises the erased customer's history (`AuditLog.anonymise`):
 * delivered through the outbox, this happens once the erasure committed, and is retried until
 * it succeeds.
 *
 * @throws `InvalidOptionError` naming `registerAuditTrail` and `auditLog` when the audit log is missing.
 * @returns a disposable that removes the listeners.
 * @example
 * ```ts
 * declare const bus: EventBus<BookingEvents>;
 * // ---cut---
 * registerAuditTrail(bus, { auditLog: createMemoryAuditLog() });
 * ```
 */
export function registerAuditTrail(
  bus: EventBus<BookingEvents>,
  deps: AuditTrailDeps,
  options: BookingListenerOptions = {},
): Disposable {
  requireBus('registerAuditTrail', bus);
  const auditLog = requireDependency('registerAuditTrail', deps, 'auditLog');
  const clock = deps.clock ?? systemClock;
  return disposeAll(
    bus.catalog.types.map((type) =>
      bus.on(
        type as EventType<BookingEvents>,
        async (event, { signal }) => {
          await auditLog.append(toAuditEntry(event, new Date(clock.now()).toISOString()), { signal });
          if (event.type === 'customer.erased') await eraseHistory(auditLog, event, signal);
        },
        {
          queued: true,
          name: `audit:${type}`,
          ...(options.retry === undefined ? {} : { retry: options.retry }),
        },
      ),
    ),
  );
}
