import { SlotConflictError } from '../../booking/errors.js';
import { Appointment } from '../../domain/appointment.js';
import { overlaps } from '../../domain/time-range.js';
import { DuplicateRecordError, VersionConflictError } from '../../errors/store-errors.js';
import { ValidationError } from '../../errors/validation-error.js';
import type { AppointmentQuery, AppointmentRepository } from '../../ports/appointment-repository.js';
import type { Page } from '../../ports/page.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { requireTenantId } from '../../util/tenant-id.js';
import { createMemoryDatabase, type StoreAccess } from './memory-database.js';
import { isActiveAppointment, type AppointmentTable } from './memory-indexes.js';
import { compareKeys, pageRequestOf, takePage, type SortKey } from './memory-paging.js';
import { boundOf, checkExpectedVersion, copyIn, copyOut, requireVersion } from './memory-records.js';

/** Throws when `candidate` is active and overlaps another active appointment of its resource. */
function assertSlotFree(table: AppointmentTable, candidate: Appointment): void {
  if (!isActiveAppointment(candidate)) return;
  const { tenantId, resourceId } = candidate;
  const start = Date.parse(candidate.start);
  const end = Date.parse(candidate.end);
  // Only an appointment starting less than the longest one lasts before `start` can reach it.
  const earliest = start - table.longest('activeResource', tenantId, resourceId);
  for (const other of table.ordered('activeResource', tenantId, resourceId, { time: earliest, id: '' })) {
    if (Date.parse(other.start) >= end) return;
    if (other.id === candidate.id || !overlaps(other, candidate)) continue;
    throw new SlotConflictError({
      tenantId,
      resourceId,
      requested: { start: candidate.start, end: candidate.end },
      conflictingAppointmentId: other.id,
      alternatives: [],
    });
  }
}

interface Window {
  readonly from: number | undefined;
  readonly to: number | undefined;
  /** Changed at or after (epoch ms). */
  readonly updatedSince: number | undefined;
}

function matches(appointment: Appointment, query: AppointmentQuery, window: Window): boolean {
  if (window.from !== undefined && !(Date.parse(appointment.end) > window.from)) return false;
  if (window.to !== undefined && !(Date.parse(appointment.start) < window.to)) return false;
  if (window.updatedSince !== undefined && Date.parse(appointment.updatedAt) < window.updatedSince)
    return false;
  if (query.statuses !== undefined && !query.statuses.includes(appointment.status)) return false;
  if (query.resourceId !== undefined && appointment.resourceId !== query.resourceId) return false;
  if (query.eventTypeId !== undefined && appointment.eventTypeId !== query.eventTypeId) return false;
  if (query.customerId !== undefined && appointment.customerId !== query.customerId) return false;
  return true;
}

const keyOf = (appointment: Appointment): SortKey => ({
  time: Date.parse(appointment.start),
  id: appointment.id,
});

const updatedKeyOf = (appointment: Appointment): SortKey => ({
  time: Date.parse(appointment.updatedAt),
  id: appointment.id,
});

/**
 * The appointments matching `query` after `after`, in (updatedAt, id) order, read from the
 * tenant's last-change index from `updatedSince` (or the cursor) on.
 */
function* matchingByChange(
  table: AppointmentTable,
  tenantId: string,
  query: AppointmentQuery,
  window: Window,
  after: SortKey | undefined,
): Iterable<Appointment> {
  let from: SortKey = { time: window.updatedSince ?? Number.NEGATIVE_INFINITY, id: '' };
  if (after !== undefined && compareKeys(after, from) > 0) from = after;
  for (const appointment of table.ordered('updated', tenantId, '', from)) {
    if (after !== undefined && compareKeys(updatedKeyOf(appointment), after) <= 0) continue;
    if (matches(appointment, query, window)) yield appointment;
  }
}

/**
 * The appointments matching `query` after `after`, in (start, id) order, read from the narrowest
 * index the query names and from the first start that can reach the window.
 */
function* matching(
  table: AppointmentTable,
  tenantId: string,
  query: AppointmentQuery,
  window: Window,
  after: SortKey | undefined,
): Iterable<Appointment> {
  const [index, partition] =
    query.customerId !== undefined
      ? (['customer', query.customerId] as const)
      : query.resourceId !== undefined
        ? (['resource', query.resourceId] as const)
        : query.eventTypeId !== undefined
          ? (['eventType', query.eventTypeId] as const)
          : (['tenant', ''] as const);
  let from: SortKey = { time: Number.NEGATIVE_INFINITY, id: '' };
  if (window.from !== undefined)
    from = { time: window.from - table.longest(index, tenantId, partition), id: '' };
  if (after !== undefined && compareKeys(after, from) > 0) from = after;
  for (const appointment of table.ordered(index, tenantId, partition, from)) {
    const key = keyOf(appointment);
    if (window.to !== undefined && key.time >= window.to) return;
    if (after !== undefined && compareKeys(key, after) <= 0) continue;
    if (matches(appointment, query, window)) yield appointment;
  }
}

/** The listing's order; anything but the two known orders is refused. */
function orderOf(query: AppointmentQuery): 'start' | 'updatedAt' {
  const order = query.orderBy ?? 'start';
  if (order !== 'start' && order !== 'updatedAt')
    throw new ValidationError('listing query', [
      { path: 'orderBy', message: `must be 'start' or 'updatedAt', got ${JSON.stringify(order)}` },
    ]);
  return order;
}

/**
 * An {@link AppointmentRepository} over the memory tables reached through `access`.
 *
 * @internal
 */
export function appointmentRepositoryOn(access: StoreAccess): AppointmentRepository {
  return {
    async insert(appointment: Appointment, options: OperationOptions = {}): Promise<void> {
      throwIfAborted(options.signal);
      const record = copyIn(Appointment, appointment, 'Appointment');
      requireVersion('Appointment', record.version, 1);
      await access.write(({ appointments }) => {
        if (appointments.get(record.tenantId, record.id)) {
          throw new DuplicateRecordError({ entity: 'Appointment', field: 'id', value: record.id });
        }
        assertSlotFree(appointments, record);
        appointments.put(record);
      }, options.signal);
    },

    async update(
      appointment: Appointment,
      expectedVersion: number,
      options: OperationOptions = {},
    ): Promise<void> {
      throwIfAborted(options.signal);
      checkExpectedVersion(expectedVersion);
      const record = copyIn(Appointment, appointment, 'Appointment');
      requireVersion('Appointment', record.version, expectedVersion + 1);
      await access.write(({ appointments }) => {
        const stored = appointments.get(record.tenantId, record.id);
        if (stored?.version !== expectedVersion) {
          throw new VersionConflictError({
            entity: 'Appointment',
            id: record.id,
            expectedVersion,
            actualVersion: stored?.version ?? null,
          });
        }
        assertSlotFree(appointments, record);
        appointments.put(record);
      }, options.signal);
    },

    async get(tenantId: string, id: string, options: OperationOptions = {}): Promise<Appointment | null> {
      throwIfAborted(options.signal);
      const stored = access.read().appointments.get(requireTenantId(tenantId), id);
      return stored ? copyOut(stored) : null;
    },

    async findByCalendarUid(
      tenantId: string,
      uid: string,
      options: OperationOptions = {},
    ): Promise<Appointment | null> {
      throwIfAborted(options.signal);
      const tenant = requireTenantId(tenantId);
      const { appointments } = access.read();
      const found =
        appointments.lookup('calendarUid', tenant, uid)[0] ??
        appointments.lookup('previousCalendarUid', tenant, uid)[0];
      return found ? copyOut(found) : null;
    },

    async list(
      tenantId: string,
      query: AppointmentQuery = {},
      options: OperationOptions = {},
    ): Promise<Page<Appointment>> {
      throwIfAborted(options.signal);
      const tenant = requireTenantId(tenantId);
      const window = {
        from: boundOf(query.from, 'from'),
        to: boundOf(query.to, 'to'),
        updatedSince: boundOf(query.updatedSince, 'updatedSince'),
      };
      const { limit, after } = pageRequestOf(query);
      const table = access.read().appointments;
      const byChange = orderOf(query) === 'updatedAt';
      const rows = byChange
        ? matchingByChange(table, tenant, query, window, after)
        : matching(table, tenant, query, window, after);
      const page = takePage(rows, byChange ? updatedKeyOf : keyOf, limit);
      return { items: page.items.map(copyOut), nextCursor: page.nextCursor };
    },
  };
}

/**
 * The embedded {@link AppointmentRepository}: a real implementation kept in process memory, and
 * the fake for tests. The double-booking rule is checked and the record written in one
 * synchronous step under the store's write lock, so no interleaving can double-book. Appointments
 * are indexed (by resource and start, by calendar uid, by customer and event type, by last
 * change), so the check,
 * the look-ups and each page of a listing visit only the records they are about, however many are
 * stored; for shared state with a unit of work use `createMemoryStores`.
 *
 * @example
 * ```ts
 * declare const appointment: Appointment;
 * // ---cut---
 * const appointments = createMemoryAppointmentRepository();
 * await appointments.insert(appointment); // SlotConflictError when the slot is taken
 * ```
 */
export function createMemoryAppointmentRepository(): AppointmentRepository {
  return appointmentRepositoryOn(createMemoryDatabase().access);
}
