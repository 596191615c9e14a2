import { afterEach, beforeEach, describe, it } from 'vitest';
import { createMemoryReconciliationCursorStore } from './memory-reconciliation-cursor-store.js';
import { createMemoryStores } from './memory-stores.js';
import { reconciliationCursorStoreContract } from '../../testing/contracts/reconciliation-cursor-store.contract.js';

const api = { describe, it, beforeEach, afterEach };

reconciliationCursorStoreContract(api, 'memory', () => createMemoryReconciliationCursorStore());
reconciliationCursorStoreContract(
  api,
  'memory, of memory stores',
  () => createMemoryStores().reconciliationCursors,
);
