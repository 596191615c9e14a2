import { compareKeys as compare, type SortKey } from './memory-paging.js';
import type { OverlayTable, TenantRecord, TenantTable } from './memory-table.js';

/**
 * A table staging its writes over `base` (a unit of work's view). Queries ask the base's indexes
 * and correct their answers with the staged records, which are few: a staged record replaces its
 * base version wherever it now belongs, and the base is not touched until `commit`, so dropping
 * the overlay (a rollback) leaves the base and its indexes exactly as they were.
 *
 * @internal
 */
export function createOverlayTable<V extends TenantRecord, L extends string, O extends string>(
  base: TenantTable<V, L, O>,
): OverlayTable<V, L, O> {
  const { schema } = base;
  const staged = new Map<string, Map<string, V>>();
  const touched: V[] = [];
  const stagedOf = (tenantId: string): Map<string, V> => staged.get(tenantId) ?? new Map<string, V>();

  return {
    schema,
    get: (tenantId, id) => staged.get(tenantId)?.get(id) ?? base.get(tenantId, id),
    put(record) {
      let rows = staged.get(record.tenantId);
      if (!rows) staged.set(record.tenantId, (rows = new Map<string, V>()));
      rows.set(record.id, record);
      touched.push(record);
    },
    *scan(tenantId) {
      const mine = stagedOf(tenantId);
      for (const record of base.scan(tenantId)) yield mine.get(record.id) ?? record;
      for (const record of mine.values()) if (!base.get(tenantId, record.id)) yield record;
    },
    lookup(name, tenantId, key) {
      const mine = stagedOf(tenantId);
      const has = (record: V): boolean => schema.lookups[name](record).includes(key);
      const result: V[] = [];
      for (const record of base.lookup(name, tenantId, key)) {
        const current = mine.get(record.id) ?? record;
        if (has(current)) result.push(current);
      }
      for (const record of mine.values()) {
        if (has(record) && !result.includes(record)) result.push(record);
      }
      return result;
    },
    *ordered(name, tenantId, partition, from) {
      const mine = stagedOf(tenantId);
      const index = schema.orders[name];
      const keyed = (record: V): SortKey => ({ time: index.time(record), id: record.id });
      const extra = [...mine.values()]
        .filter((record) => index.partition(record) === partition && compare(keyed(record), from) >= 0)
        .sort((a, b) => compare(keyed(a), keyed(b)));
      let next = 0;
      for (const record of base.ordered(name, tenantId, partition, from)) {
        if (mine.has(record.id)) continue;
        while (next < extra.length && compare(keyed(extra[next]!), keyed(record)) < 0) yield extra[next++]!;
        yield record;
      }
      while (next < extra.length) yield extra[next++]!;
    },
    longest(name, tenantId, partition) {
      const index = schema.orders[name];
      let longest = base.longest(name, tenantId, partition);
      for (const record of stagedOf(tenantId).values()) {
        if (index.partition(record) === partition) longest = Math.max(longest, index.span(record));
      }
      return longest;
    },
    commit() {
      // Latest staged version of each record wins; `touched` keeps the order of first writes.
      for (const record of touched) base.put(staged.get(record.tenantId)?.get(record.id) ?? record);
    },
  };
}
