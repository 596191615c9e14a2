import { afterEach, beforeEach, describe, it } from 'vitest';
import { customerRepositoryContract } from '../../testing/contracts/customer-repository.contract.js';
import { createMemoryCustomerRepository } from './memory-customer-repository.js';
import { createMemoryStores } from './memory-stores.js';

customerRepositoryContract({ describe, it, beforeEach, afterEach }, 'memory', () =>
  createMemoryCustomerRepository(),
);
customerRepositoryContract(
  { describe, it, beforeEach, afterEach },
  'memory stores',
  () => createMemoryStores().customers,
);
