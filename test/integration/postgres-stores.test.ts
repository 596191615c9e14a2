import { describe, expect, it } from 'vitest';
import { isUnitOfWorkMisuseError } from '../../src/adapters/memory/unit-of-work-misuse-error.js';
import { quoteSchema } from '../../src/adapters/postgres/migrate.js';
import { createPostgresAppointmentRepository } from '../../src/adapters/postgres/postgres-appointment-repository.js';
import { createPostgresStores } from '../../src/adapters/postgres/postgres-stores.js';
import { createPostgresTenantDirectory } from '../../src/adapters/postgres/postgres-tenant-directory.js';
import { isDuplicateRecordError, type DuplicateRecordError } from '../../src/errors/store-errors.js';
import { isSlotConflictError, type SlotConflictError } from '../../src/booking/errors.js';
import { isInvalidOptionError } from '../../src/errors/invalid-option-error.js';
import { isValidationError } from '../../src/errors/validation-error.js';
import type { SqlClient } from '../../src/adapters/postgres/sql-client.js';
import type { TransactionalStores } from '../../src/ports/unit-of-work.js';
import { anAppointment, at, aTenant } from '../../src/testing/fixtures.js';
import { describeOnDatabases } from './postgres-test-database.js';

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the operation to fail'),
    (error: unknown) => error,
  );
}

describeOnDatabases('Postgres stores', (database) => {
  const stores = () => createPostgresStores({ sql: database().sql, schema: database().schema });

  describe('double-booking rule', () => {
    it('is enforced by the database itself: a raw overlapping insert is refused by the exclusion constraint', async () => {
      const appointment = anAppointment({ start: at('09:00'), end: at('10:00') });
      await stores().appointments.insert(appointment);
      const error = await failure(
        database().sql.query(
          `INSERT INTO ${quoteSchema(database().schema)}.bookingkit_appointments (tenant_id, id, event_type_id, resource_id, start_at, end_at,
            time_zone, status, origin, created_by, sync, version, created_at, updated_at)
           VALUES ('tenant-a', 'raw', 'e', 'resource-1', $1, $2, 'UTC', 'pending', 'api', '{}', '{}', 1, now(), now())`,
          [at('09:30'), at('10:30')],
        ),
      );
      expect((error as { code?: string }).code).toBe('23P01');
    });

    it('names the appointment that won when 100 concurrent inserts race for one slot', async () => {
      const inserts = Array.from({ length: 100 }, () =>
        anAppointment({ start: at('09:00'), end: at('10:00') }),
      );
      const results = await Promise.allSettled(inserts.map((a) => stores().appointments.insert(a)));
      const winners = inserts.filter((_, i) => results[i]!.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      const losers = results
        .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
        .map((r) => r.reason as SlotConflictError);
      expect(losers.every(isSlotConflictError)).toBe(true);
      expect(new Set(losers.map((e) => e.context.conflictingAppointmentId))).toEqual(
        new Set([winners[0]!.id]),
      );
    });
  });

  describe('unit of work', () => {
    it('keeps the transaction usable after a refused write, and commits what came after it', async () => {
      await stores().appointments.insert(anAppointment({ start: at('09:00'), end: at('10:00') }));
      const later = anAppointment({ start: at('11:00'), end: at('12:00') });
      await stores().unitOfWork.run(async (tx) => {
        const conflict = await failure(
          tx.appointments.insert(anAppointment({ start: at('09:30'), end: at('10:30') })),
        );
        expect(isSlotConflictError(conflict)).toBe(true);
        await tx.appointments.insert(later);
      });
      expect((await stores().appointments.get('tenant-a', later.id))?.id).toBe(later.id);
    });

    it('rejects instead of committing when the work swallowed a failed statement', async () => {
      const appointment = anAppointment();
      const broken = (tx: TransactionalStores) => tx.appointments.list('tenant-a', { from: 'not a time' });
      const error = await failure(
        stores().unitOfWork.run(async (tx) => {
          await tx.appointments.insert(appointment);
          await broken(tx).catch(() => undefined);
        }),
      );
      expect(String(error)).toMatch(/time|timestamp/i);
      expect(await stores().appointments.get('tenant-a', appointment.id)).toBeNull();
    });

    it('refuses a write through the shared stores, or a nested run, inside a running unit of work', async () => {
      const shared = stores();
      await shared.unitOfWork.run(async () => {
        expect(isUnitOfWorkMisuseError(await failure(shared.appointments.insert(anAppointment())))).toBe(
          true,
        );
        expect(isUnitOfWorkMisuseError(await failure(shared.outbox.replay(['1'], { now: 0 })))).toBe(true);
        expect(isUnitOfWorkMisuseError(await failure(shared.unitOfWork.run(async () => 'nested')))).toBe(
          true,
        );
      });
      expect((await shared.appointments.list('tenant-a')).items).toEqual([]);
    });

    it('refuses the stores of a unit of work once it has finished', async () => {
      let leaked: TransactionalStores | undefined;
      await stores().unitOfWork.run(async (tx) => {
        leaked = tx;
      });
      expect(isUnitOfWorkMisuseError(await failure(leaked!.appointments.insert(anAppointment())))).toBe(true);
      expect(isUnitOfWorkMisuseError(await failure(leaked!.appointments.get('tenant-a', 'any')))).toBe(true);
    });
  });

  describe('options and queries', () => {
    it('rejects a missing client, an invalid schema name and a bad clock eagerly', () => {
      const sql = database().sql;
      const attempts = [
        () => createPostgresStores({ sql: undefined as unknown as SqlClient }),
        () => createPostgresStores({ sql, schema: 'Robert"); DROP TABLE x' }),
        () => createPostgresStores({ sql, clock: { now: () => 0 } as never }),
      ];
      for (const attempt of attempts) {
        let caught: unknown;
        try {
          attempt();
        } catch (error) {
          caught = error;
        }
        expect(isInvalidOptionError(caught), String(caught)).toBe(true);
      }
    });

    it('rejects a cursor it did not make and a page size out of range', async () => {
      const appointments = createPostgresAppointmentRepository({
        sql: database().sql,
        schema: database().schema,
      });
      expect(
        isValidationError(await failure(appointments.list('tenant-a', { cursor: 'bm90IGEgY3Vyc29y' }))),
      ).toBe(true);
      expect(isInvalidOptionError(await failure(appointments.list('tenant-a', { limit: 0 })))).toBe(true);
      expect(isInvalidOptionError(await failure(stores().calls.list('tenant-a', { limit: 5000 })))).toBe(
        true,
      );
    });
  });

  describe('tenant directory: managing tenants', () => {
    const directory = () => createPostgresTenantDirectory({ sql: database().sql, schema: database().schema });

    it('replaces a tenant on save: numbers it no longer has stop finding it', async () => {
      const tenant = aTenant({ phoneNumbers: ['+493011111111'] });
      await directory().save(tenant);
      await directory().save({ ...tenant, name: 'Renamed', phoneNumbers: ['+493022222222'] });
      expect(await directory().findByPhoneNumber('+493011111111')).toBeNull();
      expect(await directory().findByPhoneNumber('+493022222222')).toMatchObject({
        id: tenant.id,
        name: 'Renamed',
      });
    });

    it('refuses a number or key another tenant has, naming it, and changes nothing', async () => {
      const owner = aTenant({ phoneNumbers: ['+493033333333'] });
      const other = aTenant({ phoneNumbers: ['+493044444444'] });
      await directory().save(owner);
      await directory().save(other);
      const error = await directory()
        .save({ ...other, name: 'Thief', phoneNumbers: ['+493044444444', '+493033333333'] })
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(isDuplicateRecordError(error)).toBe(true);
      expect((error as DuplicateRecordError).context).toMatchObject({
        field: 'phoneNumbers',
        value: '+493033333333',
      });
      expect(await directory().get(other.id)).toEqual(other);
      expect((await directory().findByPhoneNumber('+493033333333'))?.id).toBe(owner.id);
    });

    it('rejects an invalid tenant with a ValidationError', async () => {
      const error = await directory()
        .save(aTenant({ phoneNumbers: ['030 1234'] }))
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(isValidationError(error)).toBe(true);
    });

    it('removes a tenant with its numbers and keys', async () => {
      const tenant = aTenant();
      await directory().save(tenant);
      expect(await directory().remove(tenant.id)).toBe(true);
      expect(await directory().remove(tenant.id)).toBe(false);
      expect(await directory().findByPhoneNumber(tenant.phoneNumbers[0]!)).toBeNull();
      expect(await directory().findByApiKey(`key-${tenant.id}`)).toBeNull();
    });
  });
});
