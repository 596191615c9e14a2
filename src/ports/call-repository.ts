import type { Call } from '../domain/call.js';
import type { CallUpsert } from '../domain/call-merge.js';
import type { OperationOptions } from '../util/abort.js';
import type { Page, PageRequest } from './page.js';

/**
 * What {@link CallRepository.upsert} did: the call as stored now, and whether this event changed
 * it (`false`: the event was applied before, a duplicate delivery; `call` is the stored record).
 */
export interface CallUpsertResult {
  readonly call: Call;
  readonly applied: boolean;
}

/**
 * Voice calls of every tenant, scoped by `tenantId`. Call ids come from the voice provider, and
 * its webhooks arrive out of order and more than once: `upsert` merges what each event knows,
 * once per event and call, and `linkAppointment` adds an appointment; both create the call when
 * it is not stored yet and are safe under concurrency. `save` writes whole records, guarded by
 * version.
 *
 * @example
 * ```ts
 * declare const calls: CallRepository;
 * // ---cut---
 * await calls.upsert('tenant-a', { event: 'call_analyzed', id: 'call_1', status: 'ended', analysis: { call_summary: 'Booked' } });
 * const { applied } = await calls.upsert('tenant-a', { event: 'call_ended', id: 'call_1', status: 'ended', costCents: 31 });
 * await calls.linkAppointment('tenant-a', 'call_1', 'appointment-1');
 * ```
 */
export interface CallRepository {
  /**
   * Merges one provider event into the call `upsert.id`, creating it (status `registered` unless
   * the event says otherwise) when it is not stored. Each `upsert.event` is applied once per call:
   * a repeated one changes nothing and answers `applied: false`. Any order of events gives the
   * same record: the status never moves back in the call's life (a late `call_started` leaves an
   * `ended` call ended, and only fills fields still unknown); `null` and absent fields never erase
   * what is known; `appointmentIds` are added to the call's. Concurrent upserts of one call are
   * all merged.
   * @throws `ValidationError` naming each invalid field of `upsert`.
   */
  upsert(tenantId: string, upsert: CallUpsert, options?: OperationOptions): Promise<CallUpsertResult>;
  /**
   * Adds `appointmentId` to the call's appointments (once: linking again changes nothing),
   * creating a placeholder call (status `registered`, nothing else known) when the call is not
   * stored yet; its webhooks fill it in later.
   * @returns the call as stored now.
   */
  linkAppointment(
    tenantId: string,
    callId: string,
    appointmentId: string,
    options?: OperationOptions,
  ): Promise<Call>;
  /**
   * Inserts (`expectedVersion` `null`: the call must not exist yet) or replaces a call at
   * `expectedVersion`.
   * @throws {@link VersionConflictError} when the call exists (insert) or its version differs (update).
   */
  save(call: Call, expectedVersion: number | null, options?: OperationOptions): Promise<void>;
  get(tenantId: string, id: string, options?: OperationOptions): Promise<Call | null>;
  /**
   * Erases the personal data of the calls whose `customerId` is `customerId` (numbers,
   * transcript, analysis: see `anonymisedCall`), keeping the facts (ids, status, times, cost),
   * each at version + 1. Calls of other customers and tenants are untouched.
   * @returns the ids of the calls that changed: none when none held personal data (erasing again).
   */
  anonymiseForCustomer(
    tenantId: string,
    customerId: string,
    options?: OperationOptions,
  ): Promise<readonly string[]>;
  /** Calls that started in `[from, to)`, newest first. */
  list(
    tenantId: string,
    query?: PageRequest & { readonly from?: string; readonly to?: string },
    options?: OperationOptions,
  ): Promise<Page<Call>>;
}
