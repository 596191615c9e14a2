import { VersionConflictError } from '../../errors/store-errors.js';
import type {
  SagaClaimRequest,
  SagaCreateResult,
  SagaPurgeOptions,
  SagaQuery,
  SagaRecord,
  SagaSaveOptions,
  SagaStore,
} from '../../saga/saga-store.js';
import { LIVE_SAGA_STATES, PURGEABLE_SAGA_STATES } from '../../saga/saga-store.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { checkNumberOption, numberOption } from '../../util/options.js';
import { optionalTenantId } from '../../util/tenant-id.js';

/**
 * The embedded {@link SagaStore}: a real implementation of the contract, kept in process memory.
 * Records are copied when written and handed out deep-frozen, so callers never share mutable
 * state with the store (as with a database); a new version shares the unchanged parts of the old
 * one. Suitable for tests, development and single-process
 * deployments that accept losing sagas on restart; use the Postgres store when a restart must
 * resume them.
 *
 * @example
 * ```ts
 * declare const transferSaga: RegisteredSaga;
 * // ---cut---
 * const coordinator = createSagaCoordinator({ store: createMemorySagaStore(), sagas: [transferSaga] });
 * ```
 */
export function createMemorySagaStore(): SagaStore {
  const records = new Map<string, SagaRecord>();
  /** The purgeable sagas (ended cleanly) by id, with when they finished: what `purge` looks at. */
  const finished = new Map<string, number>();
  const store = (record: SagaRecord): void => {
    records.set(record.id, record);
    if (PURGEABLE_SAGA_STATES.includes(record.state)) finished.set(record.id, record.updatedAt);
    else finished.delete(record.id);
  };
  /** Every object of a stored record: deep-frozen, so a new version may share them with the old. */
  const frozen = new WeakSet<object>();
  const snapshot = <T>(value: T): T => {
    if (typeof value !== 'object' || value === null || frozen.has(value)) return value;
    let copy: object;
    if (Array.isArray(value)) copy = value.map(snapshot);
    else {
      const fields: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value)) fields[key] = snapshot(child);
      copy = fields;
    }
    frozen.add(Object.freeze(copy));
    return copy as T;
  };

  const conflict = (id: string, expected: number, actual: number | null): VersionConflictError =>
    new VersionConflictError({ entity: 'saga', id, expectedVersion: expected, actualVersion: actual });

  return {
    async create(record: SagaRecord, options: OperationOptions = {}): Promise<SagaCreateResult> {
      throwIfAborted(options.signal);
      const existing = records.get(record.id);
      if (existing) return { record: existing, created: false };
      const stored = snapshot(record);
      store(stored);
      return { record: stored, created: true };
    },

    async get(id: string, options: OperationOptions = {}): Promise<SagaRecord | undefined> {
      throwIfAborted(options.signal);
      return records.get(id);
    },

    async save(record: SagaRecord, options: SagaSaveOptions): Promise<SagaRecord> {
      throwIfAborted(options.signal);
      const stored = records.get(record.id);
      if (!stored) throw conflict(record.id, record.version, null);
      if (stored.version !== record.version || stored.leaseOwner !== options.owner) {
        throw conflict(record.id, record.version, stored.version);
      }
      const next = snapshot({
        ...record,
        name: stored.name,
        tenantId: stored.tenantId,
        input: stored.input,
        recoveries: stored.recoveries,
        createdAt: stored.createdAt,
        version: stored.version + 1,
      });
      store(next);
      return next;
    },

    async claim(request: SagaClaimRequest): Promise<SagaRecord[]> {
      throwIfAborted(request.signal);
      const limit = numberOption('limit', request.limit, 0, { integer: true, max: 10_000 });
      const names = new Set(request.names);
      const candidates = [...records.values()]
        .filter(
          (r) =>
            LIVE_SAGA_STATES.includes(r.state) &&
            names.has(r.name) &&
            (request.id === undefined || r.id === request.id) &&
            (r.leaseExpiresAt === null || r.leaseExpiresAt < request.now),
        )
        .sort((a, b) => (a.leaseExpiresAt ?? -1) - (b.leaseExpiresAt ?? -1) || compareIds(a.id, b.id))
        .slice(0, limit);
      return candidates.map((record) => {
        const claimed = snapshot({
          ...record,
          leaseOwner: request.owner,
          leaseExpiresAt: request.now + request.leaseMs,
          recoveries: record.recoveries + 1,
          version: record.version + 1,
          updatedAt: request.now,
        });
        store(claimed);
        return claimed;
      });
    },

    async list(query: SagaQuery = {}): Promise<SagaRecord[]> {
      throwIfAborted(query.signal);
      const limit = numberOption('limit', query.limit, 100, { integer: true, max: 10_000 });
      const { states, name, leaseExpiredBefore, afterId } = query;
      const tenantId = optionalTenantId(query.tenantId);
      return [...records.values()]
        .filter(
          (r) =>
            (states === undefined || states.includes(r.state)) &&
            (name === undefined || r.name === name) &&
            (tenantId === undefined || r.tenantId === tenantId) &&
            (leaseExpiredBefore === undefined ||
              (r.leaseExpiresAt !== null && r.leaseExpiresAt < leaseExpiredBefore)) &&
            (afterId === undefined || compareIds(r.id, afterId) > 0),
        )
        .sort((a, b) => compareIds(a.id, b.id))
        .slice(0, limit);
    },

    async purge(options: SagaPurgeOptions): Promise<number> {
      throwIfAborted(options.signal);
      const before = checkNumberOption('finishedBefore', options.finishedBefore, {
        min: -Number.MAX_SAFE_INTEGER,
      });
      const candidates =
        options.id === undefined ? [...finished.keys()] : finished.has(options.id) ? [options.id] : [];
      let removed = 0;
      for (const id of candidates) {
        if (finished.get(id)! >= before) continue;
        finished.delete(id);
        records.delete(id);
        removed += 1;
      }
      return removed;
    },
  };
}

/** Byte-wise order, the same as Postgres's `COLLATE "C"` on the id column. */
function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
