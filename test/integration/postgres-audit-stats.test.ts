import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPostgresAuditLog } from '../../src/adapters/postgres/postgres-audit-log.js';
import { createPostgresCustomerRepository } from '../../src/adapters/postgres/postgres-customer-repository.js';
import { createPostgresCustomerStatsStore } from '../../src/adapters/postgres/postgres-customer-stats-store.js';
import { createPostgresStores } from '../../src/adapters/postgres/postgres-stores.js';
import { quoteSchema } from '../../src/adapters/postgres/migrate.js';
import { isUnitOfWorkMisuseError } from '../../src/adapters/memory/unit-of-work-misuse-error.js';
import { auditLogContract } from '../../src/testing/contracts/audit-log.contract.js';
import { customerStatsStoreContract } from '../../src/testing/contracts/customer-stats-store.contract.js';
import { aCustomer } from '../../src/testing/fixtures.js';
import { describeOnDatabases } from './postgres-test-database.js';

const api = { describe, it, beforeEach, afterEach };

describeOnDatabases('Postgres audit log and customer stats', (database) => {
  const options = () => ({ sql: database().sql, schema: database().schema });
  const table = (name: string) => `${quoteSchema(database().schema)}.${name}`;

  // The shared helper empties the core tables; these two are this file's own.
  afterEach(async () => {
    await database().sql.query(
      `DELETE FROM ${table('bookingkit_audit_log')}; DELETE FROM ${table('bookingkit_customer_stats_events')};`,
    );
  });

  auditLogContract(api, 'postgres', () => createPostgresAuditLog(options()));
  customerStatsStoreContract(api, 'postgres', () => ({
    stats: createPostgresCustomerStatsStore(options()),
    customers: createPostgresCustomerRepository(options()),
  }));

  it('records the event id and the counters in one transaction: a failed update records neither', async () => {
    const customers = createPostgresCustomerRepository(options());
    const stats = createPostgresCustomerStatsStore(options());
    const customer = aCustomer();
    await customers.insert(customer);
    // A counter that is not a number makes the update statement fail after the event id was inserted.
    await database().sql.query(
      `UPDATE ${table('bookingkit_customers')} SET stats = '{"bookings":"many","cancellations":0,"noShows":0}' WHERE tenant_id = $1 AND id = $2`,
      [customer.tenantId, customer.id],
    );
    await expect(
      stats.apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: 1 } }),
    ).rejects.toThrow();
    const recorded = await database().sql.query(
      `SELECT event_id FROM ${table('bookingkit_customer_stats_events')} WHERE tenant_id = $1`,
      ['tenant-a'],
    );
    expect(recorded.rows).toEqual([]);
    await database().sql.query(
      `UPDATE ${table('bookingkit_customers')} SET stats = '{"bookings":0,"cancellations":0,"noShows":0}' WHERE tenant_id = $1 AND id = $2`,
      [customer.tenantId, customer.id],
    );
    expect(await stats.apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: 1 } })).toBe(
      'applied',
    );
    expect((await customers.get('tenant-a', customer.id))?.stats.bookings).toBe(1);
  });

  it('counts an event once when two instances on their own connections deliver it together', async () => {
    const customers = createPostgresCustomerRepository(options());
    const customer = aCustomer();
    await customers.insert(customer);
    const instances = [database().openClient(), database().openClient()].map((sql) =>
      createPostgresCustomerStatsStore({ sql, schema: database().schema }),
    );
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        instances[i % 2]!.apply('tenant-a', customer.id, { eventId: 'e1', delta: { noShows: 1 } }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'applied')).toHaveLength(1);
    expect((await customers.get('tenant-a', customer.id))?.stats.noShows).toBe(1);
  });

  it('refuses to write from inside a unit of work on the same client, which it would bypass', async () => {
    const stats = createPostgresCustomerStatsStore(options());
    const auditLog = createPostgresAuditLog(options());
    const stores = createPostgresStores(options());
    const customer = aCustomer();
    await stores.customers.insert(customer);
    const inside = await stores.unitOfWork
      .run(() => stats.apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: 1 } }))
      .catch((error: unknown) => error);
    expect(isUnitOfWorkMisuseError(inside)).toBe(true);
    const append = await stores.unitOfWork
      .run(() =>
        auditLog.append({
          eventId: 'e1',
          type: 'customer.created',
          tenantId: 'tenant-a',
          aggregateType: 'customer',
          aggregateId: customer.id,
          aggregateVersion: 1,
          origin: 'api',
          actor: null,
          correlationId: 'e1',
          causationId: null,
          occurredAt: '2026-01-05T09:00:00.000Z',
          recordedAt: '2026-01-05T09:00:00.000Z',
          data: {},
        }),
      )
      .catch((error: unknown) => error);
    expect(isUnitOfWorkMisuseError(append)).toBe(true);
    expect((await stores.customers.get('tenant-a', customer.id))?.stats.bookings).toBe(0);
  });
});
