import { describe, expect, it } from 'vitest';
import { createPostgresTenantDirectory } from '../../src/adapters/postgres/postgres-tenant-directory.js';
import { isValidationError } from '../../src/errors/validation-error.js';
import { aTenant } from '../../src/testing/fixtures.js';
import { describeOnDatabases } from './postgres-test-database.js';

describeOnDatabases('Postgres tenant directory: locale', (database) => {
  const directory = () => createPostgresTenantDirectory({ sql: database().sql, schema: database().schema });

  describe('locale', () => {
    it("stores a tenant's locale and changes it on save", async () => {
      const tenant = aTenant({ locale: 'de' });
      await directory().save(tenant);
      expect(await directory().get(tenant.id)).toEqual(tenant);
      await directory().save({ ...tenant, locale: 'en' });
      expect((await directory().findByRouteKey(tenant.routeKeys[0]!))?.locale).toBe('en');
    });

    it('gives a tenant saved without a locale, and a row from before locales, the locale en', async () => {
      const { locale: _locale, ...withoutLocale } = aTenant();
      await directory().save(withoutLocale);
      expect((await directory().get(withoutLocale.id))?.locale).toBe('en');
      const sql = database().sql;
      await sql.query(
        `INSERT INTO "${database().schema}".bookingkit_tenants (tenant_id, name, status, time_zone, calendar_unavailable_policy) VALUES ('tenant-old', 'Old', 'active', 'UTC', 'fail')`,
      );
      expect((await directory().get('tenant-old'))?.locale).toBe('en');
    });

    it('refuses an unknown locale with a ValidationError', async () => {
      const error: unknown = await directory()
        .save(aTenant({ locale: 'xx' as never }))
        .catch((caught: unknown) => caught);
      expect(isValidationError(error) && error.context.issues.map((issue) => issue.path)).toEqual(['locale']);
    });
  });
});
