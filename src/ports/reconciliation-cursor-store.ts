import type { ReconciliationCursor } from '../domain/reconciliation-cursor.js';
import type { OperationOptions } from '../util/abort.js';

export type { ReconciliationCursor };

/**
 * Where each tenant's reconciliation cursor is kept between runs: one cursor per tenant, read
 * before a run and replaced after it (last save wins). A store never returns another tenant's
 * cursor; a cursor is validated as it is saved (its instants normalised to UTC with
 * milliseconds), so what `get` answers is what a `save` stored.
 *
 * @example
 * ```ts
 * declare const cursors: ReconciliationCursorStore;
 * // ---cut---
 * const cursor = await cursors.get('acme'); // null before the first run
 * await cursors.save({
 *   tenantId: 'acme',
 *   localUpdatedSince: '2026-01-05T08:00:00.000Z',
 *   remoteUpdatedSince: '2026-01-05T08:00:00.000Z',
 *   lastFullRunAt: cursor?.lastFullRunAt ?? null,
 *   updatedAt: '2026-01-05T08:00:05.000Z',
 * });
 * ```
 */
export interface ReconciliationCursorStore {
  /**
   * The tenant's cursor, or `null` when none was saved.
   * @throws `ValidationError` for an invalid tenant id.
   */
  get(tenantId: string, options?: OperationOptions): Promise<ReconciliationCursor | null>;
  /**
   * Stores the tenant's cursor, replacing the one it had.
   * @throws `ValidationError` naming the field for an invalid cursor.
   */
  save(cursor: ReconciliationCursor, options?: OperationOptions): Promise<void>;
}
