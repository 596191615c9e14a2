import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemorySagaStore } from '../../src/adapters/memory/memory-saga-store.js';
import { quoteSchema } from '../../src/adapters/postgres/migrate.js';
import { createPostgresSagaStore } from '../../src/adapters/postgres/postgres-saga-store.js';
import type { SqlClient } from '../../src/adapters/postgres/sql-client.js';
import { isCorruptRecordError } from '../../src/errors/store-errors.js';
import type { SagaRecord } from '../../src/saga/saga-store.js';
import { sagaStoreContract } from '../../src/testing/contracts/saga-store.contract.js';
import { aSagaRecord, aSagaStep } from '../../src/testing/fixtures.js';
import { describeOnDatabases } from './postgres-test-database.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');

function record(id: string, overrides: Partial<SagaRecord> = {}): SagaRecord {
  return aSagaRecord({
    id,
    input: { cents: 500 },
    steps: [aSagaStep('debit', { status: 'started', attempts: 1, startedAt: T0 })],
    ...overrides,
  });
}

/** A client that records the text of every statement it sends. */
function counting(sql: SqlClient): { client: SqlClient; texts: string[] } {
  const texts: string[] = [];
  return {
    texts,
    client: {
      query: (text, params) => {
        texts.push(text);
        return sql.query(text, params);
      },
      transaction: (fn) => sql.transaction(fn),
    },
  };
}

sagaStoreContract({ describe, it, beforeEach, afterEach }, 'memory', () => createMemorySagaStore());

describeOnDatabases(
  'createPostgresSagaStore',
  (database, kind) => {
    const table = (): string => `${quoteSchema(database().schema)}.bookingkit_sagas`;
    const empty = async (): Promise<void> => void (await database().sql.query(`DELETE FROM ${table()}`));
    const store = (sql: SqlClient = database().sql) =>
      createPostgresSagaStore({ sql, schema: database().schema });

    sagaStoreContract({ describe, it, beforeEach, afterEach }, `postgres (${kind})`, () => ({
      subject: store(),
      cleanup: empty,
    }));

    describe('beyond the contract', () => {
      afterEach(empty);

      it('creates a saga and saves each transition in one round trip', async () => {
        const { client, texts } = counting(database().sql);
        const sagas = store(client);
        await sagas.create(record('s-1'));
        expect(texts).toHaveLength(1);
        await sagas.save(
          { ...record('s-1'), state: 'completed', leaseOwner: null, leaseExpiresAt: null },
          { owner: 'w1' },
        );
        expect(texts).toHaveLength(2);
      });

      it('gives each expired saga to exactly one of four coordinators on separate connection pools', async () => {
        for (let i = 0; i < 40; i += 1)
          await store().create(record(`s-${String(i).padStart(2, '0')}`, { leaseExpiresAt: T0 - 1 }));
        const stores = Array.from({ length: 4 }, () => store(database().openClient()));
        const claims = await Promise.all(
          stores.map((s, i) =>
            s.claim({ owner: `w${i}`, leaseMs: 60_000, now: T0, names: ['transfer'], limit: 40 }),
          ),
        );
        const ids = claims.flat().map((r) => r.id);
        expect(ids).toHaveLength(40);
        expect(new Set(ids).size).toBe(40);
      });

      it('reports a malformed row as a corrupt record naming the table, the saga and the field', async () => {
        await store().create(record('s-bad'));
        await database().sql.query(
          `UPDATE ${table()} SET steps = '[{"name":"debit","status":"exploded"}]' WHERE id = 's-bad'`,
        );
        const error = await store()
          .get('s-bad')
          .catch((e: unknown) => e);
        expect(isCorruptRecordError(error)).toBe(true);
        expect(String((error as Error).message)).toMatch(/bookingkit_sagas.*s-bad.*steps\.0\.status/);
      });

      it('refuses a schema name that is not a plain identifier', () => {
        expect(() => createPostgresSagaStore({ sql: database().sql, schema: 'x; DROP TABLE y' })).toThrow(
          /schema/,
        );
      });
    });
  },
  { poolSize: 4, truncateAfterEach: false },
);
