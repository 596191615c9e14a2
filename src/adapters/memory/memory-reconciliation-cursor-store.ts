import { ReconciliationCursor } from '../../domain/reconciliation-cursor.js';
import { parseWith } from '../../errors/validation-error.js';
import type { ReconciliationCursorStore } from '../../ports/reconciliation-cursor-store.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { requireTenantId } from '../../util/tenant-id.js';

/**
 * The embedded {@link ReconciliationCursorStore}: one cursor per tenant in process memory, for a
 * single instance and for tests (`createMemoryStores` includes one as `reconciliationCursors`).
 * Cursors are validated and copied as they are saved, and copied as they are read.
 *
 * @example
 * ```ts
 * const cursors = createMemoryReconciliationCursorStore();
 * await cursors.save({
 *   tenantId: 'acme',
 *   localUpdatedSince: null,
 *   remoteUpdatedSince: null,
 *   lastFullRunAt: '2026-01-05T03:00:00.000Z',
 *   updatedAt: '2026-01-05T03:00:00.000Z',
 * });
 * ```
 */
export function createMemoryReconciliationCursorStore(): ReconciliationCursorStore {
  const cursors = new Map<string, ReconciliationCursor>();
  return {
    async get(tenantId: string, options: OperationOptions = {}): Promise<ReconciliationCursor | null> {
      throwIfAborted(options.signal);
      const found = cursors.get(requireTenantId(tenantId));
      return found ? { ...found } : null;
    },
    async save(cursor: ReconciliationCursor, options: OperationOptions = {}): Promise<void> {
      throwIfAborted(options.signal);
      // The parsed copy is the store's own: the caller's object is never kept.
      const parsed = parseWith(ReconciliationCursor, cursor, 'reconciliation cursor');
      cursors.set(parsed.tenantId, parsed);
    },
  };
}
