import { afterEach, beforeEach, describe, it } from 'vitest';
import { quoteSchema } from '../../src/adapters/postgres/migrate.js';
import { createPostgresReconciliationCursorStore } from '../../src/adapters/postgres/postgres-reconciliation-cursor-store.js';
import { createPostgresStores } from '../../src/adapters/postgres/postgres-stores.js';
import { reconciliationCursorStoreContract } from '../../src/testing/contracts/reconciliation-cursor-store.contract.js';
import { describeOnDatabases } from './postgres-test-database.js';

const api = { describe, it, beforeEach, afterEach };

describeOnDatabases('Postgres reconciliation cursors', (database) => {
  const options = () => ({ sql: database().sql, schema: database().schema });

  // The shared helper empties the core tables; this one is this file's own.
  afterEach(async () => {
    await database().sql.query(
      `DELETE FROM ${quoteSchema(database().schema)}.bookingkit_reconciliation_cursors`,
    );
  });

  reconciliationCursorStoreContract(api, 'postgres', () =>
    createPostgresReconciliationCursorStore(options()),
  );
  reconciliationCursorStoreContract(
    api,
    'postgres, of createPostgresStores',
    () => createPostgresStores(options()).reconciliationCursors,
  );
});
