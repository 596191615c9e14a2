import { expect, it } from 'vitest';
import { createPostgresIdempotencyStore } from '../../src/adapters/postgres/postgres-idempotency-store.js';
import { createPostgresSagaStore } from '../../src/adapters/postgres/postgres-saga-store.js';
import { createPostgresStores } from '../../src/adapters/postgres/postgres-stores.js';
import { createPostgresTenantDirectory } from '../../src/adapters/postgres/postgres-tenant-directory.js';
import { createBookingKit } from '../../src/kit/booking-kit.js';
import { createFakeClock } from '../../src/testing/fake-clock.js';
import { aTenant } from '../../src/testing/fixtures.js';
import { describeOnDatabases } from './postgres-test-database.js';

const weekday = [{ start: '09:00', end: '17:00' }];
const SLOT = { start: '2026-01-06T09:00:00.000Z', end: '2026-01-06T09:30:00.000Z' };

describeOnDatabases('createBookingKit on Postgres adapters', (database) => {
  it('books, delivers the queued events from the Postgres outbox, and cancels', async () => {
    const clock = createFakeClock('2026-01-05T08:00:00.000Z');
    const { sql, schema } = database();
    const tenants = createPostgresTenantDirectory({ sql, schema });
    await tenants.save(aTenant({ id: 'acme' }));
    const kit = createBookingKit({
      clock,
      stores: createPostgresStores({ sql, schema, clock }),
      sagas: createPostgresSagaStore({ sql, schema }),
      idempotency: createPostgresIdempotencyStore({ sql, schema }),
      tenants,
      eventTypes: [
        {
          tenantId: 'acme',
          id: 'consult',
          durationMinutes: 30,
          timeZone: 'Europe/Berlin',
          weeklyHours: { monday: weekday, tuesday: weekday },
        },
      ],
      relay: { pollIntervalMs: 100 },
    });
    const delivered: string[] = [];
    for (const type of ['appointment.booked', 'appointment.cancelled'] as const) {
      kit.bus.on(type, (event) => void delivered.push(event.type), { queued: true, name: `test:${type}` });
    }
    expect(await kit.start()).toMatchObject({ claimed: 0 });

    const booked = await kit.service.book({
      tenantId: 'acme',
      origin: 'voice',
      actor: { type: 'agent', id: 'agent-1' },
      idempotencyKey: `kit-${schema}-book`,
      eventTypeId: 'consult',
      ...SLOT,
      timeZone: 'Europe/Berlin',
      customer: { name: 'Ana Example', phone: '+49 30 1234567' },
    });
    expect(booked.appointment.status).toBe('confirmed');
    const cancelled = await kit.service.cancel({
      tenantId: 'acme',
      origin: 'api',
      actor: { type: 'customer' },
      idempotencyKey: `kit-${schema}-cancel`,
      target: { appointmentId: booked.appointment.id },
    });
    expect(cancelled.appointment.status).toBe('cancelled');
    expect(await kit.stores.appointments.get('acme', booked.appointment.id)).toMatchObject({
      status: 'cancelled',
    });

    const deadline = Date.now() + 15_000;
    while (delivered.length < 2 && Date.now() < deadline) {
      await clock.advance(100);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect([...delivered].sort()).toEqual(['appointment.booked', 'appointment.cancelled']);
    await kit.close();
    await kit.close();
  });
});
