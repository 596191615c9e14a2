/** What every stored record has: its tenant and its id within the tenant. */
export interface TenantRecord {
  readonly tenantId: string;
  readonly id: string;
}

/**
 * Records of one kind, partitioned by tenant. Records are stored as given: callers copy them in
 * and out.
 *
 * @internal
 */
export interface TenantTable<V extends TenantRecord> {
  get(tenantId: string, id: string): V | undefined;
  /** Inserts or replaces the record under its own tenant and id. */
  put(record: V): void;
  /** Every record of the tenant, in insertion order. */
  scan(tenantId: string): Iterable<V>;
}

/**
 * A table whose writes are staged on top of another until `commit` copies them down. Reads see
 * the staged writes over the base.
 *
 * @internal
 */
export interface OverlayTable<V extends TenantRecord> extends TenantTable<V> {
  /** Writes every staged record to the base table. */
  commit(): void;
}

/** @internal */
export function createTenantTable<V extends TenantRecord>(): TenantTable<V> {
  const tenants = new Map<string, Map<string, V>>();
  return {
    get: (tenantId, id) => tenants.get(tenantId)?.get(id),
    put(record) {
      let rows = tenants.get(record.tenantId);
      if (!rows) tenants.set(record.tenantId, (rows = new Map<string, V>()));
      rows.set(record.id, record);
    },
    scan: (tenantId) => tenants.get(tenantId)?.values() ?? [],
  };
}

/** @internal */
export function createOverlayTable<V extends TenantRecord>(base: TenantTable<V>): OverlayTable<V> {
  const staged = createTenantTable<V>();
  const touched: V[] = [];
  return {
    get: (tenantId, id) => staged.get(tenantId, id) ?? base.get(tenantId, id),
    put(record) {
      staged.put(record);
      touched.push(record);
    },
    *scan(tenantId) {
      const seen = new Set<string>();
      for (const record of base.scan(tenantId)) {
        seen.add(record.id);
        yield staged.get(tenantId, record.id) ?? record;
      }
      for (const record of staged.scan(tenantId)) if (!seen.has(record.id)) yield record;
    },
    commit() {
      // Latest staged version of each record wins; `touched` keeps the order of first writes.
      for (const record of touched) base.put(staged.get(record.tenantId, record.id) ?? record);
    },
  };
}
