import type { SortKey } from './memory-paging.js';
import { createSortedList, type SortedList } from './sorted-list.js';

/** What every stored record has: its tenant and its id within the tenant. */
export interface TenantRecord {
  readonly tenantId: string;
  readonly id: string;
}

/**
 * An ordered index: within a tenant, records fall into partitions (a resource, a customer…) and
 * each partition is kept sorted by (time, id).
 *
 * @internal
 */
export interface OrderedIndex<V> {
  /** The partition of the record within its tenant, or `null` to leave it out of this index. */
  partition(record: V): string | null;
  /** Its place in the order (epoch ms). */
  time(record: V): number;
  /** How long it lasts from `time` (ms), so a window query knows how far back to start. */
  span(record: V): number;
}

/**
 * The indexes of a table: exact-match lookups (`L`) and ordered indexes (`O`).
 *
 * @internal
 */
export interface TableSchema<V, L extends string, O extends string> {
  /** Per lookup: the keys a record is found under within its tenant. */
  readonly lookups: Readonly<Record<L, (record: V) => readonly string[]>>;
  readonly orders: Readonly<Record<O, OrderedIndex<V>>>;
}

/**
 * Records of one kind, partitioned by tenant and indexed by its schema, so that no query needs to
 * visit every record. Records are stored as given: callers copy them in and out.
 *
 * @internal
 */
export interface TenantTable<V extends TenantRecord, L extends string = never, O extends string = never> {
  readonly schema: TableSchema<V, L, O>;
  get(tenantId: string, id: string): V | undefined;
  /** Inserts or replaces the record under its own tenant and id, and re-indexes it. */
  put(record: V): void;
  /** Every record of the tenant, in insertion order. */
  scan(tenantId: string): Iterable<V>;
  /** Records of the tenant found under `key` in `index`, in the order they got that key. */
  lookup(index: L, tenantId: string, key: string): V[];
  /** Records of one partition of `index`, ordered by (time, id), from `from` on (inclusive). */
  ordered(index: O, tenantId: string, partition: string, from: SortKey): Iterable<V>;
  /** The longest span of a record ever put in the partition (0 when none was). */
  longest(index: O, tenantId: string, partition: string): number;
}

/**
 * A table whose writes are staged on top of another until `commit` copies them down. Reads see
 * the staged writes over the base; the base, and so its indexes, is untouched until `commit`.
 *
 * @internal
 */
export interface OverlayTable<
  V extends TenantRecord,
  L extends string = never,
  O extends string = never,
> extends TenantTable<V, L, O> {
  /** Writes every staged record to the base table. */
  commit(): void;
}

const NO_INDEXES: TableSchema<never, never, never> = { lookups: {}, orders: {} };

const keyOf = (tenantId: string, key: string): string => `${tenantId}\u0000${key}`;

interface Partition<V> {
  readonly list: SortedList<V>;
  longest: number;
}

function entries<T extends string, F>(record: Readonly<Record<T, F>>): [T, F][] {
  return Object.entries(record) as [T, F][];
}

/** @internal */
export function createTenantTable<V extends TenantRecord, L extends string = never, O extends string = never>(
  schema: TableSchema<V, L, O> = NO_INDEXES as TableSchema<V, L, O>,
): TenantTable<V, L, O> {
  const tenants = new Map<string, Map<string, V>>();
  const lookups = new Map<L, Map<string, Set<string>>>();
  const orders = new Map<O, Map<string, Partition<V>>>();
  for (const [name] of entries(schema.lookups)) lookups.set(name, new Map());
  for (const [name] of entries(schema.orders)) orders.set(name, new Map());

  const unindex = (old: V, next: V): void => {
    for (const [name, keysOf] of entries(schema.lookups)) {
      const keep = new Set(keysOf(next));
      const map = lookups.get(name)!;
      for (const key of keysOf(old)) {
        if (keep.has(key)) continue;
        const ids = map.get(keyOf(old.tenantId, key));
        ids?.delete(old.id);
        if (ids?.size === 0) map.delete(keyOf(old.tenantId, key));
      }
    }
    for (const [name, index] of entries(schema.orders)) {
      const partition = index.partition(old);
      if (partition === null) continue;
      orders
        .get(name)!
        .get(keyOf(old.tenantId, partition))
        ?.list.remove({ time: index.time(old), id: old.id });
    }
  };

  const index = (record: V): void => {
    for (const [name, keysOf] of entries(schema.lookups)) {
      const map = lookups.get(name)!;
      for (const key of keysOf(record)) {
        const composite = keyOf(record.tenantId, key);
        let ids = map.get(composite);
        if (!ids) map.set(composite, (ids = new Set()));
        // A key the record already had keeps its place in the order.
        ids.add(record.id);
      }
    }
    for (const [name, spec] of entries(schema.orders)) {
      const partition = spec.partition(record);
      if (partition === null) continue;
      const map = orders.get(name)!;
      const composite = keyOf(record.tenantId, partition);
      let found = map.get(composite);
      if (!found) map.set(composite, (found = { list: createSortedList<V>(), longest: 0 }));
      found.list.insert({ time: spec.time(record), id: record.id, value: record });
      found.longest = Math.max(found.longest, spec.span(record));
    }
  };

  const table: TenantTable<V, L, O> = {
    schema,
    get: (tenantId, id) => tenants.get(tenantId)?.get(id),
    put(record) {
      let rows = tenants.get(record.tenantId);
      if (!rows) tenants.set(record.tenantId, (rows = new Map<string, V>()));
      const old = rows.get(record.id);
      if (old) unindex(old, record);
      rows.set(record.id, record);
      index(record);
    },
    scan: (tenantId) => tenants.get(tenantId)?.values() ?? [],
    lookup(name, tenantId, key) {
      const ids = lookups.get(name)?.get(keyOf(tenantId, key));
      if (!ids) return [];
      const rows = tenants.get(tenantId);
      return [...ids].flatMap((id) => rows?.get(id) ?? []);
    },
    *ordered(name, tenantId, partition, from) {
      const found = orders.get(name)?.get(keyOf(tenantId, partition));
      if (!found) return;
      for (const entry of found.list.from(from)) yield entry.value;
    },
    longest: (name, tenantId, partition) => orders.get(name)?.get(keyOf(tenantId, partition))?.longest ?? 0,
  };
  return table;
}
