import { expect, it } from 'vitest';
import { createMemoryStores } from '../../src/adapters/memory/memory-stores.js';
import { createPostgresStores } from '../../src/adapters/postgres/postgres-stores.js';
import type { CallRepository } from '../../src/ports/call-repository.js';
import { createFakeClock, type FakeClock } from '../../src/testing/fake-clock.js';
import { describeOnDatabases } from './postgres-test-database.js';

/** A call record is stamped with the stores' clock, not the wall clock, when an event gives no time. */
async function stampsWithTheStoresClock(calls: CallRepository, clock: FakeClock): Promise<void> {
  const linked = await calls.linkAppointment('acme', 'call_1', 'appt_1');
  expect(linked.createdAt).toBe('2026-03-02T09:00:00.000Z');
  expect(linked.updatedAt).toBe('2026-03-02T09:00:00.000Z');
  await clock.advance(60_000);
  const { call } = await calls.upsert('acme', { event: 'call_started', id: 'call_1', status: 'ongoing' });
  expect(call.updatedAt).toBe('2026-03-02T09:01:00.000Z');
  expect(call.createdAt).toBe('2026-03-02T09:00:00.000Z');
}

it('memory: a call record is stamped with the clock of createMemoryStores', async () => {
  const clock = createFakeClock('2026-03-02T09:00:00.000Z');
  await stampsWithTheStoresClock(createMemoryStores({ clock }).calls, clock);
});

describeOnDatabases('call records on Postgres', (database) => {
  it('are stamped with the clock of createPostgresStores', async () => {
    const { sql, schema } = database();
    const clock = createFakeClock('2026-03-02T09:00:00.000Z');
    await stampsWithTheStoresClock(createPostgresStores({ sql, schema, clock }).calls, clock);
  });
});
