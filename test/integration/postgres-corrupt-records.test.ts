import { expect, it } from 'vitest';
import { createPostgresStores } from '../../src/adapters/postgres/postgres-stores.js';
import { createPostgresTenantDirectory } from '../../src/adapters/postgres/postgres-tenant-directory.js';
import { quoteSchema } from '../../src/adapters/postgres/migrate.js';
import { isCorruptRecordError, type CorruptRecordError } from '../../src/errors/store-errors.js';
import { aCall, aCustomer, anAppointment, aTenant } from '../../src/testing/fixtures.js';
import { describeOnDatabases } from './postgres-test-database.js';

async function corruptError(read: Promise<unknown>): Promise<CorruptRecordError> {
  const error = await read.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isCorruptRecordError(error), `expected a CorruptRecordError, got ${String(error)}`).toBe(true);
  return error as CorruptRecordError;
}

describeOnDatabases('reading corrupt or foreign rows from Postgres', (database) => {
  const stores = () => createPostgresStores({ sql: database().sql, schema: database().schema });
  const raw = (text: string, params: unknown[] = []) =>
    database().sql.query(text.replaceAll('$schema', quoteSchema(database().schema)), params);

  it('reports an appointment whose actor is not an actor, naming the table, the key and the field', async () => {
    const appointment = anAppointment();
    await stores().appointments.insert(appointment);
    await raw(`UPDATE $schema.bookingkit_appointments SET created_by = '"robot"'::jsonb WHERE id = $1`, [
      appointment.id,
    ]);
    const error = await corruptError(stores().appointments.get('tenant-a', appointment.id));
    expect(error.context.store).toBe('postgres:bookingkit_appointments');
    expect(error.context.key).toBe(`tenant-a/${appointment.id}`);
    expect(error.context.problem).toMatch(/createdBy/);
  });

  it('reports a foreign appointment row inserted with raw SQL, also when listing and finding by uid', async () => {
    await raw(
      `INSERT INTO $schema.bookingkit_appointments (tenant_id, id, event_type_id, resource_id, start_at, end_at, time_zone, status, origin,
        created_by, calendar_booking_uid, sync, version, metadata, created_at, updated_at)
       VALUES ('tenant-a', 'foreign-1', 'e', 'r', '2026-01-05T09:00:00Z', '2026-01-05T10:00:00Z', 'Mars/Olympus', 'maybe', 'fax',
        '{"type":"system"}', 'uid-foreign', '{}', 0, '[1, 2]', now(), now())`,
    );
    const error = await corruptError(stores().appointments.get('tenant-a', 'foreign-1'));
    for (const field of ['timeZone', 'status', 'origin', 'sync', 'version', 'metadata'])
      expect(error.context.problem).toContain(field);
    await corruptError(stores().appointments.list('tenant-a'));
    await corruptError(stores().appointments.findByCalendarUid('tenant-a', 'uid-foreign'));
  });

  it('reports a customer whose stats are of the wrong type', async () => {
    const customer = aCustomer();
    await stores().customers.insert(customer);
    await raw(`UPDATE $schema.bookingkit_customers SET stats = '{"bookings": "many"}'::jsonb WHERE id = $1`, [
      customer.id,
    ]);
    const error = await corruptError(stores().customers.findByPhone('tenant-a', customer.phone!));
    expect(error.context.store).toBe('postgres:bookingkit_customers');
    expect(error.context.problem).toMatch(/stats\.bookings/);
  });

  it('reports a call with an empty direction and an analysis that is not an object', async () => {
    const call = aCall();
    await stores().calls.save(call, null);
    await raw(`UPDATE $schema.bookingkit_calls SET direction = '', analysis = '[1]'::jsonb WHERE id = $1`, [
      call.id,
    ]);
    const error = await corruptError(stores().calls.list('tenant-a'));
    expect(error.context.key).toBe(`tenant-a/${call.id}`);
    expect(error.context.problem).toMatch(/direction/);
    expect(error.context.problem).toMatch(/analysis/);
  });

  it('reports an outbox message with a negative attempt count by its position', async () => {
    const outbox = stores().outbox;
    await outbox.append([
      {
        eventId: 'e1',
        eventType: 't',
        listener: 'l',
        tenantId: 'tenant-a',
        orderingKey: 'k',
        payload: '{}',
        availableAt: 0,
      },
    ]);
    await raw(`UPDATE $schema.bookingkit_outbox SET attempts = -1`);
    const error = await corruptError(outbox.list());
    expect(error.context.store).toBe('postgres:bookingkit_outbox');
    expect(error.context.key).toMatch(/^\d+$/);
    expect(error.context.problem).toMatch(/attempts/);
  });

  it('reports a tenant with an unknown status', async () => {
    const directory = createPostgresTenantDirectory({ sql: database().sql, schema: database().schema });
    const tenant = aTenant();
    await directory.save(tenant);
    await raw(`UPDATE $schema.bookingkit_tenants SET status = 'gone' WHERE tenant_id = $1`, [tenant.id]);
    const error = await corruptError(directory.findByRouteKey(tenant.routeKeys[0]!));
    expect(error.context).toMatchObject({ store: 'postgres:bookingkit_tenants', key: tenant.id });
    expect(error.context.problem).toMatch(/status/);
  });
});
