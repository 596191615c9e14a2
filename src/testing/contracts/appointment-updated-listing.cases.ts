import assert from 'node:assert/strict';
import type { Appointment } from '../../domain/appointment.js';
import type { AppointmentQuery, AppointmentRepository } from '../../ports/appointment-repository.js';
import { anAppointment, at } from '../fixtures.js';
import { isValidationError } from '../../errors/validation-error.js';
import { rejectsWith } from './assertions.js';
import type { ContractTestApi } from './test-api.js';

/** An instant on the fixture day, `minute` minutes after 12:00 UTC. */
const changedAt = (minute: number): string =>
  new Date(Date.parse(at('12:00')) + minute * 60_000).toISOString();

/**
 * The cases of the appointment repository contract about listing by last change (`updatedSince`,
 * `orderBy: 'updatedAt'`), what incremental reconciliation reads.
 *
 * @internal
 */
export function appointmentUpdatedListingCases(
  api: ContractTestApi,
  repo: () => AppointmentRepository,
): void {
  const insertAll = async (appointments: readonly Appointment[]): Promise<void> => {
    for (const appointment of appointments) await repo().insert(appointment);
  };

  /** Every page of `query` (by `limit`), the ids in the order they came. */
  const allIds = async (tenantId: string, query: AppointmentQuery): Promise<string[]> => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; ; pages += 1) {
      assert.ok(pages < 50, 'paging did not end');
      const page = await repo().list(tenantId, cursor === undefined ? query : { ...query, cursor });
      assert.ok(page.items.length <= (query.limit ?? 100));
      seen.push(...page.items.map((a) => a.id));
      if (page.nextCursor === null) return seen;
      cursor = page.nextCursor;
    }
  };

  /** An appointment at its own hour `hour`, last changed at `minute`. */
  const changed = (id: string, hour: number, minute: number, overrides: Partial<Appointment> = {}) =>
    anAppointment({
      id,
      start: at(`${String(hour).padStart(2, '0')}:00`),
      end: at(`${String(hour).padStart(2, '0')}:30`),
      updatedAt: changedAt(minute),
      ...overrides,
    });

  api.describe('list by last change', () => {
    api.it(
      'updatedSince keeps the appointments changed at or after it (inclusive), in start order by default',
      async () => {
        await insertAll([
          changed('u-1', 8, 5),
          changed('u-2', 9, 10),
          changed('u-3', 10, 1),
          changed('u-4', 11, 20),
        ]);
        const { items } = await repo().list('tenant-a', { updatedSince: changedAt(5) });
        assert.deepEqual(
          items.map((a) => a.id),
          ['u-1', 'u-2', 'u-4'],
        );
        assert.deepEqual((await repo().list('tenant-a', { updatedSince: changedAt(21) })).items, []);
      },
    );

    api.it("orderBy 'updatedAt' orders by last change, then id, whatever the start", async () => {
      await insertAll([
        changed('o-b', 8, 30),
        changed('o-c', 9, 10),
        changed('o-a', 10, 30),
        changed('o-d', 11, 0),
      ]);
      assert.deepEqual(await allIds('tenant-a', { orderBy: 'updatedAt' }), ['o-d', 'o-c', 'o-a', 'o-b']);
      assert.deepEqual(await allIds('tenant-a', { orderBy: 'updatedAt', updatedSince: changedAt(10) }), [
        'o-c',
        'o-a',
        'o-b',
      ]);
      assert.deepEqual(await allIds('tenant-a', { orderBy: 'start' }), ['o-b', 'o-c', 'o-a', 'o-d']);
    });

    api.it(
      'pages by last change exactly once each, across many appointments changed at the same instant',
      async () => {
        const same = Array.from({ length: 7 }, (_, i) => changed(`e-${i}`, 8 + i, 15));
        await insertAll([...same, changed('e-early', 20, 1), changed('e-late', 6, 40)]);
        const expected = ['e-early', ...same.map((a) => a.id), 'e-late'];
        for (const limit of [1, 2, 3, 100]) {
          assert.deepEqual(
            await allIds('tenant-a', { orderBy: 'updatedAt', limit }),
            expected,
            `limit ${limit}`,
          );
        }
        assert.deepEqual(
          await allIds('tenant-a', { orderBy: 'updatedAt', updatedSince: changedAt(15), limit: 2 }),
          [...same.map((a) => a.id), 'e-late'],
        );
      },
    );

    api.it('an update moves the appointment to its new place in the last-change order', async () => {
      const first = changed('m-1', 8, 1);
      await insertAll([first, changed('m-2', 9, 2), changed('m-3', 10, 3)]);
      await repo().update({ ...first, status: 'cancelled', version: 2, updatedAt: changedAt(9) }, 1);
      assert.deepEqual(await allIds('tenant-a', { orderBy: 'updatedAt', limit: 2 }), ['m-2', 'm-3', 'm-1']);
      assert.deepEqual(await allIds('tenant-a', { orderBy: 'updatedAt', updatedSince: changedAt(4) }), [
        'm-1',
      ]);
    });

    api.it('keeps the other filters in last-change order, across pages', async () => {
      await insertAll([
        changed('k-1', 8, 1, { status: 'cancelled' }),
        changed('k-2', 9, 2, { resourceId: 'r-2' }),
        changed('k-3', 10, 3),
        changed('k-4', 11, 4, { status: 'cancelled', resourceId: 'r-2' }),
        changed('k-5', 12, 5),
      ]);
      assert.deepEqual(
        await allIds('tenant-a', { orderBy: 'updatedAt', statuses: ['confirmed'], limit: 1 }),
        ['k-2', 'k-3', 'k-5'],
      );
      assert.deepEqual(await allIds('tenant-a', { orderBy: 'updatedAt', resourceId: 'r-2', limit: 1 }), [
        'k-2',
        'k-4',
      ]);
      assert.deepEqual(
        await allIds('tenant-a', { orderBy: 'updatedAt', from: at('09:15'), to: at('12:00'), limit: 1 }),
        ['k-2', 'k-3', 'k-4'],
      );
    });

    api.it('never lists another tenant’s appointments by last change', async () => {
      await insertAll([
        changed('t-a1', 8, 1),
        changed('t-b1', 9, 2, { tenantId: 'tenant-b' }),
        changed('t-a2', 10, 3),
        changed('t-b2', 11, 4, { tenantId: 'tenant-b' }),
      ]);
      assert.deepEqual(await allIds('tenant-a', { orderBy: 'updatedAt', limit: 1 }), ['t-a1', 't-a2']);
      assert.deepEqual(await allIds('tenant-b', { orderBy: 'updatedAt', updatedSince: changedAt(2) }), [
        't-b1',
        't-b2',
      ]);
      assert.deepEqual(await allIds('tenant-c', { orderBy: 'updatedAt' }), []);
    });

    api.it('refuses a malformed updatedSince or orderBy with a ValidationError naming it', async () => {
      const cases: [AppointmentQuery, string][] = [
        [{ updatedSince: 'not a time' }, 'updatedSince'],
        [{ orderBy: 'end' as never }, 'orderBy'],
      ];
      for (const [query, path] of cases) {
        const error = await rejectsWith(
          repo().list('tenant-a', query),
          isValidationError,
          `ValidationError for ${path}`,
        );
        assert.ok(
          error.context.issues.some((issue) => issue.path === path),
          `expected an issue at ${path}, got ${JSON.stringify(error.context.issues)}`,
        );
      }
    });
  });
}
