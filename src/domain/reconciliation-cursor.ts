import { z } from 'zod';
import { Id, Instant } from './common.js';

/**
 * Where a tenant's reconciliation stands: from which last change an incremental run reads each
 * side, and when the last full run finished. `null` means "never": the next run reads from the
 * start (a full run).
 *
 * @example
 * ```ts
 * const cursor = ReconciliationCursor.parse({
 *   tenantId: 'acme',
 *   localUpdatedSince: '2026-01-05T08:00:00.000Z',
 *   remoteUpdatedSince: '2026-01-05T07:59:00.000Z',
 *   lastFullRunAt: '2026-01-05T03:00:00.000Z',
 *   updatedAt: '2026-01-05T08:00:05.000Z',
 * });
 * ```
 */
export const ReconciliationCursor = z.object({
  tenantId: Id,
  /** The local appointments' `updatedAt` the next incremental run lists from (inclusive). */
  localUpdatedSince: Instant.nullable(),
  /** The calendar bookings' `updatedAt` the next incremental run lists from (inclusive). */
  remoteUpdatedSince: Instant.nullable(),
  /** When the last full run (the whole window, both sides) finished. */
  lastFullRunAt: Instant.nullable(),
  /** When this cursor was saved. */
  updatedAt: Instant,
});
/** @see {@link ReconciliationCursor} */
export type ReconciliationCursor = z.infer<typeof ReconciliationCursor>;
