import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isValidationError } from '../../errors/validation-error.js';
import { callRepositoryContract } from '../../testing/contracts/call-repository.contract.js';
import { createMemoryCallRepository } from './memory-call-repository.js';
import { createMemoryStores } from './memory-stores.js';

callRepositoryContract({ describe, it, beforeEach, afterEach }, 'memory', () => createMemoryCallRepository());
callRepositoryContract(
  { describe, it, beforeEach, afterEach },
  'memory stores',
  () => createMemoryStores().calls,
);

describe('createMemoryCallRepository', () => {
  it('rejects a listing window that is not an instant', async () => {
    const error: unknown = await createMemoryCallRepository()
      .list('tenant-a', { to: '13:00' })
      .catch((e: unknown) => e);
    expect(isValidationError(error) && error.context.issues[0]?.path).toBe('to');
  });
});
