import { z } from 'zod';
import { Actor } from '../domain/origin.js';
import type { OperationOptions } from '../util/abort.js';
import type { Page, PageRequest } from './page.js';

const text = z.string().min(1);
const instant = z.iso.datetime({ offset: true });

/** One recorded event: what happened to which aggregate, when, from where and by whom. */
export const AuditEntry = z.object({
  eventId: text,
  type: text,
  tenantId: text,
  aggregateType: text,
  aggregateId: text,
  aggregateVersion: z.number().int().nonnegative(),
  /** Where the change came from (`api`, `voice`, `calcom`, `admin`, `reconciliation`, ...). */
  origin: text,
  /** Who did it, when the event names an actor (`bookedBy`, `cancelledBy`, ...); otherwise `null`. */
  actor: Actor.nullable(),
  correlationId: text,
  causationId: text.nullable(),
  /** When the event happened (its `time`). */
  occurredAt: instant,
  /** When the audit log recorded it. */
  recordedAt: instant,
  /** The event's data as published. */
  data: z.unknown(),
});
/** @see {@link AuditEntry} */
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Which aggregate's history to list. */
export interface AuditAggregate {
  readonly type: string;
  readonly id: string;
}

/**
 * An append-only record of domain events, per tenant and aggregate: who changed an appointment,
 * from which system, as part of which request. Appending is idempotent by event id, so a
 * redelivered event is recorded once.
 *
 * @example
 * ```ts
 * declare const auditLog: AuditLog;
 * declare const appointmentId: string;
 * // ---cut---
 * const history = await auditLog.listByAggregate('acme', { type: 'appointment', id: appointmentId });
 * ```
 */
export interface AuditLog {
  /** Records `entry`; answers `false` (and changes nothing) when its tenant and event id are recorded already. */
  append(entry: AuditEntry, options?: OperationOptions): Promise<boolean>;
  /**
   * Replaces the `data` of the tenant's entries of `aggregates` with what `rewrite` answers for
   * each (e.g. the data without personal fields), so that an erasure reaches the history too;
   * every other field of an entry stays. Idempotent when `rewrite` is: an entry whose data
   * `rewrite` leaves equal (as JSON) is not written.
   * @returns how many entries changed.
   */
  anonymise(
    tenantId: string,
    aggregates: readonly AuditAggregate[],
    rewrite: (entry: AuditEntry) => unknown,
    options?: OperationOptions,
  ): Promise<number>;
  /** Entries of one aggregate, oldest first (by `occurredAt`, then event id), one page at a time. */
  listByAggregate(
    tenantId: string,
    aggregate: AuditAggregate,
    page?: PageRequest,
    options?: OperationOptions,
  ): Promise<Page<AuditEntry>>;
}
