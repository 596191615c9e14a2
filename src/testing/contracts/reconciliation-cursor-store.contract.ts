import assert from 'node:assert/strict';
import { isValidationError } from '../../errors/validation-error.js';
import type { ReconciliationCursor } from '../../domain/reconciliation-cursor.js';
import type { ReconciliationCursorStore } from '../../ports/reconciliation-cursor-store.js';
import { abortedSignal, rejectsWith, settleAll } from './assertions.js';
import { refusesInvalidTenantIds } from './tenant-scope.js';
import { useSubject, type ContractFactory, type ContractTestApi } from './test-api.js';

const cursorOf = (overrides: Partial<ReconciliationCursor> = {}): ReconciliationCursor => ({
  tenantId: 'tenant-a',
  localUpdatedSince: '2026-01-05T08:00:00.000Z',
  remoteUpdatedSince: '2026-01-05T07:59:30.125Z',
  lastFullRunAt: '2026-01-05T03:00:00.000Z',
  updatedAt: '2026-01-05T08:00:05.000Z',
  ...overrides,
});

/**
 * The {@link ReconciliationCursorStore} contract: every adapter must pass it. One cursor per
 * tenant, read back as saved (`null` fields included), replaced by the next save, never visible
 * to another tenant; an invalid cursor or tenant id is refused with a `ValidationError` and
 * stores nothing; an aborted signal rejects before anything happens.
 *
 * @example
 * ```ts
 * import { describe, it, beforeEach, afterEach } from 'vitest';
 * import { reconciliationCursorStoreContract } from 'bookingkit/testing';
 * reconciliationCursorStoreContract({ describe, it, beforeEach, afterEach }, 'memory', () =>
 *   createMemoryReconciliationCursorStore(),
 * );
 * ```
 */
export function reconciliationCursorStoreContract(
  api: ContractTestApi,
  name: string,
  factory: ContractFactory<ReconciliationCursorStore>,
): void {
  api.describe(`ReconciliationCursorStore contract: ${name}`, () => {
    const store = useSubject(api, factory);

    api.it('answers null for a tenant that never saved a cursor', async () => {
      assert.equal(await store().get('tenant-a'), null);
    });

    api.it('reads back the saved cursor, with its null fields', async () => {
      const first = cursorOf({ localUpdatedSince: null, remoteUpdatedSince: null, lastFullRunAt: null });
      await store().save(first);
      assert.deepEqual(await store().get('tenant-a'), first);
      const later = cursorOf();
      await store().save(later);
      assert.deepEqual(await store().get('tenant-a'), later);
    });

    api.it(
      'replaces the cursor on each save: the last one wins, fields set back to null included',
      async () => {
        await store().save(cursorOf());
        const next = cursorOf({
          localUpdatedSince: '2026-01-05T09:00:00.000Z',
          remoteUpdatedSince: null,
          updatedAt: '2026-01-05T09:00:01.000Z',
        });
        await store().save(next);
        assert.deepEqual(await store().get('tenant-a'), next);
      },
    );

    api.it('keeps one cursor per tenant, never another tenant’s', async () => {
      const a = cursorOf();
      const b = cursorOf({ tenantId: 'tenant-b', localUpdatedSince: '2026-02-01T00:00:00.000Z' });
      await store().save(a);
      await store().save(b);
      assert.deepEqual(await store().get('tenant-a'), a);
      assert.deepEqual(await store().get('tenant-b'), b);
      assert.equal(await store().get('tenant-c'), null);
      await store().save({ ...a, lastFullRunAt: null });
      assert.deepEqual(await store().get('tenant-b'), b);
    });

    api.it('normalises the instants it stores to UTC with milliseconds', async () => {
      await store().save(
        cursorOf({ localUpdatedSince: '2026-01-05T10:00:00+02:00', updatedAt: '2026-01-05T08:00:05Z' }),
      );
      const read = await store().get('tenant-a');
      assert.equal(read?.localUpdatedSince, '2026-01-05T08:00:00.000Z');
      assert.equal(read?.updatedAt, '2026-01-05T08:00:05.000Z');
    });

    api.it('copies cursors in and out: changing them afterwards does not change the store', async () => {
      const saved = cursorOf();
      await store().save(saved);
      (saved as { localUpdatedSince: string | null }).localUpdatedSince = null;
      const read = await store().get('tenant-a');
      assert.equal(read?.localUpdatedSince, '2026-01-05T08:00:00.000Z');
      (read as { remoteUpdatedSince: string | null }).remoteUpdatedSince = null;
      assert.equal((await store().get('tenant-a'))?.remoteUpdatedSince, '2026-01-05T07:59:30.125Z');
    });

    api.it('refuses an invalid cursor with a ValidationError naming the field, storing nothing', async () => {
      const cases: [unknown, string][] = [
        [{ ...cursorOf(), localUpdatedSince: 'yesterday' }, 'localUpdatedSince'],
        [{ ...cursorOf(), updatedAt: null }, 'updatedAt'],
        [{ ...cursorOf(), remoteUpdatedSince: undefined }, 'remoteUpdatedSince'],
        [{ ...cursorOf(), tenantId: '' }, 'tenantId'],
      ];
      for (const [cursor, path] of cases) {
        const error = await rejectsWith(
          store().save(cursor as ReconciliationCursor),
          isValidationError,
          `ValidationError for ${path}`,
        );
        assert.ok(
          error.context.issues.some((issue) => issue.path === path),
          `expected an issue at ${path}, got ${JSON.stringify(error.context.issues)}`,
        );
      }
      assert.equal(await store().get('tenant-a'), null);
    });

    api.it('refuses invalid tenant ids when reading', async () => {
      await refusesInvalidTenantIds((tenantId) => store().get(tenantId));
    });

    api.it('keeps one of concurrent saves of a tenant whole, never a mix', async () => {
      const saves = Array.from({ length: 10 }, (_, i) =>
        cursorOf({
          localUpdatedSince: `2026-01-05T08:0${i}:00.000Z`,
          remoteUpdatedSince: `2026-01-06T08:0${i}:00.000Z`,
          updatedAt: `2026-01-07T08:0${i}:00.000Z`,
        }),
      );
      const { errors } = await settleAll(saves.map((cursor) => store().save(cursor)));
      assert.deepEqual(errors, []);
      const read = await store().get('tenant-a');
      assert.ok(
        saves.some((cursor) => JSON.stringify(cursor) === JSON.stringify(read)),
        JSON.stringify(read),
      );
    });

    api.it('rejects an aborted operation before doing anything', async () => {
      const signal = abortedSignal();
      await assert.rejects(store().save(cursorOf(), { signal }));
      await assert.rejects(store().get('tenant-a', { signal }));
      assert.equal(await store().get('tenant-a'), null);
    });
  });
}
