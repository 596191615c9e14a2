import assert from 'node:assert/strict';
import type { Appointment } from '../../domain/appointment.js';
import type { AppointmentQuery, AppointmentRepository } from '../../ports/appointment-repository.js';
import { anAppointment, at } from '../fixtures.js';
import type { ContractTestApi } from './test-api.js';

/**
 * The listing cases of the appointment repository contract.
 *
 * @internal
 */
export function appointmentListingCases(api: ContractTestApi, repo: () => AppointmentRepository): void {
  const ids = async (query: AppointmentQuery = {}): Promise<string[]> =>
    (await repo().list('tenant-a', query)).items.map((a) => a.id);

  const insertAll = async (appointments: readonly Appointment[]): Promise<void> => {
    for (const appointment of appointments) await repo().insert(appointment);
  };

  api.describe('list', () => {
    api.it('orders by start, then by id', async () => {
      const late = anAppointment({ id: 'a-late', start: at('15:00'), end: at('15:30') });
      const earlyB = anAppointment({
        id: 'a-early-b',
        start: at('08:00'),
        end: at('08:30'),
        resourceId: 'r-b',
      });
      const earlyA = anAppointment({
        id: 'a-early-a',
        start: at('08:00'),
        end: at('09:00'),
        resourceId: 'r-a',
      });
      const middle = anAppointment({ id: 'a-middle', start: at('10:00'), end: at('10:30') });
      await insertAll([late, earlyB, middle, earlyA]);
      assert.deepEqual(await ids(), ['a-early-a', 'a-early-b', 'a-middle', 'a-late']);
    });

    api.it('pages through every appointment exactly once, with null as the last cursor', async () => {
      const all = Array.from({ length: 7 }, (_, i) =>
        anAppointment({
          id: `p-${i}`,
          resourceId: `r-${i % 2}`,
          start: at(`${10 + Math.floor(i / 2)}:00`),
          end: at(`${10 + Math.floor(i / 2)}:30`),
        }),
      );
      await insertAll(all);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      for (;;) {
        const page = await repo().list(
          'tenant-a',
          cursor === undefined ? { limit: 3 } : { limit: 3, cursor },
        );
        pages += 1;
        assert.ok(page.items.length <= 3);
        seen.push(...page.items.map((a) => a.id));
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
        assert.ok(pages < 10, 'paging did not end');
      }
      assert.equal(pages, 3);
      assert.deepEqual(seen, ['p-0', 'p-1', 'p-2', 'p-3', 'p-4', 'p-5', 'p-6']);
    });

    api.it('answers an empty page with a null cursor when nothing matches', async () => {
      const page = await repo().list('tenant-a');
      assert.deepEqual(page.items, []);
      assert.equal(page.nextCursor, null);
    });

    api.it('returns the last full page with a null cursor or an empty one after it', async () => {
      await insertAll([
        anAppointment({ start: at('10:00'), end: at('10:30') }),
        anAppointment({ start: at('11:00'), end: at('11:30') }),
      ]);
      const first = await repo().list('tenant-a', { limit: 2 });
      assert.equal(first.items.length, 2);
      if (first.nextCursor !== null) {
        const rest = await repo().list('tenant-a', { limit: 2, cursor: first.nextCursor });
        assert.deepEqual(rest.items, []);
        assert.equal(rest.nextCursor, null);
      }
    });

    api.it('filters by time window: ends after `from`, starts before `to` (touching excluded)', async () => {
      await insertAll([
        anAppointment({ id: 'w-1', start: at('08:00'), end: at('09:00') }),
        anAppointment({ id: 'w-2', start: at('09:00'), end: at('10:00') }),
        anAppointment({ id: 'w-3', start: at('10:00'), end: at('11:00') }),
        anAppointment({ id: 'w-4', start: at('11:00'), end: at('12:00') }),
      ]);
      assert.deepEqual(await ids({ from: at('09:00'), to: at('11:00') }), ['w-2', 'w-3']);
      assert.deepEqual(await ids({ from: at('10:30') }), ['w-3', 'w-4']);
      assert.deepEqual(await ids({ to: at('09:00') }), ['w-1']);
    });

    api.it('filters by statuses, resource, event type and customer', async () => {
      await insertAll([
        anAppointment({
          id: 'f-1',
          status: 'confirmed',
          resourceId: 'host-1',
          eventTypeId: 'cut',
          customerId: 'c-1',
          start: at('09:00'),
          end: at('09:30'),
        }),
        anAppointment({
          id: 'f-2',
          status: 'cancelled',
          resourceId: 'host-1',
          eventTypeId: 'cut',
          customerId: 'c-2',
          start: at('09:00'),
          end: at('09:30'),
        }),
        anAppointment({
          id: 'f-3',
          status: 'pending',
          resourceId: 'host-2',
          eventTypeId: 'color',
          customerId: 'c-1',
          start: at('10:00'),
          end: at('10:30'),
        }),
        anAppointment({
          id: 'f-4',
          status: 'no_show',
          resourceId: 'host-2',
          eventTypeId: 'cut',
          customerId: null,
          start: at('11:00'),
          end: at('11:30'),
        }),
      ]);
      assert.deepEqual(await ids({ statuses: ['pending', 'confirmed'] }), ['f-1', 'f-3']);
      assert.deepEqual(await ids({ statuses: ['no_show'] }), ['f-4']);
      assert.deepEqual(await ids({ resourceId: 'host-2' }), ['f-3', 'f-4']);
      assert.deepEqual(await ids({ eventTypeId: 'cut' }), ['f-1', 'f-2', 'f-4']);
      assert.deepEqual(await ids({ customerId: 'c-1' }), ['f-1', 'f-3']);
      assert.deepEqual(await ids({ customerId: 'c-1', statuses: ['confirmed'], to: at('12:00') }), ['f-1']);
    });

    api.it('keeps a filter across pages', async () => {
      await insertAll(
        Array.from({ length: 6 }, (_, i) =>
          anAppointment({
            id: `k-${i}`,
            resourceId: i % 2 ? 'odd' : 'even',
            start: at(`${10 + i}:00`),
            end: at(`${10 + i}:30`),
          }),
        ),
      );
      const first = await repo().list('tenant-a', { resourceId: 'odd', limit: 2 });
      assert.deepEqual(
        first.items.map((a) => a.id),
        ['k-1', 'k-3'],
      );
      assert.ok(first.nextCursor);
      const second = await repo().list('tenant-a', { resourceId: 'odd', limit: 2, cursor: first.nextCursor });
      assert.deepEqual(
        second.items.map((a) => a.id),
        ['k-5'],
      );
    });
  });
}
