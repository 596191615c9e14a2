import type { Appointment, AppointmentStatus } from '../domain/appointment.js';
import type { OperationOptions } from '../util/abort.js';
import type { Page, PageRequest } from './page.js';

/** Filter of {@link AppointmentRepository.list}. */
export interface AppointmentQuery extends PageRequest {
  /** Appointments that end after this instant (ISO). */
  readonly from?: string;
  /** Appointments that start before this instant (ISO). */
  readonly to?: string;
  readonly statuses?: readonly AppointmentStatus[];
  readonly resourceId?: string;
  readonly eventTypeId?: string;
  readonly customerId?: string;
  /** Appointments changed at or after this instant (ISO, inclusive): `updatedAt >= updatedSince`. */
  readonly updatedSince?: string;
  /**
   * `start`: by (start, id); `updatedAt`: by (updatedAt, id), oldest change first, what an
   * incremental run pages through. The cursor pages by the same order, so keep `orderBy` (and the
   * filters) across the pages of one listing.
   * @default 'start'
   */
  readonly orderBy?: 'start' | 'updatedAt';
}

/**
 * Appointments of every tenant; every method is scoped by `tenantId`, and a record of another
 * tenant is never returned or changed.
 *
 * The double-booking rule is the store's job: `insert` and `update` throw `SlotConflictError`
 * when the result would leave two active (`pending`/`confirmed`) appointments of one tenant and
 * `resourceId` overlapping, under any concurrency. Ranges are half-open: touching is not
 * overlapping.
 *
 * @example
 * ```ts
 * declare const appointments: AppointmentRepository;
 * declare const appointment: Appointment;
 * declare const tenantId: string;
 * // ---cut---
 * await appointments.insert(appointment);
 * const stored = await appointments.get(tenantId, appointment.id);
 * ```
 */
export interface AppointmentRepository {
  /**
   * Stores a new appointment (its `version` must be 1).
   * @throws {@link SlotConflictError} on an overlap; {@link DuplicateRecordError} when the id exists.
   */
  insert(appointment: Appointment, options?: OperationOptions): Promise<void>;
  /**
   * Replaces a stored appointment if it is still at `expectedVersion`; the new record carries
   * `expectedVersion + 1`.
   * @throws {@link VersionConflictError} when the stored version differs or the record is gone;
   * {@link SlotConflictError} on an overlap.
   */
  update(appointment: Appointment, expectedVersion: number, options?: OperationOptions): Promise<void>;
  /** The appointment, or `null`. @throws {@link CorruptRecordError} for an unreadable row. */
  get(tenantId: string, id: string, options?: OperationOptions): Promise<Appointment | null>;
  /** The appointment whose current or a previous calendar booking uid is `uid`, or `null`. */
  findByCalendarUid(tenantId: string, uid: string, options?: OperationOptions): Promise<Appointment | null>;
  /**
   * Appointments matching `query`, one page at a time, ordered by `start` then `id` (or by
   * `updatedAt` then `id` with `orderBy: 'updatedAt'`).
   */
  list(tenantId: string, query?: AppointmentQuery, options?: OperationOptions): Promise<Page<Appointment>>;
}
