import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { migrate, type SqlClient } from '../../src/adapters/postgres/index.js';
import { quoteSchema } from '../../src/adapters/postgres/migrate.js';
import { uniqueName } from '../support/servers.js';
import { describeOnDatabases } from './postgres-test-database.js';

const MIGRATIONS = readdirSync(
  fileURLToPath(new URL('../../src/adapters/postgres/migrations/', import.meta.url)),
).filter((file) => /^\d{3}_[\w-]+\.sql$/.test(file));

/** `sql`, counting the transactions opened through it. */
function counting(sql: SqlClient, seen: { transactions: number }): SqlClient {
  return {
    query: (text, params) => sql.query(text, params),
    transaction: (fn) => {
      seen.transactions += 1;
      return sql.transaction(fn);
    },
  };
}

describeOnDatabases(
  'migrate',
  (database) => {
    it('applies every migration once, and on an up-to-date schema reads it without a transaction', async () => {
      const name = uniqueName('bookingkit_migrate').toLowerCase();
      try {
        const first = { transactions: 0 };
        const fresh = await migrate(counting(database().sql, first), { schema: name });
        expect(fresh.applied).toEqual(MIGRATIONS.toSorted());
        expect(first.transactions).toBe(MIGRATIONS.length);

        const again = { transactions: 0 };
        const upToDate = await migrate(counting(database().sql, again), { schema: name });
        expect(upToDate).toEqual({ applied: [], skipped: MIGRATIONS.toSorted() });
        expect(again.transactions).toBe(0);
      } finally {
        await database().sql.query(`DROP SCHEMA IF EXISTS ${quoteSchema(name)} CASCADE`);
      }
    });
  },
  { truncateAfterEach: false },
);
