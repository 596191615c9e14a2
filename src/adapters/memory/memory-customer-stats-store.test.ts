import { describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import type { CustomerRepository } from '../../ports/customer-repository.js';
import { aCustomer } from '../../testing/fixtures.js';
import { createMemoryCustomerRepository } from './memory-customer-repository.js';
import { createMemoryCustomerStatsStore } from './memory-customer-stats-store.js';

async function seeded() {
  const customers = createMemoryCustomerRepository();
  const customer = aCustomer();
  await customers.insert(customer);
  return { customers, customer, stats: createMemoryCustomerStatsStore({ customers }) };
}

describe('memory customer stats store', () => {
  it('applies each event once, however often it is delivered, even concurrently', async () => {
    const { customers, customer, stats } = await seeded();
    const outcomes = await Promise.all([
      stats.apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: 1 } }),
      stats.apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: 1 } }),
      stats.apply('tenant-a', customer.id, { eventId: 'e2', delta: { cancellations: 1, noShows: 1 } }),
    ]);
    expect(outcomes).toEqual(['applied', 'duplicate', 'applied']);
    expect((await customers.get('tenant-a', customer.id))?.stats).toEqual({
      bookings: 1,
      cancellations: 1,
      noShows: 1,
    });
    expect(await stats.apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: 1 } })).toBe(
      'duplicate',
    );
  });

  it('answers not_found for an unknown customer, and keeps tenants apart', async () => {
    const { customer, stats } = await seeded();
    expect(await stats.apply('tenant-a', 'nobody', { eventId: 'e1', delta: { bookings: 1 } })).toBe(
      'not_found',
    );
    expect(await stats.apply('tenant-b', customer.id, { eventId: 'e1', delta: { bookings: 1 } })).toBe(
      'not_found',
    );
    expect(await stats.apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: 1 } })).toBe(
      'applied',
    );
  });

  it('retries when another writer changed the customer in between', async () => {
    const { customers, customer } = await seeded();
    let interfere = true;
    const racing: CustomerRepository = {
      ...customers,
      async update(next, expected, options) {
        if (interfere) {
          interfere = false;
          const current = (await customers.get('tenant-a', customer.id))!;
          await customers.update(
            { ...current, name: 'Renamed', version: current.version + 1 },
            current.version,
          );
        }
        return customers.update(next, expected, options);
      },
    };
    const stats = createMemoryCustomerStatsStore({ customers: racing });
    expect(await stats.apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: 2 } })).toBe(
      'applied',
    );
    expect(await customers.get('tenant-a', customer.id)).toMatchObject({
      name: 'Renamed',
      stats: { bookings: 2 },
    });
  });

  it('forgets the oldest event ids beyond its memory, and validates its options', async () => {
    const { customers, customer } = await seeded();
    const stats = createMemoryCustomerStatsStore({ customers, rememberEvents: 1 });
    await stats.apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: 1 } });
    await stats.apply('tenant-a', customer.id, { eventId: 'e2', delta: { bookings: 1 } });
    expect(await stats.apply('tenant-a', customer.id, { eventId: 'e2', delta: { bookings: 1 } })).toBe(
      'duplicate',
    );
    expect(await stats.apply('tenant-a', customer.id, { eventId: 'e1', delta: { bookings: 1 } })).toBe(
      'applied',
    );
    let caught: unknown;
    try {
      createMemoryCustomerStatsStore({ customers, rememberEvents: 0 });
    } catch (error) {
      caught = error;
    }
    expect(isInvalidOptionError(caught)).toBe(true);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      stats.apply('tenant-a', customer.id, { eventId: 'e3', delta: {} }, { signal: controller.signal }),
    ).rejects.toThrow('stop');
  });
});
