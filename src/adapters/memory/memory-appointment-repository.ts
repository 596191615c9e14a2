import { SlotConflictError } from '../../booking/errors.js';
import { ACTIVE_APPOINTMENT_STATUSES, Appointment } from '../../domain/appointment.js';
import { overlaps } from '../../domain/time-range.js';
import { DuplicateRecordError, VersionConflictError } from '../../errors/store-errors.js';
import type { AppointmentQuery, AppointmentRepository } from '../../ports/appointment-repository.js';
import type { Page } from '../../ports/page.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { requireTenantId } from '../../util/tenant-id.js';
import { createMemoryDatabase, type StoreAccess } from './memory-database.js';
import { pageOf } from './memory-paging.js';
import { boundOf, checkExpectedVersion, copyIn, copyOut, requireVersion } from './memory-records.js';
import type { TenantTable } from './memory-table.js';

const isActive = (appointment: Appointment): boolean =>
  ACTIVE_APPOINTMENT_STATUSES.includes(appointment.status);

/** Throws when `candidate` is active and overlaps another active appointment of its resource. */
function assertSlotFree(table: TenantTable<Appointment>, candidate: Appointment): void {
  if (!isActive(candidate)) return;
  for (const other of table.scan(candidate.tenantId)) {
    if (other.id === candidate.id || other.resourceId !== candidate.resourceId || !isActive(other)) continue;
    if (!overlaps(other, candidate)) continue;
    throw new SlotConflictError({
      tenantId: candidate.tenantId,
      resourceId: candidate.resourceId,
      requested: { start: candidate.start, end: candidate.end },
      conflictingAppointmentId: other.id,
      alternatives: [],
    });
  }
}

interface Window {
  readonly from: number | undefined;
  readonly to: number | undefined;
}

function matches(appointment: Appointment, query: AppointmentQuery, window: Window): boolean {
  if (window.from !== undefined && !(Date.parse(appointment.end) > window.from)) return false;
  if (window.to !== undefined && !(Date.parse(appointment.start) < window.to)) return false;
  if (query.statuses !== undefined && !query.statuses.includes(appointment.status)) return false;
  if (query.resourceId !== undefined && appointment.resourceId !== query.resourceId) return false;
  if (query.eventTypeId !== undefined && appointment.eventTypeId !== query.eventTypeId) return false;
  if (query.customerId !== undefined && appointment.customerId !== query.customerId) return false;
  return true;
}

function* filtered(
  table: TenantTable<Appointment>,
  tenantId: string,
  query: AppointmentQuery,
  window: Window,
): Iterable<Appointment> {
  for (const appointment of table.scan(tenantId)) if (matches(appointment, query, window)) yield appointment;
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
      let previous: Appointment | undefined;
      for (const appointment of access.read().appointments.scan(requireTenantId(tenantId))) {
        if (appointment.external.calendarBookingUid === uid) return copyOut(appointment);
        if (!previous && appointment.external.previousCalendarBookingUids.includes(uid))
          previous = appointment;
      }
      return previous ? copyOut(previous) : null;
    },

    async list(
      tenantId: string,
      query: AppointmentQuery = {},
      options: OperationOptions = {},
    ): Promise<Page<Appointment>> {
      throwIfAborted(options.signal);
      const tenant = requireTenantId(tenantId);
      const window = { from: boundOf(query.from, 'from'), to: boundOf(query.to, 'to') };
      const rows = filtered(access.read().appointments, tenant, query, window);
      const page = pageOf(rows, (a) => ({ time: Date.parse(a.start), id: a.id }), 'asc', query);
      return { items: page.items.map(copyOut), nextCursor: page.nextCursor };
    },
  };
}

/**
 * The embedded {@link AppointmentRepository}: a real implementation kept in process memory, and
 * the fake for tests. The double-booking rule is checked and the record written in one
 * synchronous step under the store's write lock, so no interleaving can double-book. Checks scan
 * the tenant's appointments; for shared state with a unit of work use `createMemoryStores`.
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
