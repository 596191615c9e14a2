import { recordTable, type Column, type RecordTable } from './record-table.js';
import { instant, integer, type Row } from './rows.js';
import { createSqlContext, type SqlContext } from './sql-context.js';
import { EXCLUSION_VIOLATION, sqlState } from './sql-errors.js';
import { SqlConditions, decodeCursor, pageSize, toPage } from './sql-query.js';
import type { PostgresStoreOptions } from './postgres-store-options.js';
import { SlotConflictError } from '../../booking/errors.js';
import { Appointment } from '../../domain/appointment.js';
import { ValidationError } from '../../errors/validation-error.js';
import type { AppointmentQuery, AppointmentRepository } from '../../ports/appointment-repository.js';
import type { Page } from '../../ports/page.js';
import { throwIfAborted, type OperationOptions } from '../../util/abort.js';
import { requireTenantId } from '../../util/tenant-id.js';

const TABLE = 'bookingkit_appointments';

const COLUMNS: readonly Column<Appointment>[] = [
  { name: 'tenant_id', type: 'text', value: (a) => a.tenantId },
  { name: 'id', type: 'text', value: (a) => a.id },
  { name: 'event_type_id', type: 'text', value: (a) => a.eventTypeId },
  { name: 'resource_id', type: 'text', value: (a) => a.resourceId },
  { name: 'customer_id', type: 'text', value: (a) => a.customerId },
  { name: 'start_at', type: 'timestamptz', value: (a) => a.start },
  { name: 'end_at', type: 'timestamptz', value: (a) => a.end },
  { name: 'time_zone', type: 'text', value: (a) => a.timeZone },
  { name: 'status', type: 'text', value: (a) => a.status },
  { name: 'origin', type: 'text', value: (a) => a.origin },
  { name: 'created_by', type: 'jsonb', value: (a) => a.createdBy },
  { name: 'rescheduled_by', type: 'jsonb', value: (a) => a.rescheduledBy },
  { name: 'cancelled_by', type: 'jsonb', value: (a) => a.cancelledBy },
  { name: 'cancellation_reason', type: 'text', value: (a) => a.cancellationReason },
  { name: 'calendar_booking_uid', type: 'text', value: (a) => a.external.calendarBookingUid },
  { name: 'calendar_booking_id', type: 'text', value: (a) => a.external.calendarBookingId },
  {
    name: 'previous_calendar_booking_uids',
    type: 'text[]',
    value: (a) => a.external.previousCalendarBookingUids,
  },
  { name: 'sync', type: 'jsonb', value: (a) => a.sync },
  { name: 'version', type: 'integer', value: (a) => a.version },
  { name: 'idempotency_key', type: 'text', value: (a) => a.idempotencyKey },
  { name: 'metadata', type: 'jsonb', value: (a) => a.metadata },
  { name: 'created_at', type: 'timestamptz', value: (a) => a.createdAt },
  { name: 'updated_at', type: 'timestamptz', value: (a) => a.updatedAt },
];

function toRecord(row: Row): unknown {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    eventTypeId: row.event_type_id,
    resourceId: row.resource_id,
    customerId: row.customer_id,
    start: instant(row.start_at),
    end: instant(row.end_at),
    timeZone: row.time_zone,
    status: row.status,
    origin: row.origin,
    createdBy: row.created_by,
    rescheduledBy: row.rescheduled_by,
    cancelledBy: row.cancelled_by,
    cancellationReason: row.cancellation_reason,
    external: {
      calendarBookingUid: row.calendar_booking_uid,
      calendarBookingId: row.calendar_booking_id,
      previousCalendarBookingUids: row.previous_calendar_booking_uids,
    },
    sync: row.sync,
    version: integer(row.version),
    idempotencyKey: row.idempotency_key,
    metadata: row.metadata,
    createdAt: instant(row.created_at),
    updatedAt: instant(row.updated_at),
  };
}

/** Builds the error for an overlap the exclusion constraint refused, naming the appointment in the way. */
async function slotConflict(
  context: SqlContext,
  table: RecordTable<Appointment>,
  appointment: Appointment,
  cause: unknown,
) {
  const lookup = context.sql.query<{ id: string }>(
    `SELECT id FROM ${table.name} WHERE tenant_id = $1 AND resource_id = $2 AND id <> $3 ` +
      `AND status IN ('pending', 'confirmed') AND tstzrange(start_at, end_at, '[)') && tstzrange($4::timestamptz, $5::timestamptz, '[)') ` +
      'ORDER BY start_at, id LIMIT 1',
    [appointment.tenantId, appointment.resourceId, appointment.id, appointment.start, appointment.end],
  );
  // The id is a courtesy: if the lookup fails, the conflict is still what happened.
  const conflicting = await lookup.then(
    ({ rows }) => rows[0]?.id ?? null,
    () => null,
  );
  return new SlotConflictError(
    {
      tenantId: appointment.tenantId,
      resourceId: appointment.resourceId,
      requested: { start: appointment.start, end: appointment.end },
      conflictingAppointmentId: conflicting,
      alternatives: [],
    },
    { cause },
  );
}

/**
 * The appointment repository over an existing {@link SqlContext} (the pool, or one transaction).
 *
 * @internal
 */
export function appointmentRepository(context: SqlContext): AppointmentRepository {
  const table: RecordTable<Appointment> = recordTable(context, {
    table: TABLE,
    entity: 'Appointment',
    schema: Appointment,
    columns: COLUMNS,
    toRecord,
    // The only other constraint an insert can meet: the double-booking rule.
    refused: (appointment): Promise<Error> => slotConflict(context, table, appointment, undefined),
    // The double-booking rule, checked by the update itself: an active appointment may not
    // overlap another active one of its tenant and resource (the exclusion constraint's terms).
    updateGuard: {
      condition:
        `$G1::text NOT IN ('pending', 'confirmed') OR NOT EXISTS (SELECT 1 FROM ${context.table(TABLE)} o ` +
        `WHERE o.tenant_id = $1 AND o.resource_id = $G2::text AND o.id <> $2 AND o.status IN ('pending', 'confirmed') ` +
        `AND tstzrange(o.start_at, o.end_at, '[)') && tstzrange($G3::timestamptz, $G4::timestamptz, '[)'))`,
      values: (appointment) => [
        appointment.status,
        appointment.resourceId,
        appointment.start,
        appointment.end,
      ],
      // An active appointment that keeps its resource and times (a confirmation, a sync state)
      // cannot overlap anything its stored row did not: no lock, no check.
      unless:
        `status IN ('pending', 'confirmed') AND resource_id = $G2::text ` +
        'AND start_at = $G3::timestamptz AND end_at = $G4::timestamptz',
    },
    // Concurrent moves into one slot of a resource would otherwise deadlock on the constraint.
    updateLock: (appointment) => `bookingkit_appointments/${appointment.tenantId}/${appointment.resourceId}`,
  });
  const translate = (appointment: Appointment) => async (error: unknown) =>
    sqlState(error) === EXCLUSION_VIOLATION ? slotConflict(context, table, appointment, error) : error;

  return {
    insert: (appointment, options = {}) => table.insert(appointment, translate(appointment), options),
    update: (appointment, expectedVersion, options = {}) =>
      table.update(appointment, expectedVersion, translate(appointment), options),
    get: async (tenantId, id, options = {}) =>
      table.first('tenant_id = $1 AND id = $2', [requireTenantId(tenantId), id], options),
    findByCalendarUid: async (tenantId, uid, options = {}) =>
      table.first(
        'tenant_id = $1 AND (calendar_booking_uid = $2 OR previous_calendar_booking_uids @> ARRAY[$2::text]) ' +
          'ORDER BY calendar_booking_uid = $2 DESC, id',
        [requireTenantId(tenantId), uid],
        options,
      ),

    async list(
      tenantId,
      query: AppointmentQuery = {},
      options: OperationOptions = {},
    ): Promise<Page<Appointment>> {
      throwIfAborted(options.signal);
      const tenant = requireTenantId(tenantId);
      const limit = pageSize(query);
      const after = decodeCursor(query.cursor);
      // The tenant is a required condition, never an optional filter: `when` would drop it.
      const where = new SqlConditions();
      where
        .add(`tenant_id = ${where.param(tenant)}`)
        .when(query.from, (p) => `end_at > ${p}::timestamptz`)
        .when(query.to, (p) => `start_at < ${p}::timestamptz`)
        .when(query.statuses, (p) => `status = ANY(${p}::text[])`)
        .when(query.resourceId, (p) => `resource_id = ${p}`)
        .when(query.eventTypeId, (p) => `event_type_id = ${p}`)
        .when(query.customerId, (p) => `customer_id = ${p}`)
        .when(query.updatedSince, (p) => `updated_at >= ${p}::timestamptz`);
      const byChange = orderOf(query) === 'updatedAt';
      checkInstant(query.updatedSince, 'updatedSince');
      const column = byChange ? 'updated_at' : 'start_at';
      if (after)
        where.add(`(${column}, id) > (${where.param(after.time)}::timestamptz, ${where.param(after.id)})`);
      const rows = await table.select(
        `${where.text} ORDER BY ${column}, id LIMIT ${limit + 1}`,
        where.params,
      );
      return toPage(rows, limit, (a) => ({ time: byChange ? a.updatedAt : a.start, id: a.id }));
    },
  };
}

/** Refuses a bound that is not an ISO 8601 instant, as the memory repository does. */
function checkInstant(value: string | undefined, field: string): void {
  if (value !== undefined && Number.isNaN(Date.parse(value)))
    throw new ValidationError('listing query', [
      { path: field, message: `must be an ISO 8601 instant, got ${JSON.stringify(value)}` },
    ]);
}

/** The listing's order (the column is chosen from two literals, never from the input). */
function orderOf(query: AppointmentQuery): 'start' | 'updatedAt' {
  const order = query.orderBy ?? 'start';
  if (order !== 'start' && order !== 'updatedAt')
    throw new ValidationError('listing query', [
      { path: 'orderBy', message: `must be 'start' or 'updatedAt', got ${JSON.stringify(order)}` },
    ]);
  return order;
}

/**
 * Creates the Postgres {@link AppointmentRepository}. Appointments are rows with real columns;
 * the double-booking rule is an exclusion constraint over `tstzrange(start, end)`, so the
 * database refuses an overlap under any concurrency, across every instance of the application.
 *
 * @throws {@link bookingkit!InvalidOptionError} for a missing client or an invalid schema name.
 * @example
 * ```ts
 * declare const appointment: Appointment;
 * // ---cut---
 * import pg from 'pg';
 * const sql = pgClient(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await migrate(sql);
 * const appointments = createPostgresAppointmentRepository({ sql });
 * await appointments.insert(appointment); // SlotConflictError on an overlap
 * ```
 */
export function createPostgresAppointmentRepository(options: PostgresStoreOptions): AppointmentRepository {
  return appointmentRepository(createSqlContext(options, 'createPostgresAppointmentRepository'));
}
