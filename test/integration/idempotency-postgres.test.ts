import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quoteSchema } from '../../src/adapters/postgres/migrate.js';
import type { SqlClient } from '../../src/adapters/postgres/sql-client.js';
import { createPostgresIdempotencyStore } from '../../src/adapters/postgres/postgres-idempotency-store.js';
import { isCorruptRecordError } from '../../src/errors/store-errors.js';
import { idempotencyStoreContract } from '../../src/testing/contracts/idempotency-store.contract.js';
import { describeOnDatabases } from './postgres-test-database.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');
const claim = { fingerprint: 'fp-1', ttlMs: 60_000, lockTtlMs: 10_000, now: T0 };

describeOnDatabases(
  'Postgres idempotency store',
  (database, kind) => {
    const table = (): string => `${quoteSchema(database().schema)}.bookingkit_idempotency`;
    const empty = async (): Promise<void> => {
      await database().sql.query(`DELETE FROM ${table()}`);
    };
    const store = (sql: SqlClient = database().sql) =>
      createPostgresIdempotencyStore({ sql, schema: database().schema });

    idempotencyStoreContract({ describe, it, beforeEach, afterEach }, `postgres (${kind})`, () => ({
      subject: store(),
      cleanup: empty,
    }));

    describe('createPostgresIdempotencyStore', () => {
      afterEach(empty);

      it('gives a key to exactly one of 200 concurrent callers across 4 connection pools', async () => {
        // On the server each client is a separate pg Pool; PGlite has one connection and serialises them.
        const stores = Array.from({ length: 4 }, () => store(database().openClient()));
        const scope = { tenantId: 'tenant-a', key: 'race' };
        const answers = await Promise.all(
          Array.from({ length: 200 }, (_, i) => stores[i % 4]!.begin(scope, claim)),
        );
        expect(answers.filter((a) => a.status === 'new')).toHaveLength(1);
        expect(answers.filter((a) => a.status === 'in_progress')).toHaveLength(199);
      });

      it('claims a free key in one round trip, and answers a duplicate in two', async () => {
        const texts: string[] = [];
        const sql = database().sql;
        const counting: SqlClient = {
          query: (text, params) => {
            texts.push(text);
            return sql.query(text, params);
          },
          transaction: (fn) => sql.transaction(fn),
        };
        const scope = { tenantId: 'tenant-a', key: 'round-trips' };
        expect((await store(counting).begin(scope, claim)).status).toBe('new');
        expect(texts).toHaveLength(1);
        expect(texts[0]).toMatch(/^INSERT INTO .* ON CONFLICT \(tenant_id, key\) DO NOTHING$/);
        expect((await store(counting).begin(scope, claim)).status).toBe('in_progress');
        expect(texts).toHaveLength(3);
      });

      it('reports a completed row without a result as a corrupt record', async () => {
        await database().sql.query(
          `INSERT INTO ${table()} (tenant_id, key, fingerprint, state, token, result, lock_expires_at, expires_at) ` +
            `VALUES ('tenant-a', 'broken', 'fp-1', 'completed', 'tok', NULL, NULL, $1)`,
          [T0 + 60_000],
        );
        const error: unknown = await store()
          .begin({ tenantId: 'tenant-a', key: 'broken' }, claim)
          .catch((e: unknown) => e);
        expect(isCorruptRecordError(error)).toBe(true);
        expect(String(error)).toMatch(/postgres:bookingkit_idempotency \(tenant-a\/broken\): result/);
      });

      it('reports an unfinished claim without a lock expiry as a corrupt record', async () => {
        await database().sql.query(
          `INSERT INTO ${table()} (tenant_id, key, fingerprint, state, token, result, lock_expires_at, expires_at) ` +
            `VALUES ('tenant-a', 'no-lock', 'fp-1', 'in_progress', 'tok', NULL, NULL, $1)`,
          [T0 + 60_000],
        );
        const error: unknown = await store()
          .begin({ tenantId: 'tenant-a', key: 'no-lock' }, claim)
          .catch((e: unknown) => e);
        expect(isCorruptRecordError(error)).toBe(true);
        expect(String(error)).toMatch(/lockExpiresAt/);
      });

      it('takes an expired corrupt row over instead of failing', async () => {
        await database().sql.query(
          `INSERT INTO ${table()} (tenant_id, key, fingerprint, state, token, result, lock_expires_at, expires_at) ` +
            `VALUES ('tenant-a', 'old', 'fp-1', 'completed', 'tok', NULL, NULL, $1)`,
          [T0],
        );
        expect((await store().begin({ tenantId: 'tenant-a', key: 'old' }, claim)).status).toBe('new');
      });

      it('purges expired rows only, in batches, optionally for one tenant', async () => {
        const s = store();
        for (const [tenantId, key, ttlMs] of [
          ['tenant-a', 'short-1', 1_000],
          ['tenant-a', 'short-2', 1_000],
          ['tenant-b', 'short-3', 1_000],
          ['tenant-a', 'long', 60_000],
        ] as const) {
          await s.begin({ tenantId, key }, { ...claim, ttlMs, lockTtlMs: 1_000 });
        }
        expect(await s.purgeExpired({ now: T0 + 999 })).toBe(0);
        expect(await s.purgeExpired({ now: T0 + 1_000, tenantId: 'tenant-b' })).toBe(1);
        expect(await s.purgeExpired({ now: T0 + 1_000, limit: 1 })).toBe(1);
        expect(await s.purgeExpired({ now: T0 + 1_000 })).toBe(1);
        const { rows } = await database().sql.query<{ key: string }>(`SELECT key FROM ${table()}`);
        expect(rows.map((r) => r.key)).toEqual(['long']);
      });
    });
  },
  { poolSize: 4, truncateAfterEach: false },
);
