import { expect, it } from 'vitest';
import { createPostgresCustomerRepository } from '../../src/adapters/postgres/postgres-customer-repository.js';
import type { SqlClient } from '../../src/adapters/postgres/index.js';
import { createCustomerService } from '../../src/booking/customers/customer-service.js';
import { describeOnDatabases } from './postgres-test-database.js';

// A new customer (the common case of a book) is created in one statement: an insert that nobody's
// phone or email is in the way of. A known customer is looked up after that insert is refused,
// inside a transaction too, without a savepoint and without failing the transaction.

/** A client that records the statements sent through it. */
function recording(sql: SqlClient, texts: string[]): SqlClient {
  return {
    query: (text, params, options) => (texts.push(text), sql.query(text, params, options)),
    transaction: (fn) => sql.transaction((tx) => fn(recording(tx, texts))),
  };
}

const verb = (text: string) => /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase();

describeOnDatabases('Postgres customers: find or create', (database) => {
  const serviceOn = (sql: SqlClient) =>
    createCustomerService({
      customers: createPostgresCustomerRepository({ sql, schema: database().schema }),
    });

  it('creates a new customer with one INSERT, and identifies a known one inside a transaction', async () => {
    const texts: string[] = [];
    const service = serviceOn(recording(database().sql, texts));
    const created = await service.findOrCreate(
      'tenant-a',
      { phone: '+493012345678', email: 'ana@example.com' },
      { origin: 'voice' },
    );
    expect(created.outcome).toBe('created');
    expect(texts.map(verb)).toEqual(['INSERT']);

    texts.length = 0;
    const identified = await database().sql.transaction(async (tx) => {
      const inTx = serviceOn(recording(tx, texts));
      const known = await inTx.findOrCreate(
        'tenant-a',
        { email: 'ANA@example.com', name: 'Ana' },
        { origin: 'voice' },
      );
      // The transaction is still usable after the refused insert.
      const again = await inTx.findOrCreate('tenant-a', { phone: '+493012345678' }, { origin: 'voice' });
      return [known, again] as const;
    });
    expect(identified[0]).toMatchObject({ outcome: 'identified', matchedBy: 'email' });
    expect(identified[0].customer).toMatchObject({ id: created.customer.id, name: 'Ana', version: 2 });
    expect(identified[1]).toMatchObject({ outcome: 'identified', matchedBy: 'phone' });
    expect(identified[1].customer.id).toBe(created.customer.id);
    expect(texts.filter((text) => /SAVEPOINT/i.test(text))).toEqual([]);
    const stored = await createPostgresCustomerRepository({
      sql: database().sql,
      schema: database().schema,
    }).get('tenant-a', created.customer.id);
    expect(stored).toMatchObject({ name: 'Ana', version: 2 });
  });
});
