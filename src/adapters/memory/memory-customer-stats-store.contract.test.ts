import { afterEach, beforeEach, describe, it } from 'vitest';
import { createMemoryCustomerRepository } from './memory-customer-repository.js';
import { createMemoryCustomerStatsStore } from './memory-customer-stats-store.js';
import { createMemoryStores } from './memory-stores.js';
import { customerStatsStoreContract } from '../../testing/contracts/customer-stats-store.contract.js';

const api = { describe, it, beforeEach, afterEach };

customerStatsStoreContract(api, 'memory', () => {
  const customers = createMemoryCustomerRepository();
  return { stats: createMemoryCustomerStatsStore({ customers }), customers };
});

customerStatsStoreContract(api, 'memory, over the customers of memory stores', () => {
  const { customers } = createMemoryStores();
  return { stats: createMemoryCustomerStatsStore({ customers }), customers };
});
