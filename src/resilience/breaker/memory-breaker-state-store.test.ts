import { afterEach, beforeEach, describe, it } from 'vitest';
import { breakerStateStoreContract } from '../../testing/contracts/breaker-state-store.contract.js';
import { createMemoryBreakerStateStore } from './memory-breaker-state-store.js';

breakerStateStoreContract(
  { describe, it, beforeEach, afterEach },
  'memory',
  () => createMemoryBreakerStateStore(),
  { watches: true },
);
