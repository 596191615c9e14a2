import type { Call } from '../domain/call.js';
import type { OperationOptions } from '../util/abort.js';
import type { Page, PageRequest } from './page.js';

/**
 * Voice calls of every tenant, scoped by `tenantId`. Call ids come from the voice provider, and
 * its webhooks arrive out of order and more than once, so writes are upserts guarded by version.
 *
 * @example
 * ```ts
 * declare const calls: CallRepository;
 * declare const call: Call;
 * // ---cut---
 * await calls.save(call, null); // first sighting
 * await calls.save({ ...call, status: 'ended', version: 2 }, 1);
 * ```
 */
export interface CallRepository {
  /**
   * Inserts (`expectedVersion` `null`: the call must not exist yet) or replaces a call at
   * `expectedVersion`.
   * @throws {@link VersionConflictError} when the call exists (insert) or its version differs (update).
   */
  save(call: Call, expectedVersion: number | null, options?: OperationOptions): Promise<void>;
  get(tenantId: string, id: string, options?: OperationOptions): Promise<Call | null>;
  /** Calls that started in `[from, to)`, newest first. */
  list(
    tenantId: string,
    query?: PageRequest & { readonly from?: string; readonly to?: string },
    options?: OperationOptions,
  ): Promise<Page<Call>>;
}
