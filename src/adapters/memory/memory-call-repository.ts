import { Call } from '../../domain/call.js';
import { CallUpsert, mergeCall, type CallPatch } from '../../domain/call-merge.js';
import { Id } from '../../domain/common.js';
import { anonymisedCall } from '../../domain/personal-data.js';
import { parseWith } from '../../errors/validation-error.js';
import { VersionConflictError } from '../../errors/store-errors.js';
import type { CallRepository, CallUpsertResult } from '../../ports/call-repository.js';
import type { Page, PageRequest } from '../../ports/page.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { requireTenantId } from '../../util/tenant-id.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { createMemoryDatabase, type StoreAccess } from './memory-database.js';
import { pageOf } from './memory-paging.js';
import { boundOf, checkExpectedVersion, copyIn, copyOut, requireVersion } from './memory-records.js';

/** When a call counts as started: when it did, or when it was registered if it has not yet. */
const startOf = (call: Call): number => Date.parse(call.startedAt ?? call.createdAt);

/**
 * A {@link CallRepository} over the memory tables reached through `access`.
 *
 * @internal
 */
export function callRepositoryOn(access: StoreAccess, clock: Clock): CallRepository {
  /** When a write that names no time happened: now on the stores' clock. */
  const now = (): string => new Date(clock.now()).toISOString();
  /** Merges `patch` into the stored call under the write lock; `null` when nothing changed. */
  const merge = (
    tenantId: string,
    patch: CallPatch,
    event: string | null,
    at: string,
    signal: AbortSignal | undefined,
  ): Promise<{ call: Call; applied: boolean }> =>
    access.write(({ calls }) => {
      const stored = calls.get(tenantId, patch.id) ?? null;
      const merged = mergeCall(stored, tenantId, patch, event, at);
      // Nothing to change (a duplicate event, or a link already there): the call is stored.
      if (merged === null) return { call: copyOut(stored as Call), applied: false };
      calls.put(copyIn(Call, merged, 'Call'));
      return { call: copyOut(merged), applied: true };
    }, signal);

  return {
    async upsert(tenantId, upsert, options: OperationOptions = {}): Promise<CallUpsertResult> {
      throwIfAborted(options.signal);
      const tenant = requireTenantId(tenantId);
      const { event, at, ...patch } = parseWith(CallUpsert, upsert, 'CallUpsert');
      return merge(tenant, patch, event, at ?? now(), options.signal);
    },

    async linkAppointment(tenantId, callId, appointmentId, options: OperationOptions = {}) {
      throwIfAborted(options.signal);
      const tenant = requireTenantId(tenantId);
      const id = parseWith(Id, callId, 'callId');
      const appointment = parseWith(Id, appointmentId, 'appointmentId');
      const patch = { id, appointmentIds: [appointment] };
      const { call } = await merge(tenant, patch, null, now(), options.signal);
      return call;
    },

    async save(call: Call, expectedVersion: number | null, options: OperationOptions = {}): Promise<void> {
      throwIfAborted(options.signal);
      if (expectedVersion !== null) checkExpectedVersion(expectedVersion);
      const record = copyIn(Call, call, 'Call');
      requireVersion('Call', record.version, expectedVersion === null ? 1 : expectedVersion + 1);
      await access.write(({ calls }) => {
        const stored = calls.get(record.tenantId, record.id);
        const actualVersion = stored?.version ?? null;
        if (actualVersion !== expectedVersion) {
          // Expected version 0 stands for "not stored yet".
          throw new VersionConflictError({
            entity: 'Call',
            id: record.id,
            expectedVersion: expectedVersion ?? 0,
            actualVersion,
          });
        }
        calls.put(record);
      }, options.signal);
    },

    async get(tenantId: string, id: string, options: OperationOptions = {}): Promise<Call | null> {
      throwIfAborted(options.signal);
      const stored = access.read().calls.get(requireTenantId(tenantId), id);
      return stored ? copyOut(stored) : null;
    },

    async anonymiseForCustomer(
      tenantId: string,
      customerId: string,
      options: OperationOptions = {},
    ): Promise<readonly string[]> {
      throwIfAborted(options.signal);
      const tenant = requireTenantId(tenantId);
      const customer = parseWith(Id, customerId, 'customerId');
      const at = now();
      return access.write(({ calls }) => {
        const changed: string[] = [];
        for (const call of calls.lookup('customer', tenant, customer)) {
          const erased = anonymisedCall(call, at);
          if (erased === null) continue;
          calls.put(copyIn(Call, erased, 'Call'));
          changed.push(call.id);
        }
        return changed;
      }, options.signal);
    },

    async list(
      tenantId: string,
      query: PageRequest & { readonly from?: string; readonly to?: string } = {},
      options: OperationOptions = {},
    ): Promise<Page<Call>> {
      throwIfAborted(options.signal);
      const tenant = requireTenantId(tenantId);
      const from = boundOf(query.from, 'from') ?? Number.NEGATIVE_INFINITY;
      const to = boundOf(query.to, 'to') ?? Number.POSITIVE_INFINITY;
      const inWindow = function* (): Iterable<Call> {
        for (const call of access.read().calls.scan(tenant)) {
          const start = startOf(call);
          if (start >= from && start < to) yield call;
        }
      };
      const page = pageOf(inWindow(), (call) => ({ time: startOf(call), id: call.id }), 'desc', query);
      return { items: page.items.map(copyOut), nextCursor: page.nextCursor };
    },
  };
}

/**
 * The embedded {@link CallRepository}, kept in process memory. Listings run newest first by the
 * time a call started (or was registered, while it has not started), then by id. A write whose
 * event names no time is stamped with `clock` (default the system clock).
 *
 * @example
 * ```ts
 * declare const call: Call;
 * // ---cut---
 * const calls = createMemoryCallRepository();
 * await calls.save(call, null);
 * ```
 */
export function createMemoryCallRepository(options: { readonly clock?: Clock } = {}): CallRepository {
  return callRepositoryOn(createMemoryDatabase().access, options.clock ?? systemClock);
}
