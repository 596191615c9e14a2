import { parseWith } from '../../errors/validation-error.js';
import { AuditEntry, type AuditAggregate, type AuditLog } from '../../ports/audit-log.js';
import type { Page, PageRequest } from '../../ports/page.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { requireTenantId } from '../../util/tenant-id.js';
import { pageOf } from './memory-paging.js';

/**
 * The embedded {@link AuditLog}, in process memory: entries are validated, kept once per tenant
 * and event id, and handed out as copies.
 *
 * @example
 * ```ts
 * declare const bus: EventBus<BookingEvents>;
 * declare const deps: Omit<BookingListenerDeps, 'auditLog'>;
 * // ---cut---
 * const auditLog = createMemoryAuditLog();
 * registerBookingListeners(bus, { ...deps, auditLog });
 * ```
 */
export function createMemoryAuditLog(): AuditLog {
  /** Entries by JSON [tenantId, aggregateType, aggregateId], each map keyed by event id. */
  const byAggregate = new Map<string, Map<string, AuditEntry>>();
  const seen = new Set<string>();
  const aggregateKey = (tenantId: string, type: string, id: string): string =>
    JSON.stringify([tenantId, type, id]);

  return {
    async append(entry: AuditEntry, options: OperationOptions = {}): Promise<boolean> {
      throwIfAborted(options.signal);
      const parsed = parseWith(AuditEntry, entry, 'audit entry');
      const eventKey = JSON.stringify([parsed.tenantId, parsed.eventId]);
      if (seen.has(eventKey)) return false;
      seen.add(eventKey);
      const key = aggregateKey(parsed.tenantId, parsed.aggregateType, parsed.aggregateId);
      let entries = byAggregate.get(key);
      if (!entries) byAggregate.set(key, (entries = new Map<string, AuditEntry>()));
      entries.set(parsed.eventId, structuredClone(parsed));
      return true;
    },

    async anonymise(
      tenantId: string,
      aggregates: readonly AuditAggregate[],
      rewrite: (entry: AuditEntry) => unknown,
      options: OperationOptions = {},
    ): Promise<number> {
      throwIfAborted(options.signal);
      const tenant = requireTenantId(tenantId);
      // Rewritten first and stored after, so a rewrite that throws leaves every entry as it was.
      const changes: [Map<string, AuditEntry>, AuditEntry][] = [];
      for (const aggregate of aggregates) {
        const entries = byAggregate.get(aggregateKey(tenant, aggregate.type, aggregate.id));
        for (const entry of entries?.values() ?? []) {
          const data = rewrite(structuredClone(entry));
          if (JSON.stringify(data) === JSON.stringify(entry.data)) continue;
          changes.push([entries!, parseWith(AuditEntry, { ...entry, data }, 'audit entry')]);
        }
      }
      for (const [entries, entry] of changes) entries.set(entry.eventId, structuredClone(entry));
      return changes.length;
    },

    async listByAggregate(
      tenantId: string,
      aggregate: AuditAggregate,
      page: PageRequest = {},
      options: OperationOptions = {},
    ): Promise<Page<AuditEntry>> {
      throwIfAborted(options.signal);
      const key = aggregateKey(requireTenantId(tenantId), aggregate.type, aggregate.id);
      const entries = byAggregate.get(key)?.values() ?? [];
      const result = pageOf(
        entries,
        (entry) => ({ time: Date.parse(entry.occurredAt), id: entry.eventId }),
        'asc',
        page,
      );
      return { items: result.items.map((entry) => structuredClone(entry)), nextCursor: result.nextCursor };
    },
  };
}
